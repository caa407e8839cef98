// Staff and faculty: the cycles, the applications of one cycle with
// status, completeness, filters and search, and one application in full.
import { api } from '../api.js';
import { h, field, selectField, formMessage, showError, clearErrors, busy, values } from '../dom.js';
import { session } from '../app.js';
import { sortableTable } from '../sorttable.js';
import { statusLine } from './sheet.js';
import { standings, standingColumns, lettersColumn, selectColumn, invite, invited, displayName } from './standing.js';
import { saveOrder } from './order.js';
import { when } from '../dates.js';

const DATE_FIELDS = [['applications_open', 'Applications open'], ['applications_close', 'Applications close'],
	['interviews_start', 'Interviews start'], ['interviews_end', 'Interviews end'], ['ranklist_due', 'Rank list due']];

export async function cycles(main) {
	const staff = ['coordinator', 'director'].includes(session.user.role);
	const list = await api('GET', '/api/cycles');
	const tbody = h('tbody', {}, ...list.cycles.map((c) => h('tr', {},
		h('td', {}, h('a', { href: '#/cycles/' + c.id, text: c.name })),
		h('td', { text: String(c.year) }), h('td', { text: c.state }),
		h('td', { text: when(c.applications_close, c.timezone) }),
		h('td', { text: String(c.positions) }))));
	main.append(h('h1', { text: 'Cycles' }),
		list.cycles.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'striped' },
			h('caption', { text: 'Application cycles' }),
			h('thead', {}, h('tr', {}, ...['Cycle', 'Year', 'State', 'Applications close', 'Positions'].map((t) => h('th', { scope: 'col', text: t })))),
			tbody)) : h('p', { text: 'No cycles yet.' }));
	if (!staff || session.user.role !== 'director')
		return;
	const f = h('form', { novalidate: true }, formMessage(),
		h('div', { class: 'grid' },
			field('Name', 'name', { required: true }),
			field('Year', 'year', { inputmode: 'numeric', required: true }),
			field('Positions', 'positions', { inputmode: 'numeric', value: '2' })),
		selectField('Time zone', 'timezone', list.timezones.map((z) => [z, z]), 'America/New_York'),
		h('div', { class: 'grid' }, ...DATE_FIELDS.map(([k, l]) => field(l, k, { type: k.endsWith('close') || k === 'ranklist_due' ? 'datetime-local' : 'date', required: true }))),
		h('button', { type: 'submit', text: 'Create cycle' }));
	f.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(f);
		await busy(f, async () => {
			const v = values(f);
			const body = { name: v.name, year: Number(v.year), positions: Number(v.positions || 2), timezone: v.timezone };
			for (const [k] of DATE_FIELDS)
				body[k] = v[k];
			try {
				const r = await api('POST', '/api/cycles', body);
				location.hash = '#/cycles/' + r.cycle.id;
			} catch (e) {
				showError(f, e);
			}
		});
	});
	main.append(h('section', { 'aria-labelledby': 'new-cycle' },
		h('h2', { id: 'new-cycle', text: 'New cycle' }), f));
}

