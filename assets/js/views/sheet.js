// The score sheet as the faculty see it, shared by the candidate page and
// the director's rubric editor (whose live preview is the same sheet,
// disabled): one fieldset per criterion with a native radio group, one
// radio per level labelled with its anchor text. Native radios give the
// keyboard behaviour for free: Tab between groups, arrow keys within one.
// Also the phases, the weighted score, the choice of a default cycle and
// how a candidate who left the rank list is told.
import { api } from '../api.js';
import { h } from '../dom.js';
import { when } from '../dates.js';

export const PHASES = [['screening', 'Screening'], ['interview', 'Interview']];

export function phaseLabel(phase) {
	return (PHASES.find(([p]) => p === phase) || [phase, phase])[1];
}

export function isPhase(phase) {
	return PHASES.some(([p]) => p === phase);
}

export function isStaff(user) {
	return user && ['coordinator', 'director'].includes(user.role);
}

// Links to the same page for each phase, the current one marked.
export function phaseLinks(label, hrefFor, current) {
	return h('nav', { 'aria-label': label, class: 'phase-links' },
		h('ul', {}, ...PHASES.map(([p, t]) => h('li', {},
			h('a', { href: hrefFor(p), text: t,
				'aria-current': p === current ? 'page' : null })))));
}

function levels(c) {
	const out = [];
	const min = Number(c.min);
	const max = Number(c.max);
	if (!Number.isInteger(min) || !Number.isInteger(max) || max < min || max - min > 10)
		return out;
	for (let v = min; v <= max; v++)
		out.push(v);
	return out;
}

let uid = 0;

// Returns one <fieldset> per criterion. prefix keeps the radio groups of
// two sheets on one page apart; values preselects levels.
export function sheetFields(criteria, { prefix = 'score', values = {}, disabled = false } = {}) {
	const n = ++uid;
	return criteria.map((c, i) => {
		const name = `${prefix}-${n}-${i}`;
		const descId = name + '-desc';
		const errId = name + '-error';
		const anchors = Array.isArray(c.anchors) ? c.anchors : [];
		return h('fieldset', { class: 'criterion', 'data-field': 'values.' + c.key, 'data-key': c.key,
			'aria-describedby': [c.description ? descId : null, errId].filter(Boolean).join(' ') },
		h('legend', {}, h('strong', { text: c.label || '(no label yet)' }),
			h('span', { class: 'weight', text: ` · weight ${c.weight ?? '?'}%` })),
		c.description ? h('small', { id: descId, class: 'hint', text: c.description }) : null,
		h('div', { class: 'levels' }, ...levels(c).map((v, j) => h('label', { class: 'level' },
			h('input', { type: 'radio', name, value: String(v), checked: values[c.key] === v, disabled }),
			h('span', { class: 'level-value', text: String(v) }), ' ',
			h('span', { class: 'anchor', text: anchors[j] || '(no anchor text yet)' })))),
		h('small', { id: errId, class: 'field-error', 'aria-live': 'polite' }));
	});
}

// The values chosen in sheet fieldsets, {key: integer}.
export function sheetValues(container) {
	const out = {};
	for (const fs of container.querySelectorAll('fieldset.criterion')) {
		const checked = fs.querySelector('input[type="radio"]:checked');
		if (checked)
			out[fs.dataset.key] = Number(checked.value);
	}
	return out;
}

// The weighted score on 0..100: each criterion scaled to 0..1 over its
// range, times its weight. Null while a criterion has no value.
export function weighted(criteria, values) {
	let sum = 0;
	for (const c of criteria) {
		const v = values[c.key];
		if (v === undefined || v === null)
			return null;
		sum += (v - c.min) / (c.max - c.min) * c.weight;
	}
	return sum;
}

export function formatScore(x) {
	return x === null || x === undefined ? '—' : (Math.round(x * 10) / 10).toFixed(1);
}

// The cycle a page without a cycle in its address is about: the newest
// cycle under review (review, then ranking), else the newest open one,
// else the newest not archived, else the newest of all.
const PREFERENCE = [['review', 'ranking'], ['open', 'setup'], ['certified']];

export function pickCycle(cycles) {
	const newest = (list) => list.slice().sort((a, b) => b.year - a.year || b.id - a.id)[0];
	for (const states of PREFERENCE) {
		const found = newest(cycles.filter((c) => states.includes(c.state)));
		if (found)
			return found;
	}
	return newest(cycles) || null;
}

export async function defaultCycle() {
	return pickCycle((await api('GET', '/api/cycles')).cycles);
}

// Links to the same page for the other cycles, or null when there is one.
export async function otherCycles(cycleId, hrefFor) {
	const cycles = (await api('GET', '/api/cycles')).cycles.filter((c) => String(c.id) !== String(cycleId));
	if (!cycles.length)
		return null;
	return h('nav', { 'aria-label': 'Other cycles', class: 'cycle-pages' },
		h('ul', {}, h('li', { text: 'Other cycles:' }), ...cycles.map((c) => h('li', {},
			h('a', { href: hrefFor(c.id), text: `${c.name} (${c.state})` })))));
}

// Wraps a per-cycle view for an address without a cycle id.
export function forDefaultCycle(view, title) {
	return async (main, ...rest) => {
		const c = await defaultCycle();
		if (!c) {
			main.append(h('h1', { text: title }), h('p', { text: 'There is no cycle yet.' }));
			return;
		}
		await view(main, String(c.id), ...rest);
	};
}

export function personName(fields, fallback) {
	return [fields.first_name, fields.last_name].filter(Boolean).join(' ') || fallback;
}

// A status line whose text screen readers announce.
export function statusLine(attrs = {}) {
	return h('p', { role: 'status', 'aria-live': 'polite', class: 'notice', ...attrs });
}

export function table(caption, headers, rows, attrs = {}) {
	// The wrapper scrolls wide tables; focusable so the keyboard can too.
	return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
		h('table', { class: 'striped', ...attrs },
		h('caption', { text: caption }),
		h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col', text: t })))),
		h('tbody', {}, ...rows)));
}

export function shortTime(iso, tz) {
	return when(iso, tz);
}

// A rank list's entry that is no longer a candidate (a departure the
// server sends), in words: "Ana Lopez (rank 3) withdrew on Tue 9 Mar
// 2027, 09:30 EST", the date in the cycle's zone tz.
export function departureText(d, tz) {
	const place = d.rank ? `rank ${d.rank}` : 'not ranked';
	return d.status === 'withdrawn' ?
		`${d.name} (${place}) withdrew${d.withdrawn_at ? ' on ' + when(d.withdrawn_at, tz) : ''}` :
		`${d.name} (${place}) is no longer a candidate: the application was reopened and is not submitted`;
}
