// The application shell: who is signed in, the navigation (one line on
// wide screens, a menu button under 768 px), and a small hash router that
// shows one view at a time in <main>.
import { api, setCsrf, setProgram } from './api.js';
import { h } from './dom.js';
import { setZone } from './dates.js';
import * as auth from './views/auth.js';
import * as account from './views/account.js';
import * as people from './views/people.js';
import * as logs from './views/logs.js';
import * as home from './views/home.js';
import * as apply from './views/apply.js';
import * as applications from './views/applications.js';
import * as letter from './views/letter.js';
import * as review from './views/review.js';
import * as rubric from './views/rubric.js';
import * as assign from './views/assign.js';
import * as interviews from './views/interviews.js';
import * as ranking from './views/ranking.js';
import * as planning from './views/planning.js';
import * as meeting from './views/meeting.js';
import * as installation from './views/installation.js';
import { forDefaultCycle } from './views/sheet.js';

export const session = { user: null, program: null, programs: [] };

// The program this tab works in, kept for the tab (sessionStorage): two
// tabs may work in two programs.
const PROGRAM_KEY = 'fellowship.program';

function chosenProgram() {
	try {
		const id = Number(sessionStorage.getItem(PROGRAM_KEY));
		return id > 0 ? id : null;
	} catch {
		return null;
	}
}

function chooseProgram(id) {
	try {
		if (id)
			sessionStorage.setItem(PROGRAM_KEY, String(id));
		else
			sessionStorage.removeItem(PROGRAM_KEY);
	} catch {
		// Private windows may refuse storage: the choice lasts the page.
	}
	setProgram(id);
}

// Reads /api/session again: the person's role in the chosen program, the
// programs they have one in (the switcher's), the program's name.
export async function refreshSession() {
	let s;
	try {
		s = await api('GET', '/api/session');
	} catch (e) {
		// A choice the server refuses (a program no longer the
		// person's): back to their first.
		if (e.status !== 400 && e.status !== 403)
			throw e;
		chooseProgram(null);
		s = await api('GET', '/api/session');
	}
	// A program chosen in this tab where the person has no role any
	// more (taken away since): back to their first.
	if (s.user && !s.user.role && (s.programs || []).length && chosenProgram()) {
		chooseProgram(null);
		s = await api('GET', '/api/session');
	}
	session.programs = s.programs || [];
	session.user = s.user || null;
	showProgram(s.program);
	renderNav();
	return s;
}

// Which program every page is about: its name beside the product's in the
// header and in the window's title.
export function showProgram(program) {
	if (program !== undefined)
		session.program = program;
	const brand = document.querySelector('.brand');
	if (!brand)
		return;
	const name = session.program ? session.program.name : '';
	// With a role in more than one program, the name is the switcher's.
	const switching = session.user && session.programs.length > 1;
	brand.replaceChildren(h('strong', { text: 'Fellowship selection' }),
		name && !switching ? h('span', { class: 'program-name', text: name }) : '');
	const old = document.getElementById('program-switch-item');
	if (old)
		old.remove();
	// Under the product's name, where the program's name would be.
	if (switching)
		brand.after(programSwitch());
	const h1 = document.querySelector('main h1');
	if (h1)
		setTitle(h1.textContent);
}

// The window's title: the page's heading, then the program's name.
function setTitle(heading) {
	const where = session.program ? session.program.name : 'Fellowship selection';
	document.title = heading === 'Fellowship selection' ?
		heading + (session.program ? ' · ' + where : '') :
		heading + ' · ' + where;
}

const STAFF = ['coordinator', 'director'];

const PHASE = '(?:/(screening|interview))?';

