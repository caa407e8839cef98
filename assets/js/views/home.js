// The start page: what the product is, and where to go next for each role.
import { h } from '../dom.js';
import { session } from '../app.js';
import { api } from '../api.js';
import { when } from '../dates.js';

const NEXT = {
	applicant: 'You can apply as soon as the program opens its next cycle.',
	faculty: 'Submitted applications are listed under Cycles; the candidates assigned to you for review will be listed here.',
	coordinator: 'Invite faculty and staff on the People page; the audit log and the outbox show what happened.',
	director: 'Invite faculty and staff on the People page; the audit log and the outbox show what happened.',
};

export async function render(main) {
	const u = session.user;
	main.append(h('h1', { text: u ? 'Welcome, ' + u.name : 'Fellowship selection' }));
	if (!u) {
		main.append(
			h('p', { text: 'Applications, confidential letters, faculty scoring and the rank list for the match, in one place.' }),
			h('p', {}, h('a', { href: '#/signin', role: 'button', text: 'Sign in' }), ' ',
				h('a', { href: '#/register', role: 'button', class: 'secondary', text: 'Create an applicant account' })));
	} else if (u.role === 'applicant') {
		const cycles = (await api('GET', '/api/cycles')).cycles;
		const open = cycles.filter((c) => c.accepting_applications);
		main.append(h('section', { 'aria-labelledby': 'cycles-heading' },
			h('h2', { id: 'cycles-heading', text: 'Fellowship applications' }),
			cycles.length ? h('ul', {}, ...cycles.map((c) => h('li', {},
				h('a', { href: '#/apply/' + c.id, text: c.name }),
				' — ' + (c.accepting_applications ?
					'open until ' + when(c.applications_close, c.timezone) :
					'not accepting new applications')))) :
				h('p', { text: 'No application cycle is open yet.' }),
			open.length ? null : h('p', { text: NEXT.applicant })));
	} else {
		main.append(h('p', { text: NEXT[u.role] || '' }),
			h('p', {}, h('a', { href: '#/cycles', text: 'See the cycles and their applications' })));
	}
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
