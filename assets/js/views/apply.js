// The applicant's portal: the application form, saved field by field as
// the applicant goes, with the checklist of what is still missing, and
// submission and withdrawal. The form's status is true per field: a
// field the server refused (or that could not be sent) is marked with the
// reason beside it and counted as not saved until it is corrected or
// cleared; a saved field shows the value as the server stored it (the
// server is the one judge of values: it trims, case-folds and checks them,
// src/core/application.c).
import { api, upload } from '../api.js';
import { h, field, formMessage, showError, clearErrors, values } from '../dom.js';
import { go } from '../app.js';
import { when } from '../dates.js';
import { applicantSection } from './interviews.js';

const SECTIONS = { contact: 'Contact', training: 'Training', exams: 'Board examinations',
	research: 'Research', identifiers: 'Match identifiers' };

const STATUS_TEXT = {
	draft: 'Draft — saved as you type; submit it when the checklist is complete.',
	submitted: 'Submitted. The program has your application; ask the coordinator if something must change.',
	withdrawn: 'Withdrawn. The program will not consider this application.',
};

// A stored value as the form shows it.
function display(v) {
	return v === null || v === undefined ? '' : String(v);
}

// One account, an application per program: a draft can start from what
// another of the applicant's applications holds (the fields it lacks,
// the kinds of document it has none of; letters are each program's own).
async function copySection(main, cycleId) {
	let sources;
	try {
		sources = (await api('GET', '/api/cycles/' + cycleId + '/application/copy')).copy_from;
	} catch {
		return;
	}
	if (!sources.length)
		return;
	const status = h('p', { role: 'status', 'aria-live': 'polite' });
	const select = h('select', { id: 'copy-from', name: 'from_application' },
		...sources.map((s) => h('option', { value: String(s.id),
			text: s.cycle + ' (' + s.program + '): ' + s.fields + ' answers, ' +
				s.documents + (s.documents === 1 ? ' document' : ' documents') })));
	const form = h('form', { novalidate: true },
		h('label', { for: 'copy-from', text: 'Your application to' }), select,
		h('button', { type: 'submit', class: 'secondary', text: 'Copy what this one lacks' }));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		try {
			const r = await api('POST', '/api/cycles/' + cycleId + '/application/copy',
				{ from_application: Number(select.value) });
			const c = r.copied;
			sessionStorage.setItem('fellowship.copied', c.fields + ' answers and ' + c.documents +
				(c.documents === 1 ? ' document were' : ' documents were') + ' copied.');
			go(location.hash);
		} catch (e) {
			status.textContent = e.message;
		}
	});
	const done = sessionStorage.getItem('fellowship.copied');
	if (done) {
		sessionStorage.removeItem('fellowship.copied');
		status.textContent = done;
	}
	main.querySelector('h1').after(h('section', { 'aria-labelledby': 'copy-heading', class: 'copy-from' },
		h('h2', { id: 'copy-heading', text: 'Start from another of your applications' }),
		h('p', { text: 'Answers you have not given here, and documents of a kind you have not uploaded here, are copied; nothing you entered is replaced. Letters are asked for again: each program has its own.' }),
		form, status));
}