// route pattern -> [view, who may see it ('any', 'guest', 'user', 'staff',
// 'reviewer' (not an applicant), 'rater' (faculty, director), 'applicant')].
// Pages of one cycle also answer without the cycle, for the newest one.
const routes = [
	[/^$/, home.render, 'any'],
	[/^signin$/, auth.signin, 'guest'],
	[/^register$/, auth.register, 'guest'],
	[/^forgot$/, auth.forgot, 'guest'],
	[/^reset\/([A-Za-z0-9_-]{43})$/, auth.reset, 'any'],
	[/^invite\/([A-Za-z0-9_-]{43})$/, auth.invite, 'any'],
	[/^setup\/([A-Za-z0-9_-]{43})$/, auth.setup, 'any'],
	[/^letter\/([A-Za-z0-9_-]{43})$/, letter.render, 'any'],
	[/^account$/, account.render, 'user'],
	[/^people$/, people.render, 'staff'],
	[/^audit$/, logs.audit, 'staff'],
	[/^outbox$/, logs.outbox, 'staff'],
	[/^apply\/(\d+)$/, apply.render, 'applicant'],
	[/^cycles$/, applications.cycles, 'reviewer'],
	[/^cycles\/(\d+)$/, applications.cycle, 'reviewer'],
	[/^applications\/(\d+)$/, applications.application, 'user'],
	[/^review$/, forDefaultCycle(review.mine, 'My candidates'), 'rater'],
	[/^cycles\/(\d+)\/review$/, review.mine, 'rater'],
	[new RegExp('^review\\/(\\d+)' + PHASE + '$'), review.candidate, 'reviewer'],
	[new RegExp('^rubric' + PHASE + '$'), forDefaultCycle(rubric.editor, 'Rubric'), 'reviewer'],
	[new RegExp('^cycles\\/(\\d+)\\/rubric' + PHASE + '$'), rubric.editor, 'reviewer'],
	[new RegExp('^assignments' + PHASE + '$'), forDefaultCycle(assign.assignments, 'Reviewers'), 'staff'],
	[new RegExp('^cycles\\/(\\d+)\\/assignments' + PHASE + '$'), assign.assignments, 'staff'],
	[/^conflicts$/, forDefaultCycle(assign.conflicts, 'Conflicts of interest'), 'reviewer'],
	[/^cycles\/(\d+)\/conflicts$/, assign.conflicts, 'reviewer'],
	[/^interviews$/, forDefaultCycle(interviews.schedule, 'Interviews'), 'reviewer'],
	[/^cycles\/(\d+)\/interviews$/, interviews.schedule, 'reviewer'],
	[/^ranking$/, ranking.rankingDefault, 'staff'],
	[/^cycles\/(\d+)\/ranking$/, ranking.ranking, 'staff'],
	[/^ranklist$/, ranking.ranklistDefault, 'staff'],
	[/^cycles\/(\d+)\/ranklist$/, ranking.ranklist, 'staff'],
	[/^ranklist\/print$/, ranking.printableDefault, 'staff'],
	[/^cycles\/(\d+)\/ranklist\/print$/, ranking.printable, 'staff'],
	[/^cycles\/(\d+)\/planning$/, planning.planning, 'staff'],
	[/^cycles\/(\d+)\/meeting$/, meeting.meeting, 'staff'],
	[/^installation$/, installation.render, 'admin'],
];

// Unsaved work. A view that holds edits not yet saved registers a guard:
// a function that returns a question to ask before leaving (or null when
// nothing would be lost). Leaving for another page of the app (a hash
// change) asks it first and stays when the answer is no; so does closing
// or reloading the page (beforeunload, the browser's own question). A
// new view starts without a guard.
let leaveGuard = null;
let shownHash = null;

export function guardLeaving(fn) {
	leaveGuard = fn;
}

// Asks the guard's question, if any: true when it is fine to leave.
function mayLeave() {
	const question = leaveGuard ? leaveGuard() : null;
	if (!question)
		return true;
	if (!window.confirm(question))
		return false;
	leaveGuard = null;
	return true;
}

// Dates shown without a cycle of their own (the audit log, the outbox)
// are in the newest cycle's time zone; views with a cycle pass its zone.
let zoneKnown = Promise.resolve();

