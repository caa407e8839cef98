// The start page: for a visitor, what the product is and where to sign
// in; for a signed-in user, their to-do list for the current cycles, from
// one request (GET /api/home, ops/home.h): counts a person can act on,
// each with its link, and deadlines in the cycle's time zone with the
// time left by the server's clock (never the browser's).
import { h } from '../dom.js';
import { session, go } from '../app.js';
import { api } from '../api.js';
import { phaseLabel, departureText } from './sheet.js';
import { decisionButtons } from './assign.js';
import { when } from '../dates.js';

// The applicant's booked interview as a calendar file (GET, the
// applicant's own booking as .ics, ops_interview_ics).
export function calendarHref(applicationId) {
	return `/api/applications/${applicationId}/interview.ics`;
}

// "Tue 8 Dec 2026": the day of an instant in time zone tz.
function day(instant, tz) {
	return when(instant, tz).replace(/,.*$/, '');
}

// The time left as words: "in 5 days", "3 hours ago".
export function timeLeft(seconds) {
	if (seconds === null || seconds === undefined)
		return '';
	const s = Math.abs(seconds);
	const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
	let text;
	if (s >= 2 * 86400)
		text = plural(Math.floor(s / 86400), 'day');
	else if (s >= 86400)
		text = plural(1, 'day') + (s % 86400 >= 3600 ? ' ' + plural(Math.floor((s % 86400) / 3600), 'hour') : '');
	else if (s >= 3600)
		text = plural(Math.floor(s / 3600), 'hour');
	else
		text = plural(Math.max(1, Math.floor(s / 60)), 'minute');
	return seconds > 0 ? 'in ' + text : text + ' ago';
}

// A deadline as text: when, in the cycle's zone, and the time left.
function deadlineText(d, tz) {
	return `${when(d.due_at, tz)} (${timeLeft(d.seconds_left)})`;
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function section(id, title, ...children) {
	return h('section', { 'aria-labelledby': id, class: 'home-part' },
		h('h2', { id, text: title }), ...children);
}

// A to-do line: a count with what it means, and its link.
function todo(count, text, href, linkText, attrs = {}) {
	return h('li', { class: count > 0 ? 'todo' : 'todo done' },
		h('strong', { class: 'count', text: String(count) }), ' ', text,
		href ? [' — ', h('a', { href, text: linkText, ...attrs })] : null);
}

let uid = 0;

function progress(label, done, total) {
	const id = 'home-progress-' + (++uid);
	return h('div', { class: 'progress-field' },
		h('label', { for: id, id: id + '-label', text: label }),
		h('progress', { id, max: String(Math.max(total, 1)), value: String(done),
			'aria-labelledby': id + '-label' }));
}

export async function render(main) {
	const u = session.user;
	if (!u) {
		main.append(h('h1', { text: 'Fellowship selection' }),
			h('p', { text: 'Applications, confidential letters, faculty scoring and the rank list for the match, in one place.' }),
			h('p', {}, h('a', { href: '#/signin', role: 'button', text: 'Sign in' }), ' ',
				h('a', { href: '#/register', role: 'button', class: 'secondary', text: 'Create an applicant account' })));
		await serviceStatus(main);
		return;
	}
	// An account with no role in a program (an administrator's, or
	// one whose roles were taken away): nothing to do here.
	if (!u.role) {
		main.append(h('h1', { text: 'Welcome, ' + u.name }),
			u.admin ?
				h('p', {}, 'You administer this installation: ',
					h('a', { href: '#/installation', text: 'its programs and people' }), '.') :
				h('p', { text: 'You have no role in a program yet. A program\'s director or the installation\'s administrator can give you one.' }));
		return;
	}
	// The page appears whole, once its data is in; if the user has
	// gone on to another page meanwhile, that page keeps <main>.
	const at = location.hash;
	const view = await api('GET', '/api/home');
	if (location.hash !== at)
		return;
	const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'notice', id: 'home-status' });
	main.append(h('h1', { text: 'Welcome, ' + u.name }), status);
	if (view.role === 'applicant')
		applicantHome(main, view, status);
	else if (view.role === 'faculty')
		main.append(sheetsPart(view.sheets, 'Your score sheets'));
	else
		staffHome(main, view);
}

