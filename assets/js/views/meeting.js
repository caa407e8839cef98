// The rank meeting (staff; the director runs it, the coordinator follows
// it): start it, walk its agenda one candidate at a time on a projector
// (large type; ArrowRight and ArrowLeft or the buttons; each step
// announced), with every rater's scores and comments and why the
// candidate is on the agenda, mark each as discussed, end it, and see
// the order before and after and who changed what.
import { api } from '../api.js';
import { h } from '../dom.js';
import { session } from '../app.js';
import { when } from '../dates.js';
import { PHASES, phaseLabel, formatScore, table } from './sheet.js';
import { pageLinks } from './ranking.js';

const KINDS = {
	edit: 'changed a submitted sheet',
	submit: 'submitted a sheet',
	conflict: 'conflict recorded: the sheet no longer counts',
	conflict_removed: 'conflict removed: the sheet counts again',
};

function place(n) {
	return n ? String(n) : '—';
}

function progressText(p) {
	return `${p.discussed} of ${p.total} discussed`;
}

function errorLine(e) {
	return h('p', { class: 'form-message error', role: 'alert', text: e.message });
}

function isDirector() {
	return session.user && session.user.role === 'director';
}

// A sheet's state as the log keeps it, in words.
function stateText(s) {
	if (!s)
		return 'no submitted sheet';
	const items = Object.entries(s.values || {}).map(([k, v]) => `${k} ${v}`).join(', ');
	return `score ${formatScore(s.score)} (${items})` + (s.comment ? `; comment “${s.comment}”` : '') +
		(s.counts === false ? '; does not count' : '');
}

function changesSection(view) {
	const rows = view.changes.map((c) => h('li', {},
		h('strong', { text: c.changed_by_name }), ` — ${when(c.at)}: ${KINDS[c.kind] || c.kind}, `,
		`${phaseLabel(c.phase).toLowerCase()} sheet of ${c.rater_name} for `, h('strong', { text: c.name }), '. ',
		h('span', { text: `Before: ${stateText(c.before)}. After: ${stateText(c.after)}.` })));
	return h('section', { 'aria-labelledby': 'changes-heading', id: 'meeting-changes' },
		h('h2', { id: 'changes-heading', text: 'Who changed what during the meeting' }),
		rows.length ? h('ol', {}, ...rows) : h('p', { text: 'No sheet was changed during the meeting.' }));
}

function orderTable(caption, order, id) {
	return table(caption, ['Place', 'Candidate', 'Composite'], order.map((o) => h('tr', {},
		h('td', { text: place(o.rank) }), h('th', { scope: 'row', text: o.name }),
		h('td', { text: formatScore(o.composite) }))), { id });
}

function summary(view) {
	const m = view.meeting;
	const moved = view.moved.map((x) => h('li', {}, h('strong', { text: x.name }),
		x.from === null ? ` — new at place ${x.to}` : x.to === null ? ` — was at place ${x.from}, no longer placed` :
			` — from place ${x.from} to place ${x.to}`));
	return h('section', { 'aria-labelledby': 'summary-heading', id: 'meeting-summary' },
		h('h2', { id: 'summary-heading', tabindex: '-1', text: 'Summary of the meeting' }),
		h('p', { text: `Started by ${m.started_by_name} on ${when(m.started_at)}` +
			(m.ended_at ? `; ended by ${m.ended_by_name} on ${when(m.ended_at)}.` : '; still open.') +
			` ${progressText(view.progress)}.` }),
		h('h3', { text: 'Who moved' }),
		moved.length ? h('ul', { id: 'meeting-moved' }, ...moved) :
			h('p', { id: 'meeting-moved', text: 'Nobody moved in the composite order.' }),
		h('div', { class: 'meeting-orders' },
			orderTable('Order at the start', view.order_before, 'order-before'),
			orderTable('Order now (the composite)', view.order_after, 'order-after')),
		changesSection(view));
}