export async function render(main, cycleId) {
	let app, cycle;
	try {
		[cycle, app] = await Promise.all([
			api('GET', '/api/cycles/' + cycleId).then((r) => r.cycle),
			api('GET', '/api/cycles/' + cycleId + '/application').then((r) => r.application),
		]);
	} catch (e) {
		main.append(h('h1', { text: 'Application' }), h('p', { text: e.message }),
			h('p', {}, h('a', { href: '#/', text: 'Back to the start page' })));
		return;
	}

	const status = h('p', { class: 'app-status', id: 'app-status' });
	const saved = h('p', { class: 'saved', id: 'save-status', role: 'status', 'aria-live': 'polite' });
	const checklist = h('ul', { id: 'checklist' });
	const message = formMessage();
	const form = h('form', { novalidate: true, 'aria-describedby': 'app-status' });
	const labels = Object.fromEntries(app.schema.map((f) => [f.key, f.label]));

	function showState() {
		status.textContent = STATUS_TEXT[app.status] || app.status;
		checklist.replaceChildren(...(app.missing.length ?
			app.missing.map((m) => h('li', {}, h('a', { href: '#', 'data-key': m.key, text: m.label }))) :
			[h('li', { text: 'Everything required is filled in.' })]));
		for (const el of form.querySelectorAll('input, textarea'))
			el.disabled = !app.editable;
		upForm.hidden = !app.editable;
		submit.hidden = app.status !== 'draft';
		submit.disabled = !app.editable;
		withdraw.hidden = app.status === 'withdrawn';
	}

	function focusField(key) {
		form.querySelector(`[name="${CSS.escape(key)}"]`)?.focus();
	}

	checklist.addEventListener('click', (ev) => {
		const key = ev.target.dataset && ev.target.dataset.key;
		if (!key)
			return;
		ev.preventDefault();
		focusField(key);
	});

	// The fields not saved, each with the reason shown beside it.
	const notSaved = new Map();
	let pending = 0;
	let savedOnce = false;

	function fieldError(key, text) {
		const input = form.querySelector(`[name="${CSS.escape(key)}"]`);
		const err = form.querySelector(`#err-${CSS.escape(key)}`);
		if (!input || !err)
			return;
		if (text) {
			input.setAttribute('aria-invalid', 'true');
			err.textContent = text;
		} else {
			input.removeAttribute('aria-invalid');
			err.textContent = '';
		}
	}

	function markNotSaved(key, reason) {
		if (reason)
			notSaved.set(key, reason);
		else
			notSaved.delete(key);
		fieldError(key, reason);
	}

	// The summary beside the checklist: what is not saved comes first.
	function showSaved() {
		const n = notSaved.size;
		saved.classList.toggle('not-saved', n > 0);
		if (n)
			saved.textContent = `${n} field${n === 1 ? '' : 's'} not saved: ` +
				[...notSaved.keys()].map((k) => labels[k] || k).join(', ') +
				'. Correct or clear ' + (n === 1 ? 'it' : 'them') + ' (the reason is beside each).';
		else if (pending)
			saved.textContent = 'Saving…';
		else
			saved.textContent = savedOnce ? 'All changes saved.' : '';
	}

	// Replies can arrive out of order; only the newest state is shown, and
	// a field's status is decided by the newest request for it.
	let seq = 0;
	let shown = 0;
	const newest = {};
	function apply(next, mine) {
		if (mine >= shown) {
			shown = mine;
			app = next;
			showState();
		}
	}

	async function save(f, input) {
		const raw = input.value;
		if (display(app.fields[f.key]) === raw) {
			markNotSaved(f.key, null);
			showSaved();
			return;
		}
		const mine = ++seq;
		newest[f.key] = mine;
		pending++;
		showSaved();
		try {
			const next = (await api('PUT', '/api/cycles/' + cycleId + '/application',
				{ fields: { [f.key]: raw.trim() === '' ? null : raw } })).application;
			apply(next, mine);
			if (newest[f.key] === mine) {
				markNotSaved(f.key, null);
				savedOnce = true;
				// The value as stored ("Pass" is kept as "pass"), unless
				// the applicant has typed on meanwhile.
				if (input.value === raw)
					input.value = display(next.fields[f.key]);
			}
		} catch (e) {
			// Refused, or never reached the server: either way not saved.
			if (newest[f.key] === mine)
				markNotSaved(e.field && e.field !== f.key ? e.field : f.key, e.message);
		} finally {
			pending--;
			showSaved();
		}
	}

	async function refresh() {
		const mine = ++seq;
		apply((await api('GET', '/api/cycles/' + cycleId + '/application')).application, mine);
	}

	const bySection = {};
	for (const f of app.schema) {
		const id = 'app-' + f.key;
		const hint = f.required ? null : 'Optional';
		const control = f.type === 'longtext' ?
			h('textarea', { id, name: f.key, rows: 4, maxlength: f.max }) :
			h('input', { id, name: f.key,
				type: f.type === 'email' ? 'email' : (f.type === 'phone' ? 'tel' : 'text'),
				inputmode: ['int', 'digits'].includes(f.type) ? 'numeric' : null,
				autocomplete: { first_name: 'given-name', last_name: 'family-name', email: 'email', phone: 'tel' }[f.key] || 'off' });
		control.value = app.fields[f.key] ?? '';
		control.setAttribute('aria-describedby', [hint ? id + '-hint' : null, 'err-' + f.key].filter(Boolean).join(' '));
		if (f.required)
			control.setAttribute('aria-required', 'true');
		control.addEventListener('change', () => save(f, control));
		(bySection[f.section] ||= []).push(h('div', { class: 'field' },
			h('label', { for: id, text: f.label + (f.required ? ' (required)' : '') }),
			hint ? h('small', { id: id + '-hint', class: 'hint', text: hint }) : null,
			control,
			h('small', { id: 'err-' + f.key, class: 'field-error', 'aria-live': 'polite' })));
	}
	for (const [key, title] of Object.entries(SECTIONS)) {
		if (bySection[key])
			form.append(h('fieldset', {}, h('legend', { text: title }), ...bySection[key]));
	}

	const submit = h('button', { type: 'button', text: 'Submit application' });
	submit.addEventListener('click', async () => {
		message.textContent = '';
		if (notSaved.size) {
			// The server would take the application without them.
			message.textContent = 'Some fields are not saved: correct or clear them first.';
			message.className = 'form-message error';
			focusField(notSaved.keys().next().value);
			return;
		}
		try {
			apply((await api('POST', '/api/cycles/' + cycleId + '/application/submit')).application, ++seq);
			saved.textContent = 'Your application is submitted.';
			status.focus();
		} catch (e) {
			message.textContent = e.message + (e.status === 422 ? ' See the checklist.' : '');
			message.className = 'form-message error';
			try {
				await refresh();
			} catch { /* keep what we have */ }
			checklist.querySelector('a')?.focus();
		}
	});
	const withdraw = h('button', { type: 'button', class: 'secondary outline', text: 'Withdraw application' });
	withdraw.addEventListener('click', async () => {
		if (!window.confirm('Withdraw your application? The program will not consider it.'))
			return;
		try {
			await api('POST', '/api/applications/' + app.id + '/withdraw');
			go('#/apply/' + cycleId);
		} catch (e) {
			message.textContent = e.message;
		}
	});
	status.setAttribute('tabindex', '-1');

	// Documents: one CV, one personal statement, any number of others.
	const KINDS = [['cv', 'Curriculum vitae'], ['personal_statement', 'Personal statement'], ['other', 'Other document']];
	const docList = h('ul', { id: 'documents' });
	const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': 'Upload progress' });
	const upStatus = h('p', { role: 'status', 'aria-live': 'polite' });
	const kindSel = h('select', { id: 'doc-kind', name: 'kind' }, ...KINDS.map(([v, t]) => h('option', { value: v, text: t })));
	const fileIn = h('input', { id: 'doc-file', name: 'file', type: 'file', accept: 'application/pdf,.pdf', 'aria-describedby': 'doc-hint doc-error' });
	const docErr = h('small', { id: 'doc-error', class: 'field-error', 'aria-live': 'polite' });
	const upForm = h('form', { novalidate: true },
		h('div', { class: 'grid' },
			h('div', {}, h('label', { for: 'doc-kind', text: 'Document' }), kindSel),
			h('div', {}, h('label', { for: 'doc-file', text: 'PDF file' }),
				h('small', { id: 'doc-hint', class: 'hint', text: 'PDF only, up to 10 MB, without passwords or scripts.' }),
				fileIn, docErr)),
		h('button', { type: 'submit', text: 'Upload' }), progress, upStatus);

	async function loadDocs() {
		const r = await api('GET', '/api/applications/' + app.id + '/documents');
		docList.replaceChildren(...(r.documents.length ? r.documents.map((d) => {
			const label = (KINDS.find(([k]) => k === d.kind) || [d.kind, d.kind])[1];
			const del = h('button', { type: 'button', class: 'secondary outline', text: 'Remove',
				'aria-label': 'Remove ' + label, hidden: !app.editable });
			del.addEventListener('click', async () => {
				try {
					await api('DELETE', '/api/documents/' + d.id);
					await refresh();
					await loadDocs();
				} catch (e) {
					upStatus.textContent = e.message;
				}
			});
			return h('li', {}, h('a', { href: '/api/documents/' + d.id, text: label }),
				` (${Math.max(1, Math.round(d.size / 1024))} KB, ${when(d.uploaded_at, cycle.timezone)}) `, del);
		}) : [h('li', { text: 'No documents yet.' })]));
	}

	upForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		docErr.textContent = '';
		fileIn.removeAttribute('aria-invalid');
		const file = fileIn.files[0];
		if (!file) {
			fileIn.setAttribute('aria-invalid', 'true');
			docErr.textContent = 'Choose a PDF file first.';
			fileIn.focus();
			return;
		}
		if (file.size > 10 * 1024 * 1024) {
			fileIn.setAttribute('aria-invalid', 'true');
			docErr.textContent = 'The file is larger than 10 MB.';
			return;
		}
		const fd = new FormData();
		fd.append('kind', kindSel.value);
		fd.append('file', file, 'document.pdf');
		progress.hidden = false;
		progress.value = 0;
		upStatus.textContent = 'Uploading…';
		const button = upForm.querySelector('button[type="submit"]');
		button.disabled = true;
		try {
			await upload('/api/applications/' + app.id + '/documents', fd, (f) => {
				progress.value = f;
				upStatus.textContent = `Uploading… ${Math.round(f * 100)}%`;
			});
			upStatus.textContent = 'Uploaded and checked.';
			upForm.reset();
			await refresh();
			await loadDocs();
		} catch (e) {
			upStatus.textContent = '';
			fileIn.setAttribute('aria-invalid', 'true');
			docErr.textContent = e.message;
		} finally {
			progress.hidden = true;
			button.disabled = false;
		}
	});

	// Letters of recommendation: status only, never the letters.
	const letterList = h('ul', { id: 'letters' });
	const letterStatus = h('p', { role: 'status', 'aria-live': 'polite' });
	const STATUS = { requested: 'Requested', received: 'Received', cancelled: 'Cancelled' };
	async function loadLetters() {
		const r = await api('GET', '/api/applications/' + app.id + '/letters');
		letterList.replaceChildren(...(r.letters.length ? r.letters.map((l) => {
			const on = ' on ' + when(l.status === 'received' ? l.received_at : l.requested_at, cycle.timezone);
			const actions = [];
			if (l.status === 'requested') {
				const remind = h('button', { type: 'button', class: 'secondary outline', text: 'Send a reminder',
					'aria-label': 'Send a reminder to ' + l.writer_name });
				remind.addEventListener('click', async () => {
					try {
						await api('POST', '/api/letters/' + l.id + '/remind');
						letterStatus.textContent = 'A reminder with a new link was sent to ' + l.writer_email + '.';
					} catch (e) {
						letterStatus.textContent = e.message;
					}
				});
				const cancel = h('button', { type: 'button', class: 'secondary outline', text: 'Cancel request',
					'aria-label': 'Cancel the request to ' + l.writer_name });
				cancel.addEventListener('click', async () => {
					if (!window.confirm('Cancel the request to ' + l.writer_name + '? Their link will stop working.'))
						return;
					try {
						await api('POST', '/api/letters/' + l.id + '/cancel');
						await loadLetters();
					} catch (e) {
						letterStatus.textContent = e.message;
					}
				});
				actions.push(' ', remind, ' ', cancel);
			}
			return h('li', {}, h('strong', { text: l.writer_name }), ` (${l.writer_email}) — `,
				(STATUS[l.status] || l.status) + on + (l.waived ? '; you waived the right to read it' : ''), ...actions);
		}) : [h('li', { text: 'No letters requested yet.' })]));
	}
	const waiveBox = h('input', { type: 'checkbox', id: 'waive', name: 'waived', role: 'switch' });
	const letterForm = h('form', { novalidate: true }, formMessage(),
		h('div', { class: 'grid' },
			field('Writer’s name', 'writer_name', { required: true }),
			field('Writer’s e-mail address', 'writer_email', { type: 'email', required: true })),
		h('label', { for: 'waive' }, waiveBox,
			' I waive my right to read this letter (your choice; programs may give more weight to waived letters)'),
		h('button', { type: 'submit', text: 'Ask for the letter' }));
	letterForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(letterForm);
		const v = values(letterForm);
		try {
			await api('POST', '/api/applications/' + app.id + '/letters', {
				writer_name: v.writer_name || '', writer_email: v.writer_email || '', waived: waiveBox.checked });
			letterStatus.textContent = 'We have e-mailed ' + v.writer_email + ' a link to upload the letter.';
			letterForm.reset();
			await loadLetters();
		} catch (e) {
			showError(letterForm, e);
		}
	});

	main.append(h('h1', { text: 'Your application' }),
		h('p', { class: 'lead', text: cycle.name + ' · applications close ' + when(cycle.applications_close, cycle.timezone) }),
		status, message,
		h('div', { class: 'app-layout' },
			h('div', {},
				h('section', { 'aria-labelledby': 'form-heading' },
					h('h2', { id: 'form-heading', text: 'Application form' }), form),
				h('section', { 'aria-labelledby': 'docs-heading' },
					h('h2', { id: 'docs-heading', text: 'Documents' }), docList, upForm),
				h('section', { 'aria-labelledby': 'letters-heading' },
					h('h2', { id: 'letters-heading', text: 'Letters of recommendation' }),
					h('p', { text: 'Each writer receives a link to upload the letter directly; you see whether it arrived, never the letter itself.' }),
					letterList, letterStatus, letterForm)),
			h('aside', { 'aria-labelledby': 'check-heading' },
				h('h2', { id: 'check-heading', text: 'Still missing' }), checklist, saved,
				h('p', {}, submit), h('p', {}, withdraw))));
	showState();
	letterForm.hidden = app.status === 'withdrawn';
	if (app.editable)
		await copySection(main, cycleId);
	const [interview] = await Promise.all([applicantSection(cycleId, cycle.timezone), loadDocs(), loadLetters()]);
	// When invited, the interview comes first: it is what needs doing.
	if (interview)
		main.querySelector('.app-layout > div').prepend(interview);
}