async function serviceStatus(main) {
	const status = h('p', { id: 'status', role: 'status', text: 'Checking the service…' });
	main.append(h('section', { 'aria-labelledby': 'status-heading' },
		h('h2', { id: 'status-heading', text: 'Service status' }), status));
	try {
		const r = await api('GET', '/api/health');
		status.textContent = r.status === 'ok' ? 'The service is running.' : 'The service answered: ' + r.status;
		status.className = 'status-ok';
	} catch (e) {
		status.textContent = 'The service is not reachable: ' + e.message;
		status.className = 'status-bad';
	}
}

// The applicant: one part per cycle, their own application only.

const STEP_TEXT = { started: 'Started', submitted: 'Submitted', invited: 'Invited to interview',
	booked: 'Interview booked', interviewed: 'Interviewed' };
const LETTER_TEXT = { requested: 'requested, not received yet', received: 'received', cancelled: 'cancelled' };
const APP_TEXT = { draft: 'Draft — not submitted yet.', submitted: 'Submitted.',
	withdrawn: 'Withdrawn: the program will not consider this application.' };

function applicantHome(main, view, status) {
	if (!view.cycles.length) {
		main.append(h('p', { text: 'No application cycle is open yet. You can apply as soon as the program opens its next cycle.' }));
		return;
	}
	for (const part of view.cycles)
		main.append(applicantCycle(part, status));
}