export async function cycle(main, id) {
	const role = session.user.role;
	const c = (await api('GET', '/api/cycles/' + id)).cycle;
	const status = h('p', { role: 'status' });
	main.append(h('h1', { text: c.name }),
		h('p', { text: `${c.positions} positions · ${c.state} · time zone ${c.timezone}` }));
	const pages = [];
	if (role === 'faculty' || role === 'director')
		pages.push(['review', 'My candidates']);
	if (role === 'coordinator' || role === 'director')
		pages.push(['assignments', 'Reviewers and conflicts']);
	if (role === 'faculty')
		pages.push(['conflicts', 'Conflicts of interest']);
	pages.push(['rubric/screening', 'Screening rubric'], ['rubric/interview', 'Interview rubric'], ['interviews', 'Interviews']);
	main.append(h('nav', { 'aria-label': 'This cycle', class: 'cycle-pages' },
		h('ul', {}, ...pages.map(([p, t]) => h('li', {}, h('a', { href: `#/cycles/${id}/${p}`, text: t }))))));

	if (role === 'coordinator' || role === 'director') {
		const f = h('form', { novalidate: true }, formMessage(),
			h('div', { class: 'grid' }, ...DATE_FIELDS.map(([k, l]) =>
				field(l, k, { type: 'datetime-local', value: c[k] }))),
			role === 'director' ? selectField('State', 'state',
				['setup', 'open', 'review', 'ranking', 'certified', 'archived'].map((s) => [s, s]), c.state) : null,
			h('button', { type: 'submit', text: 'Save cycle' }));
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			clearErrors(f);
			await busy(f, async () => {
				const v = values(f);
				const body = {};
				for (const [k] of DATE_FIELDS)
					if (v[k] !== c[k])
						body[k] = v[k];
				if (v.state && v.state !== c.state)
					body.state = v.state;
				try {
					Object.assign(c, (await api('PATCH', '/api/cycles/' + id, body)).cycle);
					status.textContent = 'Saved.';
				} catch (e) {
					showError(f, e);
				}
			});
		});
		main.append(h('details', {}, h('summary', { text: 'Dates and state' }), f, status));
	}

	const staff = role === 'coordinator' || role === 'director';
	const q = h('input', { type: 'search', id: 'app-search', name: 'q', placeholder: 'Name, school or program' });
	const st = h('select', { id: 'app-status-filter', name: 'status' },
		...[['', 'Any status'], ['draft', 'Draft'], ['submitted', 'Submitted'], ['withdrawn', 'Withdrawn']]
			.map(([v, t]) => h('option', { value: v, text: t })));
	const count = h('p', { role: 'status' });
	const listStatus = statusLine({ id: 'list-status' });
	// The staff see each candidate's standing; faculty never see scores.
	let standing = { screened: 0, byId: new Map() };
	const selected = h('span', { id: 'selected-count', text: '' });
	const inviteButton = h('button', { type: 'button', text: 'Invite to interview', 'aria-describedby': 'selected-count' });
	const csv = h('a', { href: `/api/cycles/${id}/applications.csv`, download: '', class: 'secondary', role: 'button',
		text: 'Export CSV' });
	function ticked() {
		return [...listBox.querySelectorAll('input[name="application_ids"]:checked')].map((x) => Number(x.value));
	}
	function showSelected() {
		const n = ticked().length;
		selected.textContent = n ? `${n} selected` : 'None selected';
	}
	const columns = [];
	if (staff)
		columns.push(selectColumn((r) => r.app.status === 'submitted' && !invited(r.st), showSelected));
	columns.push(
		{ key: 'name', label: 'Applicant', rowHeader: true,
			sort: (r) => displayName(r.app),
			cell: (r) => h('a', { href: '#/applications/' + r.app.id, text: displayName(r.app) }) },
		{ key: 'school', label: 'Medical school', sort: (r) => r.app.medical_school || '', cell: (r) => r.app.medical_school || '' },
		{ key: 'residency', label: 'Residency', sort: (r) => r.app.residency_program || '', cell: (r) => r.app.residency_program || '' },
		{ key: 'status', label: 'State', sort: (r) => r.app.status, cell: (r) => r.app.status },
		{ key: 'checklist', label: 'Checklist', sort: (r) => r.app.missing_count,
			cell: (r) => r.app.complete ? 'Complete' : r.app.missing_count + ' missing' },
		lettersColumn());
	if (staff)
		columns.push(...standingColumns(() => standing.screened));
	const list = sortableTable({ caption: 'Applications of this cycle', columns, id: 'applications-table',
		rowKey: (r) => r.app.id, sorted: staff ? { key: 'rank', dir: 'asc' } : { key: 'name', dir: 'asc' } });
	const listBox = list.element;
	let apps = [];
	function rows() {
		return apps.map((a) => ({ app: a, st: standing.byId.get(a.id) }));
	}
	async function load() {
		const params = new URLSearchParams({ limit: '1000' });
		if (q.value.trim())
			params.set('q', q.value.trim());
		if (st.value)
			params.set('status', st.value);
		const r = await api('GET', `/api/cycles/${id}/applications?${params}`);
		apps = r.applications;
		list.setRows(rows());
		count.textContent = r.applications.length + ' applications shown.';
		csv.href = `/api/cycles/${id}/applications.csv` + (st.value ? '?status=' + st.value : '');
		if (staff)
			showSelected();
		rememberOrder();
	}
	// The candidate pages go through the list in the order shown.
	function rememberOrder() {
		saveOrder('Applications of ' + c.name, list.rows().map((r) => ({ id: r.app.id, name: displayName(r.app) })));
	}
	listBox.addEventListener('click', (ev) => {
		if (ev.target.closest('a'))
			rememberOrder();
	});
	const filters = h('form', { role: 'search', class: 'grid' },
		h('div', {}, h('label', { for: 'app-search', text: 'Search' }), q),
		h('div', {}, h('label', { for: 'app-status-filter', text: 'Status' }), st));
	filters.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
	let typing = null;
	q.addEventListener('input', () => {
		clearTimeout(typing);
		typing = setTimeout(load, 200);
	});
	st.addEventListener('change', () => load());
	const section = h('section', { 'aria-labelledby': 'apps-heading' },
		h('h2', { id: 'apps-heading', text: 'Applications' }), filters, count);
	if (staff) {
		inviteButton.addEventListener('click', async () => {
			const ids = ticked();
			if (!ids.length) {
				listStatus.textContent = 'Tick at least one submitted candidate to invite.';
				return;
			}
			inviteButton.setAttribute('aria-busy', 'true');
			try {
				const done = await invite(id, ids);
				standing = await standings(id);
				list.rebuild(rows());
				showSelected();
				listStatus.textContent = done;
			} catch (e) {
				listStatus.textContent = e.message;
			} finally {
				inviteButton.removeAttribute('aria-busy');
			}
		});
		section.append(h('p', { class: 'hint', text: 'Choose a column’s heading to sort by it. Tick submitted candidates to invite them to interview together.' }),
			h('div', { class: 'list-actions' }, inviteButton, selected, csv), listStatus);
	} else {
		section.append(h('p', { class: 'hint', text: 'Choose a column’s heading to sort by it.' }));
	}
	section.append(listBox);
	main.append(section);
	if (staff) {
		// The standing needs the ranking: fetched once, beside the list.
		const [s] = await Promise.all([standings(id).catch(() => null), load()]);
		if (s) {
			standing = s;
			list.rebuild(rows());
			rememberOrder();
		} else {
			listStatus.textContent = 'The screening scores could not be loaded.';
		}
	} else {
		await load();
	}
}