function sheetsTable(item, phase, title) {
	const sheets = item.sheets.filter((s) => s.phase === phase);
	if (!sheets.length)
		return null;
	const labels = sheets[0].items.map((i) => i.label);
	return table(`${title}: each rater’s scores`, ['Rater', 'Score', ...labels, 'Comment'], sheets.map((s) =>
		h('tr', {}, h('th', { scope: 'row' }, s.rater_name,
			s.changed ? h('small', { class: 'hint', text: ' changed during the meeting' }) : null,
			s.counts ? null : h('small', { class: 'hint', text: ' does not count' })),
		h('td', { text: formatScore(s.score) }),
		...s.items.map((i) => h('td', { text: i.value === undefined || i.value === null ? '—' : String(i.value) })),
		h('td', { class: 'wrap-words', text: s.comment || '—' }))));
}

// Walks the agenda of an open meeting.
function walk(page, cycleId, view, redraw) {
	const agenda = view.agenda;
	let at = 0;
	const director = isDirector();
	const progress = h('p', { id: 'meeting-progress', role: 'status', text: progressText(view.progress) });
	const announce = h('p', { id: 'meeting-announce', class: 'visually-hidden', 'aria-live': 'polite' });
	const card = h('section', { class: 'meeting-card', id: 'meeting-card', 'aria-labelledby': 'card-heading' });
	const counter = h('span', { id: 'meeting-position' });
	const prev = h('button', { type: 'button', id: 'meeting-prev', 'aria-keyshortcuts': 'ArrowLeft', text: '← Previous' });
	const next = h('button', { type: 'button', id: 'meeting-next', 'aria-keyshortcuts': 'ArrowRight', text: 'Next →' });
	const message = h('div', {});

	function show(i, focus) {
		at = Math.max(0, Math.min(agenda.length - 1, i));
		const item = agenda[at];
		prev.disabled = at === 0;
		next.disabled = at === agenda.length - 1;
		counter.textContent = `Candidate ${at + 1} of ${agenda.length}`;
		const toggle = h('button', { type: 'button', id: 'meeting-discussed', 'aria-pressed': String(item.discussed),
			text: item.discussed ? 'Discussed ✓' : 'Mark as discussed', disabled: !director });
		toggle.addEventListener('click', async () => {
			message.replaceChildren();
			toggle.disabled = true;
			try {
				const r = await api('POST', `/api/cycles/${cycleId}/meeting/items/${item.application_id}`,
					{ discussed: !item.discussed });
				item.discussed = r.discussed;
				view.progress = r.progress;
				progress.textContent = progressText(r.progress);
				show(at, false);
				announce.textContent = `${item.name} ${r.discussed ? 'marked as discussed' : 'marked as not discussed'}; ` +
					progressText(r.progress) + '.';
				document.getElementById('meeting-discussed').focus();
			} catch (e) {
				toggle.disabled = false;
				message.replaceChildren(errorLine(e));
			}
		});
		const heading = h('h2', { id: 'card-heading', tabindex: '-1' }, item.name,
			h('span', { class: 'meeting-place', text: ` — place ${place(item.rank)} at the start` +
				(item.rank_now !== item.rank ? `, ${place(item.rank_now)} now` : '') }));
		card.replaceChildren(heading,
			h('p', { class: 'meeting-composite', text: `Composite ${formatScore(item.composite)} at the start` +
				(item.composite_now !== item.composite ? `, ${formatScore(item.composite_now)} now` : '') + '.' }),
			h('h3', { text: 'Why it is on the agenda' }),
			h('ul', { class: 'meeting-reasons' }, ...item.reasons.map((r) => h('li', { text: r.text }))),
			toggle,
			item.discussed && item.discussed_by_name ?
				h('p', { class: 'hint', text: `Marked by ${item.discussed_by_name} on ${when(item.discussed_at)}.` }) : null,
			...PHASES.map(([p, t]) => sheetsTable(item, p, t)).filter(Boolean));
		if (focus) {
			heading.focus();
			announce.textContent = `Candidate ${at + 1} of ${agenda.length}: ${item.name}` +
				(item.discussed ? ', discussed.' : '.');
		}
	}
	prev.addEventListener('click', () => show(at - 1, true));
	next.addEventListener('click', () => show(at + 1, true));
	function onKey(ev) {
		if (!page.isConnected) {
			document.removeEventListener('keydown', onKey);
			return;
		}
		if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey)
			return;
		if (ev.target.closest && ev.target.closest('input, textarea, select, [contenteditable]'))
			return;
		if (ev.key === 'ArrowRight' && at < agenda.length - 1) {
			ev.preventDefault();
			show(at + 1, true);
		} else if (ev.key === 'ArrowLeft' && at > 0) {
			ev.preventDefault();
			show(at - 1, true);
		}
	}
	document.addEventListener('keydown', onKey);
	const end = director ? h('button', { type: 'button', id: 'meeting-end', text: 'End the meeting…' }) : null;
	if (end)
		end.addEventListener('click', async () => {
			if (!window.confirm('End the rank meeting? The changes made during it stay; the summary follows.'))
				return;
			message.replaceChildren();
			try {
				const ended = await api('POST', `/api/cycles/${cycleId}/meeting/end`);
				document.removeEventListener('keydown', onKey);
				await redraw('The meeting has ended.', '#summary-heading', ended);
			} catch (e) {
				message.replaceChildren(errorLine(e));
			}
		});
	page.append(progress, announce, message,
		h('nav', { 'aria-label': 'Agenda', class: 'meeting-nav' }, prev, counter, next),
		h('p', { class: 'hint', text: 'Use the arrow keys → and ← to go to the next and previous candidate.' }),
		card,
		end ? h('p', {}, end) : h('p', { class: 'hint', text: 'The director marks candidates as discussed and ends the meeting.' }));
	if (agenda.length)
		show(0, false);
	else
		card.replaceChildren(h('h2', { id: 'card-heading', text: 'Nothing on the agenda' }),
			h('p', { text: 'No candidate is near the line, disputed or likely to swap places.' }));
}