function applicantCycle(part, status) {
	const c = part.cycle;
	const app = part.application;
	const tz = c.timezone;
	const id = 'cycle-' + c.id;
	const canOpen = app || c.accepting_applications;
	const heading = h('h2', { id }, canOpen ? h('a', { href: '#/apply/' + c.id, text: c.name }) : c.name);
	const box = h('section', { 'aria-labelledby': id, class: 'home-part' }, heading);
	if (!app) {
		box.append(c.accepting_applications ?
			h('p', {}, `Applications are open until ${deadlineText(c.applications_close, tz)}. `,
				h('a', { href: '#/apply/' + c.id, text: 'Start your application' })) :
			h('p', { text: 'This cycle is not accepting new applications.' }));
		return box;
	}
	box.append(h('p', { class: 'app-state', text: APP_TEXT[app.status] || app.status }));
	const apply = '#/apply/' + c.id;
	const steps = part.timeline;

	// What to do: the counts, each with its link.
	const todos = h('ul', { class: 'todos', 'aria-labelledby': id + '-todo' });
	if (app.status === 'draft') {
		if (app.missing.length)
			todos.append(todo(app.missing.length, `${app.missing.length === 1 ? 'item is' : 'items are'} missing: ${app.missing.map((m) => m.label).join(', ')}`,
				apply, 'Complete your application'));
		else if (app.editable)
			todos.append(h('li', { class: 'todo' }, 'Everything required is in — ', h('a', { href: apply, text: 'submit your application' })));
		todos.append(h('li', { text: app.editable ? `Applications close ${deadlineText(c.applications_close, tz)}.` :
			'The deadline has passed: the application can no longer be changed.' }));
	}
	const letters = part.letters.filter((l) => l.status !== 'cancelled');
	const waiting = letters.filter((l) => l.status === 'requested').length;
	if (waiting && app.status !== 'withdrawn')
		todos.append(todo(waiting, `${waiting === 1 ? 'letter has' : 'letters have'} not arrived yet`, apply, 'Send a reminder',
			{ 'aria-label': 'Send a reminder to a letter writer' }));
	if (todos.childElementCount)
		box.append(h('h3', { id: id + '-todo', text: 'To do' }), todos);

	// The interview: the invitation with its Book button, or the slot.
	const inv = part.invitation;
	if (inv && app.status !== 'withdrawn') {
		const interview = h('div', { class: 'interview', id: id + '-interview' });
		if (inv.status === 'booked' && inv.slot) {
			const s = inv.slot;
			const done = steps.find((x) => x.step === 'interviewed')?.done;
			interview.append(h('p', { class: 'booked', text: `${done ? 'You were interviewed' : 'Your interview is booked'}: ${when(s.starts_at, tz)}, until ${s.ends}, ${s.location || 'location to be announced'}.` }));
			if (!done)
				interview.append(h('p', {},
					h('a', { href: calendarHref(app.id), download: `interview-${c.id}.ics`, text: 'Add it to your calendar (.ics file)' }),
					' · ', h('a', { href: apply, text: 'Change or cancel the booking' })));
		} else if (inv.status === 'waitlisted') {
			interview.append(h('p', { text: `You are invited to interview. Every slot is full: you are number ${inv.waitlist_position} on the waitlist, and will be booked and told by e-mail when a seat frees up.` }),
				h('p', {}, h('a', { href: apply, text: 'See the interview days' })));
		} else {
			interview.append(h('p', { text: `You are invited to interview (invited ${day(inv.invited_at, tz)}). Choose a slot on your application page.` }),
				h('p', {}, h('a', { href: apply, role: 'button', text: 'Book an interview slot' })));
		}
		box.append(h('h3', { id: id + '-interview-heading', text: 'Interview' }), interview);
	}

	// The timeline: what has happened, and the next step marked.
	const nextStep = app.status === 'withdrawn' ? -1 : steps.findIndex((s) => !s.done);
	box.append(h('h3', { id: id + '-timeline', text: 'Where your application stands' }),
		h('ol', { class: 'timeline', 'aria-labelledby': id + '-timeline' }, ...steps.map((s, i) => h('li', {
			class: s.done ? 'step done' : 'step',
			'aria-current': i === nextStep ? 'step' : null,
		}, h('span', { class: 'step-name', text: STEP_TEXT[s.step] || s.step }), ' ',
		h('span', { class: 'step-when', text: s.done ? '— ' + (s.step === 'interviewed' ? when(s.at, tz) : day(s.at, tz)) :
			i === nextStep ? '— next' : '— not yet' })))));

	const received = letters.filter((l) => l.status === 'received').length;
	box.append(h('h3', { id: id + '-letters', text: 'Letters of recommendation' }));
	if (letters.length)
		box.append(h('p', { text: `${received} of ${plural(letters.length, 'letter', 'letters')} received.` }),
			h('ul', { 'aria-labelledby': id + '-letters' }, ...letters.map((l) => h('li', {},
				h('strong', { text: l.writer_name }), ' — ' + (LETTER_TEXT[l.status] || l.status)))));
	else
		box.append(h('p', {}, 'No letters requested yet. ', app.status === 'withdrawn' ? null :
			h('a', { href: apply, text: 'Ask a writer for a letter' })));

	if (app.withdrawable) {
		const withdraw = h('button', { type: 'button', class: 'secondary outline', text: 'Withdraw this application',
			'aria-describedby': id + '-withdraw-hint' });
		withdraw.addEventListener('click', async () => {
			if (!window.confirm(`Withdraw your application to ${c.name}? The program will not consider it${part.invitation && part.invitation.status === 'booked' ? ', and your interview slot is released' : ''}.`))
				return;
			try {
				await api('POST', `/api/applications/${app.id}/withdraw`);
				status.textContent = 'Your application is withdrawn.';
				go('#/');
			} catch (e) {
				status.textContent = e.message;
			}
		});
		box.append(h('p', { class: 'withdraw' }, withdraw, ' ',
			h('small', { id: id + '-withdraw-hint', class: 'hint', text: 'Only staff can reopen a withdrawn application.' })));
	}
	return box;
}

