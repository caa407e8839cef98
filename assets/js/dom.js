// Small DOM helpers. Text always goes in through textContent (never
// innerHTML), so nothing a user typed can become markup.

export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === false || v === null || v === undefined)
			continue;
		if (k.startsWith('on') && typeof v === 'function')
			el.addEventListener(k.slice(2), v);
		else if (k === 'text')
			el.textContent = v;
		else
			el.setAttribute(k, v === true ? '' : v);
	}
	for (const c of children.flat()) {
		if (c === null || c === undefined || c === false)
			continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

let uid = 0;

function wrap(label, name, control, hint) {
	const id = 'f-' + name + '-' + (++uid);
	const errId = id + '-error';
	const hintId = hint ? id + '-hint' : null;
	control.id = id;
	control.name = name;
	control.setAttribute('aria-describedby',
		[hintId, errId].filter(Boolean).join(' '));
	return h('div', { class: 'field', 'data-field': name },
		h('label', { for: id, text: label }),
		hint ? h('small', { id: hintId, class: 'hint', text: hint }) : null,
		control,
		h('small', { id: errId, class: 'field-error', 'aria-live': 'polite' }));
}

// A labelled input with a place for its error, linked for screen readers.
export function field(label, name, attrs = {}, hint = null) {
	return wrap(label, name, h('input', { type: 'text', ...attrs }), hint);
}

// A labelled select of [value, text] options.
export function selectField(label, name, options, selected, hint = null) {
	const select = h('select', {},
		...options.map(([v, t]) => h('option',
			{ value: v, selected: v === selected, text: t })));
	return wrap(label, name, select, hint);
}

// Shows an API error on a form: next to its field when the server named
// one, else in the form's message area. Focuses what needs attention.
export function showError(form, err) {
	clearErrors(form);
	const box = err.field && form.querySelector(`[data-field="${CSS.escape(err.field)}"]`);
	if (box) {
		const input = box.querySelector('input, select, textarea');
		input.setAttribute('aria-invalid', 'true');
		box.querySelector('.field-error').textContent = err.message;
		input.focus();
		return;
	}
	const msg = form.querySelector('.form-message');
	msg.textContent = err.message;
	msg.className = 'form-message error';
	msg.focus();
}

export function showFieldError(form, name, message) {
	showError(form, { field: name, message });
}

export function clearErrors(form) {
	for (const el of form.querySelectorAll('[aria-invalid]'))
		el.removeAttribute('aria-invalid');
	for (const el of form.querySelectorAll('.field-error'))
		el.textContent = '';
	const msg = form.querySelector('.form-message');
	if (msg) {
		msg.textContent = '';
		msg.className = 'form-message';
	}
}

export function formMessage() {
	return h('p', { class: 'form-message', role: 'alert', tabindex: '-1' });
}

// Disables a form's submit button while work is in progress.
export async function busy(form, work) {
	const button = form.querySelector('button[type="submit"]');
	button.setAttribute('aria-busy', 'true');
	button.disabled = true;
	try {
		return await work();
	} finally {
		button.removeAttribute('aria-busy');
		button.disabled = false;
	}
}

export function values(form) {
	return Object.fromEntries(new FormData(form).entries());
}

// Dates and times are written by dates.js; this name stays for callers
// that still use it.
export { when as formatTime } from './dates.js';