export async function meeting(main, cycleId) {
	const cycle = (await api('GET', '/api/cycles/' + cycleId)).cycle;
	main.append(h('h1', { text: `Rank meeting · ${cycle.name}` }), ...await pageLinks(cycleId, 'meeting'));
	const page = h('div', { id: 'meeting-page' });
	main.append(page);
	// Draws view (the answer of a start or an end), else the meeting as
	// it stands.
	async function redraw(note, focusSelector, given) {
		const view = given || await api('GET', `/api/cycles/${cycleId}/meeting`);
		page.replaceChildren();
		if (note)
			page.append(h('p', { class: 'notice', role: 'status', text: note }));
		if (view.meeting && view.meeting.state === 'open') {
			page.append(h('p', { text: `Open since ${when(view.meeting.started_at)}, started by ${view.meeting.started_by_name}. ` +
				'The order and every sheet were locked at the start; changes since are logged.' }));
			walk(page, cycleId, view, redraw);
			if (focusSelector)
				page.querySelector(focusSelector)?.focus();
			return;
		}
		const start = isDirector() ? h('button', { type: 'button', id: 'meeting-start', text: 'Start the rank meeting' }) : null;
		const message = h('div', {});
		if (start)
			start.addEventListener('click', async () => {
				message.replaceChildren();
				start.disabled = true;
				try {
					const started = await api('POST', `/api/cycles/${cycleId}/meeting`);
					await redraw('The meeting has started: the sheets and the order are locked as they stand.', '#card-heading', started);
				} catch (e) {
					start.disabled = false;
					message.replaceChildren(errorLine(e));
				}
			});
		page.append(h('p', { text: 'Starting a meeting locks a snapshot of every submitted sheet and of the composite order, ' +
			'and sets the agenda: the candidates near the line, those whose raters disagree, and those likely to swap places ' +
			'with the next one. Changes made to sheets during the meeting are logged.' }),
		start ? h('p', {}, start) : h('p', { class: 'hint', text: 'The director starts the rank meeting.' }), message);
		if (view.meeting)
			page.append(summary(view));
		else
			page.append(h('p', { text: 'No rank meeting has been held for this cycle yet.' }));
		if (focusSelector)
			page.querySelector(focusSelector)?.focus();
	}
	await redraw(null, null);
}