// A rater's sheets: pending per phase, overdue first, and "start next".
function sheetsPart(s, title) {
	const box = section('home-sheets', title);
	if (!s || !s.total) {
		box.append(h('p', { text: 'No candidates are assigned to you yet. You will find them here once the coordinator assigns them.' }));
		return box;
	}
	box.append(progress(`${s.done} of ${plural(s.total, 'sheet', 'sheets')} submitted`, s.done, s.total));
	if (s.next) {
		box.append(h('p', {}, h('a', {
			href: `#/review/${s.next.application_id}/${s.next.phase}`, role: 'button', id: 'start-next',
			text: 'Start next', 'aria-describedby': 'start-next-who',
		}), ' ', h('span', { id: 'start-next-who', text: `${s.next.name}, ${phaseLabel(s.next.phase).toLowerCase()}` })));
	} else {
		box.append(h('p', { text: 'Nothing left to score. Thank you.' }));
	}
	for (const p of s.phases) {
		const id = `sheets-${p.cycle_id}-${p.phase}`;
		const left = p.total - p.done;
		const overdue = p.deadline.overdue && !p.closed && left > 0;
		const part = h('section', { 'aria-labelledby': id, class: 'home-phase' },
			h('h3', { id }, `${phaseLabel(p.phase)} · ${p.cycle}`,
				overdue ? [' · ', h('span', { class: 'overdue-mark', text: 'overdue' })] : null));
		part.append(h('p', {}, h('strong', { text: left ? `${left} to write` : 'All submitted' }),
			` · ${p.done} of ${p.total} submitted${p.drafts ? ` · ${plural(p.drafts, 'draft', 'drafts')} saved` : ''}.`));
		if (p.closed)
			part.append(h('p', { class: 'notice', text: 'Scoring is closed for this phase.' }));
		else if (p.deadline.due_at)
			part.append(h('p', { class: overdue ? 'notice warning' : null,
				text: (p.deadline.overdue ? 'Was due ' : 'Due ') + deadlineText(p.deadline, p.timezone) + '.' }));
		if (p.pending.length)
			part.append(h('ul', { 'aria-label': `Sheets to write for ${phaseLabel(p.phase).toLowerCase()}` },
				...p.pending.map((x) => h('li', {},
					p.closed ? h('span', { text: x.name }) :
						h('a', { href: `#/review/${x.application_id}/${p.phase}`, text: x.name }),
					x.sheet === 'draft' ? ' — draft saved' : ' — not started'))));
		box.append(part);
	}
	box.append(h('p', {}, h('a', { href: '#/review', text: 'All my candidates' })));
	return box;
}

// The coordinator and the director: one part per cycle, then the mail.

const DEADLINE_TEXT = { applications_close: 'Applications close', screening: 'Screening scores due',
	interview: 'Interview scores due', ranklist_due: 'Rank list due' };

function deadlinesList(c, deadlines) {
	if (!deadlines.length)
		return h('p', { text: 'No deadline ahead.' });
	return h('ul', { class: 'deadlines' }, ...deadlines.map((d) => h('li', {},
		h('strong', { text: DEADLINE_TEXT[d.key] || d.key }), ' ' + deadlineText(d, c.timezone),
		d.overdue ? [' — ', h('span', { class: 'overdue-mark', text: 'overdue' })] : null)));
}

function staffHome(main, view) {
	for (const part of view.cycles) {
		const c = part.cycle;
		const id = 'cycle-' + c.id;
		const box = h('section', { 'aria-labelledby': id, class: 'home-part' },
			h('h2', { id, text: `${c.name} (${c.state})` }),
			h('h3', { id: id + '-deadlines', text: 'Deadlines' }), deadlinesList(c, part.deadlines));
		pendingConflicts(box, part);
		if (view.role === 'coordinator')
			coordinatorCycle(box, part);
		else
			directorCycle(box, part);
		main.append(box);
	}
	if (!view.cycles.length)
		main.append(h('p', {}, 'There is no cycle yet. ', view.role === 'director' ?
			h('a', { href: '#/cycles', text: 'Create the first cycle' }) : 'The director creates it.'));
	if (view.sheets)
		main.append(sheetsPart(view.sheets, 'Your score sheets'));
	main.append(mailPart(view.mail));
}

