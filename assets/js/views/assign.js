// Who reviews whom. The coordinator's page: automatic balanced assignment,
// each rater's load and progress with a reminder to each rater behind,
// manual assign and unassign, conflicts of interest, the phases' scoring
// settings (the director changes them) and reminders. The faculty's page: declare a conflict, see their own.
import { api } from '../api.js';
import { h, field, selectField, formMessage, showError, clearErrors, busy, values } from '../dom.js';
import { session } from '../app.js';
import { PHASES, phaseLabel, isPhase, phaseLinks, statusLine, table, shortTime, otherCycles } from './sheet.js';
import { submittedRows } from './standing.js';

const KINDS = [['conflict', 'Conflict of interest'], ['known_applicant', 'Known applicant (home resident, rotator)']];
const KIND_TEXT = Object.fromEntries(KINDS);
const SHEET_TEXT = { none: 'Not started', draft: 'Draft', submitted: 'Submitted' };

async function allUsers() {
	const users = [];
	let after = 0;
	for (;;) {
		const page = await api('GET', '/api/users?limit=500&after=' + after);
		users.push(...page.users);
		if (page.next_after === null || page.next_after === undefined)
			return users;
		after = page.next_after;
	}
}

export async function submittedApplications(cycleId) {
	const apps = await submittedRows(cycleId);
	// Names can repeat: the application number tells them apart.
	return apps.map((a) => ({ id: a.id, name: ([a.last_name, a.first_name].filter(Boolean).join(', ') || 'Application') + ` (no. ${a.id})` }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

function progressBar(label, value, max) {
	return h('progress', { max: String(Math.max(max, 1)), value: String(value), 'aria-label': label });
}

const REQUEST_TEXT = {
	pending: 'Awaiting a decision by the coordinator or the director',
	accepted: 'Accepted: recorded as a conflict',
	declined: 'Declined: nothing changed',
};

// Accept and Decline buttons for a conflict declared after scoring closed
// (staff only; the server checks it). done(message, decided) is called
// after a decision (decided true), or with the refusal's reason.
export function decisionButtons(q, done) {
	const who = `${q.faculty_name} with ${q.candidate}`;
	const go = (decision, b) => async () => {
		const question = decision === 'accept' ?
			`Accept the conflict of ${who}? Their sheets of this candidate will no longer count, and the ranking will change.` :
			`Decline the conflict of ${who}? Nothing will change.`;
		if (!window.confirm(question))
			return;
		b.setAttribute('aria-busy', 'true');
		b.disabled = true;
		try {
			await api('POST', `/api/conflict-requests/${q.id}`, { decision });
			await done(decision === 'accept' ?
				`Accepted: the conflict of ${who} is recorded, and their sheets of the candidate no longer count.` :
				`Declined: the conflict of ${who} was not recorded; nothing changed.`, true);
		} catch (e) {
			b.removeAttribute('aria-busy');
			b.disabled = false;
			await done(e.message, false);
		}
	};
	const accept = h('button', { type: 'button', class: 'secondary outline small', text: 'Accept',
		'aria-label': `Accept the conflict of ${who}` });
	const decline = h('button', { type: 'button', class: 'secondary outline small', text: 'Decline',
		'aria-label': `Decline the conflict of ${who}` });
	accept.addEventListener('click', go('accept', accept));
	decline.addEventListener('click', go('decline', decline));
	return h('span', { class: 'decision-buttons' }, accept, ' ', decline);
}

// The conflicts list and the form to record one. Staff choose the rater
// and may remove a conflict; a faculty member declares their own. The
// declarations made after scoring closed wait for the staff's decision:
// listed with their state, and Accept and Decline for the staff.
// everyone: list every rater's conflicts (staff declaring their own).
function conflictsSection(cycleId, { staff, raters, candidates, heading = 'h2', everyone = staff }) {
	const status = statusLine({ id: 'conflict-status' });
	const listBox = h('div', { id: 'conflicts-list' });
	const requestsBox = h('div', { id: 'conflict-requests' });
	const decides = ['coordinator', 'director'].includes(session.user.role);
	const section = h('section', { 'aria-labelledby': 'conflicts-heading' },
		h(heading, { id: 'conflicts-heading', text: everyone ? 'Conflicts of interest' : 'Your conflicts of interest' }));

	async function load() {
		const r = await api('GET', `/api/cycles/${cycleId}/conflicts`);
		if (!candidates && r.candidates)
			candidates = r.candidates.map((c) => ({ id: c.application_id, name: c.name }));
		const requests = r.requests || [];
		requestsBox.replaceChildren(...(requests.length ? [
			h('h3', { id: 'conflict-requests-heading', text: everyone ? 'Declared after scoring closed' : 'Your declarations after scoring closed' }),
			h('p', { class: 'hint', text: 'A conflict declared once scoring is closed on a sheet the rater submitted, or once the rank list is certified, ' +
				'changes no score until the coordinator or the director accepts it.' }),
			table(everyone ? 'Conflicts declared after scoring closed' : 'Your conflicts declared after scoring closed',
				[...(everyone ? ['Faculty'] : []), 'Candidate', 'Kind', 'Reason', 'Declared', 'State'],
				requests.map((q) => h('tr', { 'data-request': String(q.id) },
					...(everyone ? [h('td', { text: q.faculty_name })] : []),
					h('td', { text: q.candidate }), h('td', { text: KIND_TEXT[q.kind] || q.kind }),
					h('td', { class: 'prewrap', text: q.reason }),
					h('td', {}, shortTime(q.declared_at), h('br'), h('small', { class: 'hint', text: q.held_because })),
					h('td', {}, h('span', { class: 'request-state', text: REQUEST_TEXT[q.status] || q.status }),
						q.decided_by_name ? h('small', { class: 'hint', text: ` (${q.decided_by_name}, ${shortTime(q.decided_at)})` }) : null,
						q.note ? h('small', { class: 'hint prewrap', text: ` — ${q.note}` }) : null,
						q.status === 'pending' && decides ? h('div', {}, decisionButtons(q, async (msg) => {
							status.textContent = msg;
							// The page's own reload (the assignments page
							// also shows the loads an accepted one changes).
							await self.load();
						})) : null))),
				{ id: 'conflict-requests-table' })] : []));
		listBox.replaceChildren(r.conflicts.length ? table(everyone ? 'Recorded conflicts' : 'Conflicts you declared',
			[...(everyone ? ['Faculty'] : []), 'Candidate', 'Kind', 'Reason', 'Recorded', ...(staff ? ['Actions'] : [])],
			r.conflicts.map((c) => {
				const cells = [];
				if (everyone)
					cells.push(h('td', { text: c.faculty_name }));
				cells.push(h('td', { text: c.candidate }), h('td', { text: KIND_TEXT[c.kind] || c.kind }),
					h('td', { class: 'prewrap', text: c.reason }),
					h('td', { text: shortTime(c.created_at) + (c.recorded_by_name && everyone ? ' by ' + c.recorded_by_name : '') }));
				if (staff) {
					const del = h('button', { type: 'button', class: 'secondary outline', text: 'Remove',
						'aria-label': `Remove the conflict of ${c.faculty_name} with ${c.candidate}` });
					del.addEventListener('click', async () => {
						if (!window.confirm(`Remove the conflict of ${c.faculty_name} with ${c.candidate}?`))
							return;
						try {
							await api('DELETE', '/api/conflicts/' + c.id);
							status.textContent = 'Conflict removed. The rater can be assigned to this candidate again.';
							await load();
						} catch (e) {
							status.textContent = e.message;
						}
					});
					cells.push(h('td', {}, del));
				}
				return h('tr', {}, ...cells);
			}), { id: 'conflicts-table' }) :
			h('p', { text: everyone ? 'No conflict has been recorded.' :
				requests.length ? 'No conflict of yours is recorded yet.' : 'You have not declared any conflict.' }));
		return r;
	}

	function form() {
		const f = h('form', { novalidate: true, id: 'conflict-form' }, formMessage(),
			staff ? selectField('Faculty member', 'faculty_id', [['', 'Choose a rater'], ...raters.map((u) => [String(u.id), u.name])], '') : null,
			selectField('Candidate', 'application_id', [['', 'Choose a candidate'], ...candidates.map((c) => [String(c.id), c.name])], ''),
			selectField('Kind', 'kind', KINDS, 'conflict'),
			(() => {
				const w = field('Reason', 'reason', { required: true, maxlength: 500 }, 'Required; for instance a family or financial tie, or that the candidate trained with you.');
				const input = w.querySelector('input');
				const ta = h('textarea', { id: input.id, name: 'reason', rows: 2, maxlength: 1000, required: true,
					'aria-required': 'true', 'aria-describedby': input.getAttribute('aria-describedby') });
				input.replaceWith(ta);
				return w;
			})(),
			h('button', { type: 'submit', text: staff ? 'Record conflict' : 'Declare conflict' }));
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			clearErrors(f);
			const v = values(f);
			if (staff && !v.faculty_id)
				return showError(f, { field: 'faculty_id', message: 'Choose the faculty member.' });
			if (!v.application_id)
				return showError(f, { field: 'application_id', message: 'Choose the candidate.' });
			if (!v.reason.trim())
				return showError(f, { field: 'reason', message: 'Give the reason for the conflict.' });
			await busy(f, async () => {
				const body = { reason: v.reason.trim(), kind: v.kind };
				if (staff)
					body.faculty_id = Number(v.faculty_id);
				try {
					const res = await api('POST', `/api/applications/${v.application_id}/conflicts`, body);
					f.reset();
					status.textContent = res.conflict_request ?
						'Declared. Scoring is closed on a sheet you submitted of this candidate (or the rank list is certified), so your declaration ' +
						'awaits a decision by the coordinator or the director; until then nothing changes and your sheet still counts.' :
						staff ? 'Conflict recorded. That rater’s assignments of the candidate were removed.' :
							'Conflict declared. The candidate is no longer assigned to you and is hidden from your lists.';
					await load();
				} catch (e) {
					showError(f, e.field ? e : { field: e.status === 422 ? 'reason' : null, message: e.message });
				}
			});
		});
		return f;
	}

	const self = { section, status, listBox, requestsBox, load, form, get candidates() { return candidates; } };
	return self;
}

// Faculty: declare a conflict and see the conflicts declared.
export async function conflicts(main, cycleId) {
	const staff = ['coordinator', 'director'].includes(session.user.role);
	const cycle = (await api('GET', '/api/cycles/' + cycleId)).cycle;
	main.append(h('h1', { text: 'Conflicts of interest' }), h('p', { class: 'lead', text: cycle.name }),
		await otherCycles(cycleId, (id) => `#/cycles/${id}/conflicts`));
	if (staff) {
		main.append(h('p', {}, 'Staff record conflicts for anyone on the ',
			h('a', { href: `#/cycles/${cycleId}/assignments`, text: 'assignments page' }), '.'));
	}
	// Staff declare their own here and see everyone's (the server sends
	// them all); removing one is on the assignments page.
	const cs = conflictsSection(cycleId, { staff: false, raters: [], candidates: null, everyone: staff });
	await cs.load();
	main.append(h('p', { text: 'Declare a conflict when you should not judge a candidate: you will neither see nor score them. Mark candidates you know well (your residents, rotators) as “known applicant”.' }),
		h('section', { 'aria-labelledby': 'declare-heading' },
			h('h2', { id: 'declare-heading', text: 'Declare a conflict' }),
			(cs.candidates && cs.candidates.length) ? cs.form() : h('p', { text: 'There are no submitted applications to declare a conflict with.' })),
		cs.status, cs.section);
	cs.section.append(cs.requestsBox, cs.listBox);
}

export async function assignments(main, cycleId, phase = 'screening') {
	if (!isPhase(phase))
		phase = 'screening';
	const director = session.user.role === 'director';
	const [cycle, users, apps] = await Promise.all([
		api('GET', '/api/cycles/' + cycleId).then((x) => x.cycle),
		allUsers(),
		submittedApplications(cycleId)]);
	const raters = users.filter((u) => ['faculty', 'director'].includes(u.role) && u.active !== false && !u.disabled)
		.sort((a, b) => a.name.localeCompare(b.name));
	main.append(h('h1', { text: 'Reviewers · ' + phaseLabel(phase) }),
		h('p', { class: 'lead', text: cycle.name }),
		await otherCycles(cycleId, (id) => `#/cycles/${id}/assignments/${phase}`),
		phaseLinks('Phases', (p) => `#/cycles/${cycleId}/assignments/${p}`, phase));

	// Loads and progress, and every assignment of the phase.
	const loadBox = h('div', { id: 'rater-loads' });
	const remindStatus = statusLine({ id: 'remind-status' });
	const graphLine = h('p', { id: 'graph-status' });
	const allBox = h('div');
	let current = { assignments: [], raters: [] };
	async function loadAssignments() {
		current = await api('GET', `/api/cycles/${cycleId}/assignments?phase=${phase}`);
		const mine = current.raters.filter((x) => x.phase === undefined || x.phase === phase);
		const byId = new Map(mine.map((x) => [x.faculty_id, x]));
		const rows = [...new Set([...raters.map((u) => u.id), ...mine.map((x) => x.faculty_id)])].map((id) => {
			const x = byId.get(id) || { faculty_id: id, assigned: 0, submitted: 0, draft: 0 };
			const name = x.name || (raters.find((u) => u.id === id) || {}).name || 'Rater ' + id;
			return h('tr', {}, h('th', { scope: 'row', text: name }),
				h('td', { text: String(x.assigned) }), h('td', { text: String(x.submitted) }), h('td', { text: String(x.draft) }),
				h('td', {}, progressBar(`Progress of ${name}: ${x.submitted} of ${x.assigned} submitted`, x.submitted, x.assigned),
					h('span', { class: 'hint', text: x.assigned ? ` ${Math.round(100 * x.submitted / x.assigned)}%` : ' —' })),
				h('td', {}, x.assigned > x.submitted ? remindButton(id, name, x.assigned - x.submitted) :
					h('span', { class: 'hint', text: x.assigned ? 'All submitted' : 'Nothing assigned' })));
		});
		loadBox.replaceChildren(table(`Raters’ load and progress, ${phaseLabel(phase).toLowerCase()}`,
			['Rater', 'Assigned', 'Submitted', 'Drafts', 'Progress', 'Reminder'], rows, { id: 'loads-table' }), remindStatus);
		const g = current.graph && current.graph[phase];
		graphLine.textContent = !g ? '' : g.connected ?
			'The raters and candidates form one connected group, so all raters’ leniency can be compared.' :
			`The assignments form ${g.components} separate groups; raters in different groups cannot be compared. Add overlapping assignments to connect them.`;
		graphLine.className = g && !g.connected ? 'notice warning' : 'notice';
		const list = current.assignments.filter((a) => a.phase === phase)
			.sort((a, b) => a.candidate.localeCompare(b.candidate) || a.faculty_name.localeCompare(b.faculty_name));
		allBox.replaceChildren(list.length ? table(`All ${phaseLabel(phase).toLowerCase()} assignments`,
			['Candidate', 'Rater', 'Sheet', 'Actions'], list.map((a) => {
				const un = h('button', { type: 'button', class: 'secondary outline', text: 'Unassign',
					'aria-label': `Unassign ${a.faculty_name} from ${a.candidate}`, disabled: a.sheet === 'submitted' });
				un.addEventListener('click', () => manual(a.faculty_id, a.application_id, false,
					`${a.faculty_name} no longer reviews ${a.candidate}.`));
				return h('tr', {}, h('td', {}, h('a', { href: `#/review/${a.application_id}/${phase}`, text: `${a.candidate} (no. ${a.application_id})` })),
					h('td', { text: a.faculty_name }), h('td', { text: SHEET_TEXT[a.sheet] || a.sheet }), h('td', {}, un));
			})) : h('p', { text: 'Nobody is assigned in this phase yet.' }));
	}

	// A reminder to one rater about their missing sheets of this phase
	// (the server allows one in 12 hours after any reminder reached them).
	function remindButton(id, name, missing) {
		const b = h('button', { type: 'button', class: 'secondary outline', text: 'Remind',
			'aria-label': `Remind ${name} of ${missing} missing sheet${missing === 1 ? '' : 's'}` });
		b.addEventListener('click', async () => {
			b.setAttribute('aria-busy', 'true');
			b.disabled = true;
			try {
				await api('POST', `/api/cycles/${cycleId}/reminders`, { phase, faculty_id: id });
				remindStatus.textContent = `Reminder sent to ${name}.`;
			} catch (e) {
				remindStatus.textContent = e.message;
				b.disabled = false;
			} finally {
				b.removeAttribute('aria-busy');
			}
		});
		return b;
	}

	// Automatic assignment.
	const autoResult = h('div', { id: 'auto-result', 'aria-live': 'polite' });
	const auto = h('form', { novalidate: true, id: 'auto-form' }, formMessage(),
		h('div', { class: 'grid' },
			selectField('Phase', 'phase', PHASES, phase),
			field('Raters per candidate', 'raters_per_candidate', { type: 'number', min: 1, max: 20, value: '3', inputmode: 'numeric', required: true }),
			field('Most candidates per rater', 'max_per_rater', { type: 'number', min: 1, max: 1000,
				value: String(Math.max(1, Math.ceil(apps.length * 3 / Math.max(1, raters.length)) + 2)), inputmode: 'numeric', required: true })),
		h('button', { type: 'submit', text: 'Assign automatically' }));
	auto.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(auto);
		const v = values(auto);
		const k = Number(v.raters_per_candidate);
		const cap = Number(v.max_per_rater);
		if (!Number.isInteger(k) || k < 1)
			return showError(auto, { field: 'raters_per_candidate', message: 'Enter a whole number, at least 1.' });
		if (!Number.isInteger(cap) || cap < 1)
			return showError(auto, { field: 'max_per_rater', message: 'Enter a whole number, at least 1.' });
		await busy(auto, async () => {
			try {
				const r = await api('POST', `/api/cycles/${cycleId}/assignments/auto`,
					{ phase: v.phase, raters_per_candidate: k, max_per_rater: cap });
				autoResult.replaceChildren(...[
					h('p', { role: 'status', text: `Added ${r.added} assignment${r.added === 1 ? '' : 's'}. ` +
						(r.connected ? 'The assignment graph is connected (one group): every rater can be compared with every other.' :
							`The assignment graph is not connected: ${r.components} separate groups.`) }),
					r.warnings && r.warnings.length ? h('ul', { class: 'warnings' }, ...r.warnings.map((w) => h('li', { text: w }))) : null,
					r.loads && r.loads.length ? table('Load per rater after assignment', ['Rater', 'Assigned'],
						r.loads.map((l) => h('tr', {}, h('th', { scope: 'row', text: l.name }), h('td', { text: String(l.assigned) })))) : null,
				].filter(Boolean));
				if (v.phase === phase)
					await loadAssignments();
			} catch (e) {
				showError(auto, e);
			}
		});
	});

	// Manual assignment.
	const manualStatus = statusLine({ id: 'manual-status' });
	async function manual(facultyId, appId, assigned, done) {
		try {
			const r = await api('PUT', `/api/cycles/${cycleId}/assignments`,
				[{ faculty_id: facultyId, application_id: appId, phase, assigned }]);
			manualStatus.textContent = (r.added || r.removed) ? done :
				(assigned ? 'That rater was already assigned.' : 'That rater was not assigned.');
			await loadAssignments();
			return true;
		} catch (e) {
			manualStatus.textContent = e.message;
			return false;
		}
	}
	const manualForm = h('form', { novalidate: true, id: 'manual-form' }, formMessage(),
		h('div', { class: 'grid' },
			selectField('Rater', 'faculty_id', [['', 'Choose a rater'], ...raters.map((u) => [String(u.id), u.name])], ''),
			selectField('Candidate', 'application_id', [['', 'Choose a candidate'], ...apps.map((a) => [String(a.id), a.name])], '')),
		h('div', { class: 'sheet-actions' },
			h('button', { type: 'submit', text: 'Assign' }),
			h('button', { type: 'button', class: 'secondary', id: 'unassign', text: 'Unassign' })),
		manualStatus);
	async function manualSubmit(assigned) {
		clearErrors(manualForm);
		const v = values(manualForm);
		if (!v.faculty_id)
			return showError(manualForm, { field: 'faculty_id', message: 'Choose a rater.' });
		if (!v.application_id)
			return showError(manualForm, { field: 'application_id', message: 'Choose a candidate.' });
		const rater = raters.find((u) => String(u.id) === v.faculty_id);
		const app = apps.find((a) => String(a.id) === v.application_id);
		await manual(Number(v.faculty_id), Number(v.application_id), assigned,
			assigned ? `${rater.name} now reviews ${app.name} (${phaseLabel(phase).toLowerCase()}).` :
				`${rater.name} no longer reviews ${app.name} (${phaseLabel(phase).toLowerCase()}).`);
	}
	manualForm.addEventListener('submit', (ev) => {
		ev.preventDefault();
		manualSubmit(true);
	});
	manualForm.querySelector('#unassign').addEventListener('click', () => manualSubmit(false));

	// The phases: scoring deadline and closing (director), reminders.
	const phaseBox = h('div', { id: 'phase-settings' });
	async function loadPhases() {
		const ps = (await api('GET', `/api/cycles/${cycleId}/phases`)).phases;
		const p = ps.find((x) => x.phase === phase) || { phase, scoring_due: null, closed: false, weight: 0 };
		const st = statusLine({ id: 'phase-status' });
		const parts = [h('p', { text: `${phaseLabel(phase)} scoring is ${p.closed ? 'closed' + (p.closed_at ? ' since ' + shortTime(p.closed_at, cycle.timezone) : '') : 'open'}` +
			`; due ${p.scoring_due ? shortTime(p.scoring_due, cycle.timezone) : 'date not set'}` +
			`; weight in the composite score ${p.weight}%.` })];
		// The coordinator sets the deadline; the director also the weight,
		// and closes or reopens scoring.
		const f = h('form', { novalidate: true, id: 'phase-form' }, formMessage(),
			h('div', { class: 'grid' },
				field('Scoring due', 'scoring_due', { type: 'datetime-local', value: p.scoring_due || '' },
					'In the cycle’s time zone, ' + cycle.timezone + '. Reminders go to raters with missing sheets before it.'),
				director ? field('Weight in the composite (%)', 'weight', { type: 'number', min: 0, max: 100, value: String(p.weight), inputmode: 'numeric' }) : null),
			h('button', { type: 'submit', text: director ? 'Save phase settings' : 'Save the deadline' }));
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			clearErrors(f);
			const v = values(f);
			await busy(f, async () => {
				try {
					const body = { scoring_due: v.scoring_due || null };
					if (director)
						body.weight = Number(v.weight);
					await api('PATCH', `/api/cycles/${cycleId}/phases/${phase}`, body);
					await loadPhases();
					phaseBox.querySelector('#phase-status').textContent = 'Phase settings saved.';
				} catch (e) {
					showError(f, e);
				}
			});
		});
		parts.push(f);
		if (director) {
			const toggle = h('button', { type: 'button', class: p.closed ? 'secondary' : 'contrast',
				text: p.closed ? 'Reopen scoring' : 'Close scoring' });
			toggle.addEventListener('click', async () => {
				if (!p.closed && !window.confirm(`Close ${phaseLabel(phase).toLowerCase()} scoring? Raters can no longer change their sheets.`))
					return;
				try {
					await api('PATCH', `/api/cycles/${cycleId}/phases/${phase}`, { closed: !p.closed });
					await loadPhases();
					phaseBox.querySelector('#phase-status').textContent = p.closed ?
						'Scoring reopened: raters can change their sheets again.' : 'Scoring closed: the sheets are read-only now.';
				} catch (e) {
					st.textContent = e.message;
				}
			});
			parts.push(h('p', {}, toggle));
		}
		const remind = h('button', { type: 'button', class: 'secondary', text: 'Send reminders' });
		remind.addEventListener('click', async () => {
			remind.setAttribute('aria-busy', 'true');
			try {
				const r = await api('POST', `/api/cycles/${cycleId}/reminders`, { phase });
				st.textContent = r.sent ? `Sent ${r.sent} reminder${r.sent === 1 ? '' : 's'} to raters with missing sheets.` :
					'No reminder was sent: every rater has submitted, or was reminded in the last 12 hours.';
			} catch (e) {
				st.textContent = e.message;
			} finally {
				remind.removeAttribute('aria-busy');
			}
		});
		parts.push(h('p', {}, remind, ' ', h('small', { class: 'hint', text: 'E-mails the raters who have missing sheets in this phase (at most once in 12 hours each).' })), st);
		phaseBox.replaceChildren(...parts);
	}

	const cs = conflictsSection(cycleId, { staff: true, raters, candidates: apps });
	cs.section.append(cs.requestsBox, cs.listBox, h('h3', { id: 'record-conflict', text: 'Record a conflict' }), cs.form(), cs.status);
	// A new conflict removes assignments: show the new loads.
	const reloadAfter = cs.load;
	cs.load = async () => {
		await reloadAfter();
		await loadAssignments();
	};

	main.append(
		h('section', { 'aria-labelledby': 'auto-heading' },
			h('h2', { id: 'auto-heading', text: 'Automatic assignment' }),
			h('p', { text: 'Keeps the assignments already made and adds raters until every candidate has enough, without going over the cap, never assigning a rater with a conflict, and overlapping raters so their leniency can be compared.' }),
			auto, autoResult),
		h('section', { 'aria-labelledby': 'loads-heading' },
			h('h2', { id: 'loads-heading', text: 'Load and progress' }), graphLine, loadBox),
		h('section', { 'aria-labelledby': 'manual-heading' },
			h('h2', { id: 'manual-heading', text: 'Assign or unassign one rater' }), manualForm,
			h('details', {}, h('summary', { text: 'Every assignment of this phase' }), allBox)),
		h('section', { 'aria-labelledby': 'phase-heading' },
			h('h2', { id: 'phase-heading', text: 'Scoring settings and reminders' }), phaseBox),
		cs.section);
	await Promise.all([loadAssignments(), loadPhases(), reloadAfter()]);
	main.append(h('p', {}, h('a', { href: `#/cycles/${cycleId}/rubric/${phase}`, text: 'The rubric of this phase' }),
		' · ', h('a', { href: `#/cycles/${cycleId}/interviews`, text: 'Interviews' })));
}