export const DOC_KIND = { cv: 'Curriculum vitae', personal_statement: 'Personal statement', other: 'Other document' };

// The application's fields as a section with an h2.
export function fieldsSection(a) {
	const dl = h('dl');
	for (const f of a.schema) {
		const v = a.fields[f.key];
		dl.append(h('dt', { text: f.label }), h('dd', { class: f.type === 'longtext' ? 'prewrap' : null, text: v === undefined ? '—' : String(v) }));
	}
	return h('section', { 'aria-labelledby': 'fields-heading' },
		h('h2', { id: 'fields-heading', text: 'Application' }), dl);
}

// The application's fields, documents and letters as sections, each
// with an h2.
export async function materials(a) {
	const id = a.id;
	const fields = fieldsSection(a);
	const [docs, letters] = await Promise.all([
		api('GET', '/api/applications/' + id + '/documents').then((r) => r.documents),
		api('GET', '/api/applications/' + id + '/letters').then((r) => r.letters)]);
	const docSection = h('section', { 'aria-labelledby': 'docs-heading' },
		h('h2', { id: 'docs-heading', text: 'Documents' }),
		docs.length ? h('ul', {}, ...docs.map((d) => h('li', {},
			h('a', { href: '/api/documents/' + d.id, text: DOC_KIND[d.kind] || d.kind }),
			` (PDF, ${Math.max(1, Math.round(d.size / 1024))} KB, uploaded ${when(d.uploaded_at)})`))) :
			h('p', { text: 'No documents.' }));
	const letterSection = h('section', { 'aria-labelledby': 'letters-heading' },
		h('h2', { id: 'letters-heading', text: 'Letters of recommendation' }),
		letters.length ? h('ul', {}, ...letters.map((l) => h('li', {},
			l.status === 'received' ?
				h('a', { href: '/api/letters/' + l.id + '/file', text: 'Letter from ' + l.writer_name }) :
				'Letter from ' + l.writer_name,
			` — ${l.status}${l.waived ? ', waived' : ', not waived'}`))) :
			h('p', { text: 'No letters requested.' }));
	return [fields, docSection, letterSection];
}

export async function application(main, id) {
	let a;
	try {
		a = (await api('GET', '/api/applications/' + id)).application;
	} catch (e) {
		main.append(h('h1', { text: 'Application' }), h('p', { text: e.message }));
		return;
	}
	const name = [a.fields.first_name, a.fields.last_name].filter(Boolean).join(' ') || 'Applicant ' + a.applicant_id;
	const status = h('p', { role: 'status' });
	main.append(h('h1', { text: name }),
		h('p', { text: `Status: ${a.status}` + (a.submitted_at ? ` · submitted ${when(a.submitted_at)}` : '') +
			(a.complete ? ' · complete' : ` · ${a.missing.length} required fields missing`) }), status);
	if (a.status === 'submitted' && session.user.role !== 'applicant')
		main.append(h('p', {}, h('a', { href: '#/review/' + id + '/screening', text: 'Scores for this candidate' })));
	main.append(...await materials(a));
	if (['coordinator', 'director'].includes(session.user.role) && a.status !== 'draft') {
		const reopen = h('button', { type: 'button', class: 'secondary', text: 'Reopen for the applicant' });
		reopen.addEventListener('click', async () => {
			try {
				await api('POST', '/api/applications/' + id + '/reopen');
				status.textContent = 'Reopened: the applicant can edit it again until the deadline.';
				reopen.hidden = true;
			} catch (e) {
				status.textContent = e.message;
			}
		});
		main.append(h('p', {}, reopen));
	}
}