// Conflicts raters declared after scoring closed: held, changing no
// score, until the coordinator or the director accepts or declines them.
function pendingConflicts(box, part) {
	const c = part.cycle;
	const id = 'cycle-' + c.id;
	const pending = part.pending_conflicts || [];
	if (!pending.length)
		return;
	const said = h('p', { role: 'status', 'aria-live': 'polite', id: id + '-decide-status' });
	const list = h('ul', { class: 'todos', 'aria-labelledby': id + '-pending' }, ...pending.map((q) => {
		const li = h('li', { class: 'todo blocking' },
			h('strong', { text: q.faculty_name }), ` declared a ${q.kind === 'known_applicant' ? 'known applicant' : 'conflict of interest'} with `,
			h('a', { href: `#/applications/${q.application_id}`, text: q.candidate }),
			` on ${when(q.declared_at, c.timezone)}: “${q.reason}”${/[.!?]$/.test(q.reason) ? '' : '.'} ${q.held_because} Until you decide, nothing changes. `);
		li.append(decisionButtons(q, async (msg, decided) => {
			said.textContent = msg;
			if (!decided)
				return;
			li.replaceChildren(h('span', { text: msg }));
			li.className = 'todo done';
		}));
		return li;
	}));
	box.append(h('h3', { id: id + '-pending', text: 'Conflicts awaiting your decision' }), list, said,
		h('p', { class: 'hint' }, 'Accepted, the rater’s sheets of that candidate stop counting and the ranking changes; declined, nothing changes. ',
			h('a', { href: `#/cycles/${c.id}/conflicts`, text: 'All conflicts', 'aria-label': `All conflicts of ${c.name}` })));
}

function coordinatorCycle(box, part) {
	const c = part.cycle;
	const id = 'cycle-' + c.id;
	const p = part.pipeline;
	const list = `#/cycles/${c.id}`;
	const total = p.drafts + p.submitted_complete + p.submitted_incomplete + p.withdrawn;
	box.append(h('h3', { id: id + '-pipeline', text: 'Applications' }));
	if (!total)
		box.append(h('p', {}, 'No applications yet. ', h('a', { href: list, text: 'Applications list',
			'aria-label': `Applications list of ${c.name}` })));
	else
		box.append(h('ul', { class: 'todos', 'aria-labelledby': id + '-pipeline' },
			todo(p.drafts, `${p.drafts === 1 ? 'draft' : 'drafts'} not submitted (${p.drafts_complete} with nothing missing)`, list, 'Applications list',
				{ 'aria-label': `Drafts in the applications list of ${c.name}` }),
			todo(p.submitted_complete, 'submitted and complete', null),
			todo(p.submitted_incomplete, `submitted, waiting for something (${plural(p.awaiting_letters, 'application', 'applications')} waiting for letters)`,
				list, 'Applications list', { 'aria-label': `Submitted applications in the applications list of ${c.name}` }),
			todo(p.letters_outstanding, `${p.letters_outstanding === 1 ? 'letter' : 'letters'} requested and not received`, null),
			todo(p.withdrawn, 'withdrawn', null)));

	// Interviews and raters matter once review has begun.
	const nb = part.not_booked;
	const rb = part.raters_behind;
	const reviewing = ['review', 'ranking'].includes(c.state);
	if (reviewing || nb.length) {
		box.append(h('h3', { id: id + '-booking', text: 'Invited, not booked' }));
		if (nb.length)
			box.append(h('p', {}, h('strong', { class: 'count', text: String(nb.length) }),
				` ${nb.length === 1 ? 'candidate has' : 'candidates have'} not booked an interview slot — `,
				h('a', { href: `#/cycles/${c.id}/interviews`, text: 'Interviews', 'aria-label': `Interviews of ${c.name}` })),
			h('ul', { 'aria-labelledby': id + '-booking' }, ...nb.map((x) => h('li', {},
				h('a', { href: `#/applications/${x.application_id}`, text: x.name }),
				` — invited ${day(x.invited_at, c.timezone)}${x.waitlisted_at ? ', on the waitlist' : ''}`))));
		else
			box.append(h('p', { text: 'Every invited candidate has booked a slot.' }));
	}
	if (reviewing || rb.length) {
		box.append(h('h3', { id: id + '-raters', text: 'Raters behind' }));
		// The nudge: a reminder to that one rater of their missing sheets
		// (the server sends at most one in 12 hours after any reminder
		// reached them, and says so).
		const said = h('p', { role: 'status', 'aria-live': 'polite', id: id + '-remind-status' });
		box.append(rb.length ? h('ul', { 'aria-labelledby': id + '-raters' }, ...rb.map((r) => h('li', {},
			h('strong', { text: r.name }), ` — ${phaseLabel(r.phase).toLowerCase()}: ${r.missing} outstanding, ${r.submitted} of ${r.assigned} submitted${r.drafts ? ` (${plural(r.drafts, 'draft', 'drafts')})` : ''} `,
			remindButton(c, r, said)))) :
			h('p', { text: 'No rater has sheets outstanding in an open phase.' }));
		if (rb.length)
			box.append(said, h('p', {}, h('a', { href: `#/cycles/${c.id}/assignments/${rb[0].phase}`, text: 'Reviewers page',
				'aria-label': `Reviewers page of ${c.name}` })));
	}
}

