// What the staff's lists show of each candidate's standing: the
// screening score and rank (the ranking's rater-adjusted score, from
// GET .../applications/scores, computed on the server off its event
// loop), the interview status and the letters; the columns the
// applications list and the interview-invite checklist share, and
// inviting the candidates ticked in them.
import { api } from '../api.js';
import { h } from '../dom.js';
import { formatScore } from './sheet.js';
import { day } from '../dates.js';

// {screened, byId: Map(application id -> {screening, interview})}.
export async function standings(cycleId) {
	const r = await api('GET', `/api/cycles/${cycleId}/applications/scores`);
	return { screened: r.screened, positions: r.positions,
		byId: new Map(r.candidates.map((c) => [c.application_id, c])) };
}

const INTERVIEW = { not_invited: 'Not invited', invited: 'Invited, not booked', booked: 'Booked', waitlisted: 'On the waitlist' };
// Sorting the interview column: the furthest along first when descending.
const INTERVIEW_ORDER = { not_invited: 0, invited: 1, waitlisted: 2, booked: 3 };

// The interview cell: the status, and the sheets on a line of their own.
function interviewCell(st) {
	if (!st)
		return '—';
	const i = st.interview;
	let text = INTERVIEW[i.status] || i.status;
	if (i.status === 'booked' && i.slot)
		text += ` ${day(i.slot.day)}, ${i.slot.starts}`;
	return h('span', {}, text, i.sheets > 0 ?
		h('small', { class: 'cell-line', text: `${i.sheets} interview sheet${i.sheets === 1 ? '' : 's'}` }) : null);
}

export function invited(st) {
	return !!st && st.interview.status !== 'not_invited';
}

export function displayName(a) {
	return [a.last_name, a.first_name].filter(Boolean).join(', ') || '(no name yet)';
}

// The standing columns, for rows {app, st} (st: the candidate's standing
// or undefined); screened() says among how many the ranks are.
export function standingColumns(screened) {
	return [
		{ key: 'score', label: 'Screening score', first: 'desc', className: 'num',
			sort: (r) => r.st && r.st.screening ? r.st.screening.score : null,
			cell: (r) => r.st && r.st.screening ? formatScore(r.st.screening.score) : '—' },
		{ key: 'rank', label: 'Screening rank', className: 'num',
			sort: (r) => r.st && r.st.screening ? r.st.screening.rank : null,
			cell: (r) => r.st && r.st.screening ? `${r.st.screening.rank} of ${screened()}` : '—' },
		{ key: 'interview', label: 'Interview', first: 'desc',
			sort: (r) => r.st ? INTERVIEW_ORDER[r.st.interview.status] * 100 + r.st.interview.sheets : null,
			cell: (r) => interviewCell(r.st) },
	];
}

export function lettersColumn() {
	return { key: 'letters', label: 'Letters received', className: 'num', first: 'desc',
		sort: (r) => r.app.letters_requested ? r.app.letters_received / r.app.letters_requested : null,
		cell: (r) => `${r.app.letters_received} of ${r.app.letters_requested}` };
}

// A checkbox column: rows that may be chosen get a box named after the
// candidate; the others say why not (already invited).
export function selectColumn(canSelect, onChange) {
	// What is ticked outlives the rows: a list drawn again (sorted, or
	// when the scores arrive) keeps the boxes ticked before.
	const chosen = new Set();
	return { key: 'select', label: 'Invite', className: 'select',
		cell: (r) => {
			if (!canSelect(r))
				return r.st && invited(r.st) ? h('span', { class: 'muted', text: 'Invited' }) : '';
			const box = h('input', { type: 'checkbox', name: 'application_ids', value: String(r.app.id),
				'aria-label': `Invite ${displayName(r.app)} (no. ${r.app.id})` });
			box.checked = chosen.has(r.app.id);
			box.addEventListener('change', (ev) => {
				if (box.checked)
					chosen.add(r.app.id);
				else
					chosen.delete(r.app.id);
				onChange(ev);
			});
			return box;
		} };
}

// Invites application ids; returns the sentence to show.
export async function invite(cycleId, ids) {
	const r = await api('POST', `/api/cycles/${cycleId}/interview-invitations`, { application_ids: ids });
	return `Invited ${r.invited} candidate${r.invited === 1 ? '' : 's'}` +
		(r.already ? ` (${r.already} had been invited already)` : '') + '. Each new invitee was e-mailed.';
}

// Every submitted application of the cycle, as the list's rows.
export async function submittedRows(cycleId) {
	const apps = [];
	let after = 0;
	for (;;) {
		const page = await api('GET', `/api/cycles/${cycleId}/applications?status=submitted&limit=1000&after=${after}`);
		apps.push(...page.applications);
		if (page.next_after === null || page.next_after === undefined)
			break;
		after = page.next_after;
	}
	return apps;
}