async function learnZone() {
	// An account with no role in a program has no cycles to read.
	if (!session.user || !session.user.role)
		return;
	try {
		const { cycles } = await api('GET', '/api/cycles');
		if (cycles.length)
			setZone(cycles[0].timezone);
	} catch {
		// The default zone stays; the page still works.
	}
}

export function signedIn(reply) {
	session.user = reply.user;
	setCsrf(reply.csrf_token);
	renderNav();
	// The role and the programs of the chosen program, then its zone.
	zoneKnown = refreshSession().catch(() => {}).then(learnZone);
}

export function signedOut() {
	session.user = null;
	session.programs = [];
	chooseProgram(null);
	showProgram();
	setCsrf(null);
	renderNav();
}

export function go(hash) {
	if (location.hash === hash)
		route(true);
	else
		location.hash = hash;
}

function link(href, text, cls = null) {
	const current = (location.hash || '#/') === href;
	return h('li', {}, h('a', { href, text, class: cls,
		'aria-current': current ? 'page' : null }));
}

export function renderNav() {
	const nav = document.getElementById('nav-links');
	nav.replaceChildren();
	const u = session.user;
	if (!u) {
		nav.append(link('#/signin', 'Sign in'), link('#/register', 'Apply'));
		return;
	}
	if (u.admin)
		nav.append(link('#/installation', 'Programs'));
	if (!u.role) {
		nav.append(link('#/account', u.name, 'account-name'),
			h('li', {}, h('button', { type: 'button', class: 'secondary outline',
				id: 'signout', onclick: signOut, text: 'Sign out' })));
		return;
	}
	if (u.role !== 'applicant')
		nav.append(link('#/cycles', 'Cycles'));
	if (u.role === 'faculty' || u.role === 'director')
		nav.append(link('#/review', 'My candidates'));
	if (STAFF.includes(u.role))
		nav.append(link('#/assignments', 'Reviewers'));
	if (u.role !== 'applicant')
		nav.append(link('#/interviews', 'Interviews'));
	if (STAFF.includes(u.role))
		nav.append(link('#/ranking', 'Ranking'));
	if (u.role === 'faculty')
		nav.append(link('#/conflicts', 'Conflicts'));
	if (STAFF.includes(u.role))
		nav.append(link('#/rubric', 'Rubric'), link('#/people', 'People'),
			link('#/audit', 'Audit log'), link('#/outbox', 'Outbox'));
	nav.append(link('#/account', u.name, 'account-name'),
		h('li', {}, h('button', { type: 'button', class: 'secondary outline',
			id: 'signout', onclick: signOut, text: 'Sign out' })));
}

// The program switcher, for people with a role in more than one: the
// pages that follow are about the program chosen, in this tab.
function programSwitch() {
	const current = session.program ? session.program.id : null;
	const select = h('select', { id: 'program-switch', name: 'program',
		title: 'The program these pages are about' },
		...session.programs.map((p) => h('option', { value: String(p.id),
			selected: p.id === current, text: p.name })));
	select.addEventListener('change', async () => {
		if (!mayLeave()) {
			select.value = String(current);
			return;
		}
		chooseProgram(Number(select.value));
		await refreshSession();
		zoneKnown = learnZone();
		go('#/');
	});
	return h('div', { class: 'program-switch', id: 'program-switch-item' },
		h('label', { for: 'program-switch', class: 'visually-hidden', text: 'Program' }), select);
}

async function signOut() {
	if (!mayLeave())
		return;
	try {
		await api('POST', '/api/logout');
	} catch {
		// The session may have ended already; sign out locally anyway.
	}
	signedOut();
	// The sign-in page's program: the installation's only one, or none.
	await refreshSession().catch(() => {});
	go('#/signin');
}

// The menu button (narrow screens): it shows and hides the links.
function menu(open) {
	const toggle = document.getElementById('nav-toggle');
	toggle.setAttribute('aria-expanded', String(open));
}