function remindButton(c, r, said) {
	const phase = phaseLabel(r.phase).toLowerCase();
	const b = h('button', { type: 'button', class: 'secondary outline small', text: 'Remind',
		'aria-label': `Remind ${r.name} of ${plural(r.missing, `missing ${phase} sheet`, `missing ${phase} sheets`)}` });
	b.addEventListener('click', async () => {
		b.setAttribute('aria-busy', 'true');
		b.disabled = true;
		try {
			await api('POST', `/api/cycles/${c.id}/reminders`, { phase: r.phase, faculty_id: r.rater_id });
			said.textContent = `Reminder sent to ${r.name}.`;
			b.textContent = 'Reminded';
		} catch (e) {
			said.textContent = e.message;
			b.disabled = false;
		}
		b.removeAttribute('aria-busy');
	});
	return b;
}

function directorCycle(box, part) {
	const c = part.cycle;
	const id = 'cycle-' + c.id;
	const r = part.readiness;
	if (!r) {
		box.append(h('p', { text: 'Review has not started in this cycle.' }));
		return;
	}
	box.append(h('h3', { id: id + '-ready', text: 'Readiness for ranking and certification' }));
	if (r.ranking_error)
		box.append(h('p', { class: 'notice warning', text: 'The ranking could not be built: ' + r.ranking_error }));
	const items = h('ul', { class: 'todos', 'aria-labelledby': id + '-ready' });
	for (const p of r.phases) {
		const label = phaseLabel(p.phase);
		const href = `#/cycles/${c.id}/assignments/${p.phase}`;
		items.append(todo(p.missing, `${label.toLowerCase()} ${p.missing === 1 ? 'sheet' : 'sheets'} missing, ${plural(p.drafts, 'draft', 'drafts')} not submitted (${p.submitted} of ${p.assigned} submitted; scoring ${p.closed ? 'closed' : 'open'})`,
			p.missing + p.drafts ? href : null, 'Reviewers', { 'aria-label': `Reviewers for ${label.toLowerCase()} in ${c.name}` }));
		if (p.groups !== null && p.groups > 1)
			items.append(h('li', { class: 'todo' }, h('strong', { class: 'count', text: String(p.groups) }),
				` groups of ${label.toLowerCase()} raters with no candidate in common: their scores cannot be compared — `,
				h('a', { href: `#/cycles/${c.id}/ranking`, text: 'Ranking', 'aria-label': `Ranking of ${c.name}` })));
		else if (p.groups === 1)
			items.append(h('li', { class: 'todo done' }, h('strong', { class: 'count', text: '1' }),
				` group of ${label.toLowerCase()} raters: their scores can be compared.`));
	}
	if (r.not_interviewed) {
		const ni = r.not_interviewed;
		items.append(h('li', { class: ni.length ? 'todo' : 'todo done' },
			h('strong', { class: 'count', text: String(ni.length) }),
			` of ${plural(r.candidates, 'candidate', 'candidates')} on the rank list without an interview sheet`,
			ni.length ? [': ', ...ni.flatMap((x, i) => [i ? ', ' : '',
				h('a', { href: `#/applications/${x.application_id}`, text: x.name })])] : ''));
	}
	items.append(todo(r.not_booked, `invited ${r.not_booked === 1 ? 'candidate has' : 'candidates have'} not booked an interview`,
		r.not_booked ? `#/cycles/${c.id}/interviews` : null, 'Interviews', { 'aria-label': `Interviews of ${c.name}` }));
	box.append(items);
	// Who left the rank list: under a certified list, since it was
	// certified (the director decides whether to reopen it).
	const gone = r.departures || [];
	if (gone.length) {
		const certified = r.ranklist && r.ranklist.kind === 'certified';
		box.append(h('h3', { id: id + '-left', text: certified ? 'Left the certified rank list' : 'No longer candidates on the rank list' }),
			h('ul', { class: 'todos', 'aria-labelledby': id + '-left' }, ...gone.map((d) => h('li', { class: 'todo blocking' },
				departureText(d, c.timezone) + (certified ? ' after the list was certified. ' : '. '),
				h('a', { href: `#/cycles/${c.id}/ranklist`, text: certified ? 'Reopen the rank list' : 'Take them off the rank list',
					'aria-label': `${certified ? 'Reopen the rank list' : 'Open the rank list'} of ${c.name}` })))),
			h('p', { class: 'hint', text: certified ? 'The certified list and its exports keep the names and match identifiers as certified.' :
				'Take them off the list and save it before certifying.' }));
	}
	// Certification, as the rank list's Certify dialog will put it.
	const cert = r.certification;
	if (cert) {
		const list = h('ul', { class: 'todos', 'aria-labelledby': id + '-cert' });
		for (const b of cert.blocking)
			list.append(h('li', { class: 'todo blocking' }, h('strong', { text: 'Blocks: ' }), b.message));
		for (const w of cert.warnings)
			list.append(todo(w.count, `${w.title.charAt(0).toLowerCase() + w.title.slice(1)} — to acknowledge when certifying`, null));
		if (!cert.blocking.length && !cert.warnings.length)
			list.append(h('li', { class: 'todo done', text: 'Nothing blocks certification and there is nothing to acknowledge.' }));
		box.append(h('h3', { id: id + '-cert', text: 'Before certifying' }), list);
	}
	const rl = r.ranklist;
	box.append(h('p', {}, rl ? `The rank list is at version ${rl.version} (${rl.kind}). ` : 'The rank list has not been saved yet. ',
		h('a', { href: `#/cycles/${c.id}/ranklist`, text: rl && rl.kind === 'certified' ? 'See the certified rank list' : 'Open the rank list' }),
		' · ', h('a', { href: `#/cycles/${c.id}/ranking`, text: 'Open the ranking' })));
}

function mailPart(mail) {
	const box = section('home-mail', 'Mail');
	if (!mail.failed && !mail.retrying) {
		box.append(h('p', { text: 'No mail has failed.' }));
		return box;
	}
	box.append(h('ul', { class: 'todos' },
		todo(mail.failed, `${mail.failed === 1 ? 'message' : 'messages'} could not be delivered`, '#/outbox', 'Outbox'),
		todo(mail.retrying, `${mail.retrying === 1 ? 'message is' : 'messages are'} being tried again`, null)));
	if (mail.recent.length)
		box.append(h('ul', { 'aria-label': 'Latest undelivered messages' }, ...mail.recent.map((m) => h('li', {},
			h('strong', { text: m.subject }), ` to ${m.to} — ${plural(m.attempts, 'attempt', 'attempts')}: ${m.last_error || 'no reason given'}`))));
	return box;
}
