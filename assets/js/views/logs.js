// The audit log and the mail outbox (coordinator, director), newest first,
// a page at a time.
import { api } from '../api.js';
import { h, formatTime } from '../dom.js';

function pager(load, tbody, rowOf, key) {
	let before = null;
	const more = h('button', { type: 'button', class: 'secondary', text: 'Show older' });
	async function next() {
		const page = await load(before);
		tbody.append(...page[key].map(rowOf));
		before = page.next_before;
		more.hidden = before === null;
		return page;
	}
	more.addEventListener('click', next);
	return { more, next };
}

function table(caption, headings, tbody) {
	return h('div', { class: 'table-scroll' }, h('table', { class: 'striped' },
		h('caption', { text: caption }),
		h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', { scope: 'col', text: t })))),
		tbody));
}

function describe(detail) {
	if (!detail)
		return '';
	return Object.entries(detail).map(([k, v]) => k + ': ' + v).join(', ');
}

export async function audit(main) {
	const tbody = h('tbody');
	const p = pager((before) => api('GET', '/api/audit?limit=50' + (before ? '&before=' + before : '')),
		tbody, (e) => h('tr', {},
			h('td', {}, h('time', { datetime: e.at, text: formatTime(e.at) })),
			h('td', { text: e.actor ? e.actor.name : 'System' }),
			h('td', { text: e.action }), h('td', { text: e.object }),
			h('td', { text: describe(e.detail) })), 'entries');
	main.append(h('h1', { text: 'Audit log' }),
		h('p', { text: 'Every sign-in, failed sign-in, lockout, invitation, role change, password change and disabling, with who did it and when. Nothing here can be edited.' }),
		table('Audit records, newest first', ['When', 'Who', 'What', 'Object', 'Details'], tbody), p.more);
	await p.next();
}

export async function outbox(main) {
	const tbody = h('tbody');
	const intro = h('p');
	const p = pager((before) => api('GET', '/api/outbox?limit=50' + (before ? '&before=' + before : '')),
		tbody, (m) => h('tr', {},
			h('td', {}, h('time', { text: formatTime(m.created_at) })),
			h('td', { text: m.to }),
			h('td', {}, m.body !== undefined ? h('details', {}, h('summary', { text: m.subject }), h('pre', { text: m.body })) : m.subject),
			h('td', { text: m.status }),
			h('td', { text: String(m.attempts) }),
			h('td', { text: m.last_error || '' })), 'messages');
	main.append(h('h1', { text: 'Outbox' }), intro,
		table('Messages, newest first', ['Queued', 'To', 'Subject', 'Status', 'Attempts', 'Last error'], tbody), p.more);
	const page = await p.next();
	intro.textContent = page.bodies ?
		'Development mode: mail is kept here instead of being sent. Open a message to read it and follow its links.' :
		page.held ?
			'Mail is held here and not sent (SENDMAIL=none). Set SENDMAIL to deliver it.' :
			'Mail is delivered by the server’s mail command; failed deliveries are retried with growing delays.';
}