function setUpMenu() {
	const toggle = document.getElementById('nav-toggle');
	const nav = toggle.closest('nav');
	toggle.addEventListener('click', () => menu(toggle.getAttribute('aria-expanded') !== 'true'));
	// Escape closes the open menu and gives the focus back to its button;
	// choosing a link closes it too.
	nav.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') {
			menu(false);
			toggle.focus();
		}
	});
	document.getElementById('nav-links').addEventListener('click', (ev) => {
		if (ev.target.closest('a'))
			menu(false);
	});
}

// Each navigation renders into a page of its own inside <main>: a view
// still waiting for its data when the next navigation starts writes into
// a page no longer shown, so no page is ever drawn twice.
let navigation = 0;

// Shows the view for the current hash. Hashes not starting with "#/" are
// in-page anchors (the skip link), not routes. Focus moves to the new
// heading on navigation, but not on the first load, where a keyboard user
// starts at the top of the page with the skip link.
async function route(ev) {
	const main = document.getElementById('main');
	const hash = location.hash || '#/';
	if (!hash.startsWith('#/'))
		return;
	const path = hash.replace(/^#\/?/, '');
	// Leaving a view with unsaved work: ask first; on "no", put the
	// address back (without a new history entry) and keep the view.
	if (ev && shownHash !== null && !mayLeave()) {
		history.replaceState(null, '', shownHash);
		return;
	}
	leaveGuard = null;
	shownHash = hash;
	const mine = ++navigation;
	renderNav();
	menu(false);
	for (const [re, view, who] of routes) {
		const m = path.match(re);
		if (!m)
			continue;
		if (who === 'user' && !session.user)
			return go('#/signin');
		if (who === 'staff' && !(session.user && STAFF.includes(session.user.role)))
			return go(session.user ? '#/' : '#/signin');
		if (who === 'reviewer' && !(session.user && session.user.role !== 'applicant'))
			return go(session.user ? '#/' : '#/signin');
		if (who === 'rater' && !(session.user && ['faculty', 'director'].includes(session.user.role)))
			return go(session.user ? '#/' : '#/signin');
		if (who === 'applicant' && !(session.user && session.user.role === 'applicant'))
			return go(session.user ? '#/' : '#/signin');
		if (who === 'admin' && !(session.user && session.user.admin))
			return go(session.user ? '#/' : '#/signin');
		if (who !== 'any' && who !== 'guest' && who !== 'admin' && session.user &&
			!session.user.role)
			return go(session.user.admin ? '#/installation' : '#/');
		if (who === 'guest' && session.user)
			return go('#/');
		const page = h('div', { class: 'page' });
		main.replaceChildren(page);
		try {
			await zoneKnown;
			await view(page, ...m.slice(1));
		} catch (e) {
			// A page whose data could not be read still says so.
			if (!page.querySelector('h1'))
				page.prepend(h('h1', { text: 'This page could not be shown' }));
			page.append(h('p', { class: 'form-message error', role: 'alert', text: e.message }));
		}
		if (mine !== navigation)
			return;
		// Move focus to the new page's heading for screen readers.
		const h1 = page.querySelector('h1');
		if (h1) {
			h1.setAttribute('tabindex', '-1');
			if (ev)
				h1.focus();
			setTitle(h1.textContent);
		}
		return;
	}
	main.replaceChildren(h('h1', { text: 'Page not found' }),
		h('p', {}, 'There is nothing at this address. ',
			h('a', { href: '#/', text: 'Go to the start page' }), '.'));
}

async function start() {
	try {
		setProgram(chosenProgram());
		const s = await refreshSession();
		if (s.user) {
			session.user = s.user;
			setCsrf(s.csrf_token);
			zoneKnown = learnZone();
			renderNav();
		} else
			signedOut();
	} catch {
		signedOut();
	}
	setUpMenu();
	window.addEventListener('hashchange', route);
	window.addEventListener('beforeunload', (ev) => {
		if (leaveGuard && leaveGuard()) {
			ev.preventDefault();
			ev.returnValue = '';
		}
	});
	document.querySelector('.skip-link').addEventListener('click', (ev) => {
		ev.preventDefault();
		document.getElementById('main').focus();
	});
	await route();
	document.body.dataset.ready = 'true';
}

start();
