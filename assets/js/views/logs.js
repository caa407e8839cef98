// The audit log and the mail outbox (coordinator, director), newest first,
// a page at a time. The audit log is told in words with names, as the
// server writes it (src/core/auditlog.c): "Dr. Henrik Lund submitted the
// interview sheet for Amara Dvořák", with its details as label: value. An
// outbox message opens in a panel of its own, where the links to this
// installation can be followed.
import { api } from '../api.js';
import { h } from '../dom.js';
import { when } from '../dates.js';

function pager(load, tbody, rowOf, key) {
	let before = null;
	const more = h('button', { type: 'button', class: 'secondary', text: 'Show older' });
	async function next() {
		const page = await load(before);
		tbody.append(...page[key].map((x) => rowOf(x, page)));
		before = page.next_before;
		more.hidden = before === null;
		return page;
	}
	more.addEventListener('click', next);
	return { more, next };
}

function table(caption, headings, tbody, id) {
	return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
		h('table', { class: 'striped', id },
			h('caption', { text: caption }),
			h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', { scope: 'col', text: t })))),
			tbody));
}

// A record's details, one "label: value" a line; dates in the one format,
// in the zone of the record's cycle. The label is the server's word; the
// value is data, set apart, so typed text cannot pass for a label. (Text
// someone typed inside a sentence comes in quotation marks.)
function details(e) {
	const lines = e.lines || [];
	if (!lines.length)
		return '';
	return h('ul', { class: 'plain audit-lines' }, ...lines.map((l) =>
		h('li', {}, h('span', { class: 'line-label', text: l.label + ': ' }),
			l.when !== undefined ? when(l.when, e.timezone || undefined) :
				h('span', { class: 'line-value', text: l.text }))));
}

export async function audit(main) {
	const tbody = h('tbody');
	const p = pager((before) => api('GET', '/api/audit?limit=50' + (before ? '&before=' + before : '')),
		tbody, (e) => h('tr', {},
			h('td', { class: 'nowrap' }, h('time', { datetime: e.at, text: when(e.at) })),
			h('td', { text: e.text || e.action }),
			h('td', {}, details(e))), 'entries');
	main.append(h('h1', { text: 'Audit log' }),
		h('p', { text: 'Who did what, and when: sign-ins, accounts and roles, applications, documents and letters, ' +
			'reviewers, score sheets, interviews and the rank list. Nothing here can be edited.' }),
		table('Audit records, newest first', ['When', 'What happened', 'Details'], tbody, 'audit-table'), p.more);
	await p.next();
}

// Only links to this installation become links (http or https, under its
// PUBLIC_URL); every other address stays text.
function ours(url, base) {
	if (!base || !/^https?:\/\//.test(url))
		return false;
	return url === base || ['/', '#', '?'].some((c) => url.startsWith(base + c));
}

// The body's text with the installation's links made links.
export function linked(text, base) {
	const out = [];
	const re = /https?:\/\/[^\s<>"']+/g;
	let last = 0;
	let m;
	while ((m = re.exec(text)) !== null) {
		// A sentence's own punctuation after an address is not part of it.
		const url = m[0].replace(/[.,;:!?)\]]+$/, '');
		out.push(text.slice(last, m.index));
		out.push(ours(url, base) ?
			h('a', { href: url, text: url, target: '_blank', rel: 'noopener noreferrer' }) : url);
		last = m.index + url.length;
		re.lastIndex = last;
	}
	out.push(text.slice(last));
	return out;
}

export async function outbox(main) {
	const tbody = h('tbody');
	const intro = h('p');
	const title = h('h2', { id: 'mail-subject' });
	const meta = h('dl', { class: 'mail-meta' });
	const body = h('div', { class: 'mail-body', id: 'mail-body', tabindex: '0', role: 'region', 'aria-label': 'Message' });
	// A calendar invitation sent with the message, as its text.
	const attachment = h('div', { id: 'mail-attachment' });
	const close = h('button', { type: 'button', class: 'secondary', text: 'Close' });
	const panel = h('dialog', { id: 'mail-panel', 'aria-labelledby': 'mail-subject' },
		h('article', {}, h('header', {}, title), meta, body, attachment, h('footer', {}, close)));
	let opener = null;
	close.addEventListener('click', () => panel.close());
	panel.addEventListener('close', () => opener?.focus());
	// A click on the backdrop closes it too.
	panel.addEventListener('click', (ev) => {
		if (ev.target === panel)
			panel.close();
	});

	function open(m, page, button) {
		opener = button;
		title.textContent = m.subject;
		meta.replaceChildren(
			h('dt', { text: 'To' }), h('dd', { text: m.to }),
			h('dt', { text: 'Queued' }), h('dd', { text: when(m.created_at) }),
			h('dt', { text: 'Status' }), h('dd', { text: m.status + (m.sent_at ? ', sent ' + when(m.sent_at) : '') }));
		body.replaceChildren(...linked(m.body, page.public_url));
		attachment.replaceChildren(...(m.calendar ? [h('details', {},
			h('summary', { text: 'Attached: interview.ics, a calendar invitation' }),
			h('pre', { class: 'mail-body', tabindex: '0', 'aria-label': 'Calendar invitation', text: m.calendar }))] : []));
		panel.showModal();
		body.scrollTop = 0;
	}

	function subject(m, page) {
		if (m.body === undefined)
			return m.subject;
		const b = h('button', { type: 'button', class: 'link-button', 'aria-haspopup': 'dialog', text: m.subject });
		b.addEventListener('click', () => open(m, page, b));
		return b;
	}

	const p = pager((before) => api('GET', '/api/outbox?limit=50' + (before ? '&before=' + before : '')),
		tbody, (m, page) => h('tr', {},
			h('td', { class: 'nowrap' }, h('time', { datetime: m.created_at, text: when(m.created_at) })),
			h('td', { text: m.to }),
			h('td', {}, subject(m, page)),
			h('td', { text: m.status }),
			h('td', { text: String(m.attempts) }),
			h('td', { class: 'wrap-words', text: m.last_error || '' })), 'messages');
	main.append(h('h1', { text: 'Outbox' }), intro,
		table('Messages, newest first', ['Queued', 'To', 'Subject', 'Status', 'Attempts', 'Last error'], tbody, 'outbox-table'),
		p.more, panel);
	const page = await p.next();
	intro.textContent = page.bodies ?
		'Development mode: mail is kept here instead of being sent. Open a message to read it and follow its links.' :
		page.held ?
			'Mail is held here and not sent (SENDMAIL=none). Set SENDMAIL to deliver it.' :
			'Mail is delivered by the server’s mail command; failed deliveries are retried with growing delays.';
}
