// Faculty review: "My candidates" (the candidates assigned to me in each
// phase, with my progress), and the candidate page, where the documents
// and letters open beside my score sheet (views/pdfview.js), with the
// previous and next candidate of my list; after I submit, the other
// raters' sheets, across the page's width (staff see them always, and
// the change log).
import { api } from '../api.js';
import { h, formMessage } from '../dom.js';
import { session } from '../app.js';
import { fieldsSection, DOC_KIND } from './applications.js';
import { documentViewer } from './pdfview.js';
import { saveOrder, savedOrderWith } from './order.js';
import { PHASES, phaseLabel, isPhase, isStaff, phaseLinks, sheetFields, sheetValues, weighted,
	formatScore, statusLine, table, shortTime, personName, otherCycles } from './sheet.js';

const SHEET_TEXT = { none: 'Not started', draft: 'Draft', submitted: 'Submitted' };

// My candidates of a phase in the order "My candidates" lists them: the
// one order the list and the candidate page's previous and next share.
export function myOrder(assignments, phase, meId) {
	return assignments.filter((a) => a.phase === phase && a.faculty_id === meId)
		.sort((a, b) => a.candidate.localeCompare(b.candidate) || a.application_id - b.application_id);
}

function orderItems(list) {
	return list.map((a) => ({ id: a.application_id, name: a.candidate }));
}

export async function mine(main, cycleId) {
	const me = session.user;
	const [cycle, r] = await Promise.all([
		api('GET', '/api/cycles/' + cycleId).then((x) => x.cycle),
		api('GET', `/api/cycles/${cycleId}/assignments?faculty_id=${me.id}`)]);
	main.append(h('h1', { text: 'My candidates' }),
		h('p', { class: 'lead', text: cycle.name }),
		await otherCycles(cycleId, (id) => `#/cycles/${id}/review`),
		h('p', {}, 'Open a candidate to read the application and score it. ',
			h('a', { href: `#/cycles/${cycleId}/conflicts`, text: 'Declare a conflict of interest' }),
			' if you should not review someone.'));
	for (const [phase, title] of PHASES) {
		const mineHere = myOrder(r.assignments, phase, me.id);
		const submitted = mineHere.filter((a) => a.sheet === 'submitted').length;
		const headId = 'mine-' + phase;
		const progId = 'progress-' + phase;
		const section = h('section', { 'aria-labelledby': headId },
			h('h2', { id: headId, text: title }));
		if (!mineHere.length) {
			section.append(h('p', { text: 'No candidates are assigned to you for this phase yet.' }));
		} else {
			section.append(h('div', { class: 'progress-field' },
				h('label', { for: progId, id: progId + '-label', text: `${title}: ${submitted} of ${mineHere.length} sheets submitted` }),
				h('progress', { id: progId, max: String(mineHere.length), value: String(submitted), 'aria-labelledby': progId + '-label' })),
			table(`Candidates assigned to you for ${title.toLowerCase()}`, ['Candidate', 'Application no.', 'Your sheet'],
				mineHere.map((a) => h('tr', {},
					h('th', { scope: 'row' }, h('a', { href: `#/review/${a.application_id}/${phase}`, text: a.candidate })),
					h('td', { text: String(a.application_id) }),
					h('td', { class: 'sheet-' + a.sheet, text: SHEET_TEXT[a.sheet] || a.sheet })))));
			// Previous and next on a candidate's page follow this list.
			section.addEventListener('click', (ev) => {
				if (ev.target.closest('a[href^="#/review/"]'))
					saveOrder(`My candidates · ${title}`, orderItems(mineHere));
			});
		}
		main.append(section);
	}
	main.append(h('p', {}, h('a', { href: `#/cycles/${cycleId}/interviews`, text: 'Interview schedule' }),
		' · ', h('a', { href: `#/cycles/${cycleId}/rubric/screening`, text: 'Scoring rubrics' })));
}

export async function candidate(main, appId, phase = 'screening') {
	const me = session.user;
	if (!isPhase(phase))
		phase = 'screening';
	let a;
	try {
		a = (await api('GET', '/api/applications/' + appId)).application;
	} catch (e) {
		main.append(h('h1', { text: 'Candidate' }), h('p', { text: e.message }));
		return;
	}
	const name = personName(a.fields, 'Candidate ' + appId);
	main.append(h('h1', { text: name }),
		h('p', {}, h('a', { href: me.role === 'coordinator' ? `#/cycles/${a.cycle_id}/assignments` : `#/cycles/${a.cycle_id}/review`,
			text: me.role === 'coordinator' ? 'Back to assignments' : 'Back to my candidates' })),
		await neighbours(a, phase, me),
		phaseLinks('Phases', (p) => `#/review/${appId}/${p}`, phase));

	const sheetCol = h('div', { class: 'sheet-column' });
	main.append(h('div', { class: 'review-layout' },
		h('div', { class: 'materials' }, await readingPane(a), fieldsSection(a)),
		sheetCol));

	const others = h('section', { 'aria-labelledby': 'others-heading', class: 'other-sheets' },
		h('h2', { id: 'others-heading', text: 'All raters’ sheets' }));
	const othersBody = h('div');
	others.append(othersBody);

	async function loadOthers() {
		let r;
		try {
			r = await api('GET', `/api/applications/${appId}/scores/${phase}/all`);
		} catch (e) {
			othersBody.replaceChildren(h('p', { text: e.status === 403 ?
				'You see the other raters’ sheets once you have submitted your own for this phase.' : e.message }));
			return;
		}
		const crit = r.rubric ? r.rubric.criteria : [];
		const rows = r.sheets.map((s) => h('tr', {},
			h('th', { scope: 'row', text: s.rater_name }),
			...crit.map((c) => h('td', { text: s.values[c.key] === undefined ? '—' : String(s.values[c.key]) })),
			h('td', { text: formatScore(s.weighted) }),
			h('td', { class: 'prewrap', text: s.comment || '' })));
		const parts = [r.sheets.length ?
			table(`Submitted ${phaseLabel(phase).toLowerCase()} sheets`, ['Rater', ...crit.map((c) => `${c.label} (${c.min}–${c.max})`), 'Weighted score (0–100)', 'Comment'], rows, { id: 'other-sheets' }) :
			h('p', { text: 'No sheet has been submitted for this phase yet.' })];
		if (r.sheets.length > 1) {
			const ws = r.sheets.map((s) => s.weighted).filter((x) => typeof x === 'number');
			if (ws.length)
				parts.push(h('p', { text: `Mean weighted score ${formatScore(ws.reduce((x, y) => x + y, 0) / ws.length)} over ${ws.length} sheets; range ${formatScore(Math.min(...ws))}–${formatScore(Math.max(...ws))}.` }));
		}
		if (isStaff(me) && Array.isArray(r.changes)) {
			parts.push(h('h3', { id: 'changes-heading', text: 'Changes after submission' }),
				r.changes.length ? table('Changes to submitted sheets', ['When', 'Rater’s sheet', 'Changed by', 'Field', 'Old', 'New'],
					r.changes.map((c) => h('tr', {}, h('td', { text: shortTime(c.at) }), h('td', { text: c.rater_name }),
						h('td', { text: c.changed_by_name }), h('td', { text: c.field }),
						h('td', { class: 'prewrap', text: c.old ?? '—' }), h('td', { class: 'prewrap', text: c.new ?? '—' })))) :
					h('p', { text: 'No submitted sheet has been changed.' }));
		}
		othersBody.replaceChildren(...parts);
	}

	if (me.role === 'coordinator') {
		sheetCol.append(h('section', { 'aria-labelledby': 'sheet-heading' },
			h('h2', { id: 'sheet-heading', text: 'Scores · ' + phaseLabel(phase) }),
			h('p', { text: 'Coordinators do not score; the raters’ submitted sheets are listed below.' })));
		main.append(others);
		await loadOthers();
		return;
	}

	let reply;
	try {
		reply = await api('GET', `/api/applications/${appId}/scores/${phase}`);
	} catch (e) {
		sheetCol.append(h('section', { 'aria-labelledby': 'sheet-heading' },
			h('h2', { id: 'sheet-heading', text: 'Score sheet · ' + phaseLabel(phase) }),
			h('p', { class: 'notice', text: e.status === 404 ?
				`You are not assigned to score this candidate in the ${phaseLabel(phase).toLowerCase()} phase.` : e.message })));
		if (isStaff(me)) {
			main.append(others);
			await loadOthers();
		}
		return;
	}
	let sheet = reply.sheet;
	const rubric = reply.rubric;
	const closed = reply.closed;
	const criteria = rubric.criteria;

	const message = formMessage();
	const status = statusLine({ id: 'sheet-status' });
	const state = h('p', { id: 'sheet-state' });
	const score = h('output', { id: 'sheet-weighted', 'aria-live': 'off' });
	const comment = h('textarea', { id: 'sheet-comment', name: 'comment', rows: 4, maxlength: 4000,
		disabled: closed, 'aria-describedby': 'sheet-comment-hint sheet-comment-error' });
	comment.value = sheet.comment || '';
	const saveDraft = h('button', { type: 'button', class: 'secondary', text: 'Save draft' });
	const submit = h('button', { type: 'submit', text: 'Submit' });
	const fields = sheetFields(criteria, { prefix: 'sheet', values: sheet.values || {}, disabled: closed });
	const form = h('form', { id: 'score-form', novalidate: true, 'aria-labelledby': 'sheet-heading' },
		message, ...fields,
		h('div', { class: 'field', 'data-field': 'comment' },
			h('label', { for: 'sheet-comment', text: 'Comment (optional)' }),
			h('small', { id: 'sheet-comment-hint', class: 'hint', text: 'Seen by the other raters and the program staff.' }),
			comment,
			h('small', { id: 'sheet-comment-error', class: 'field-error', 'aria-live': 'polite' })),
		h('p', {}, 'Weighted score: ', score, ' of 100'),
		closed ? null : h('div', { class: 'sheet-actions' }, saveDraft, submit),
		status);

	function showSheetState() {
		const bits = [SHEET_TEXT[sheet.status] || sheet.status];
		if (sheet.status === 'submitted' && sheet.submitted_at)
			bits.push('submitted ' + shortTime(sheet.submitted_at));
		else if (sheet.updated_at)
			bits.push('last saved ' + shortTime(sheet.updated_at));
		bits.push(`rubric version ${sheet.rubric_version || rubric.version}`);
		state.textContent = 'Your sheet: ' + bits.join(' · ') + '.';
		// A submitted sheet stays submitted when changed: one button.
		saveDraft.hidden = sheet.status === 'submitted';
		submit.textContent = sheet.status === 'submitted' ? 'Save changes' : 'Submit';
	}
	function showScore() {
		score.value = formatScore(weighted(criteria, sheetValues(form)));
		score.textContent = score.value;
	}
	function clearSheetErrors() {
		for (const el of form.querySelectorAll('[aria-invalid]'))
			el.removeAttribute('aria-invalid');
		for (const el of form.querySelectorAll('.field-error'))
			el.textContent = '';
		message.textContent = '';
		message.className = 'form-message';
	}
	function markField(fieldName, text) {
		const box = form.querySelector(`[data-field="${CSS.escape(fieldName)}"]`);
		if (!box)
			return null;
		for (const el of box.querySelectorAll('input, textarea'))
			el.setAttribute('aria-invalid', 'true');
		box.querySelector('.field-error').textContent = text;
		return box.querySelector('input:checked, input, textarea');
	}
	form.addEventListener('change', showScore);

	// The buttons are never disabled while saving: a disabled button
	// loses the keyboard focus. A second press waits for the first.
	let saving = false;
	async function save(doSubmit) {
		if (saving)
			return;
		clearSheetErrors();
		const values = sheetValues(form);
		if (doSubmit) {
			const missing = criteria.filter((c) => values[c.key] === undefined);
			if (missing.length) {
				let first = null;
				for (const c of missing) {
					const el = markField('values.' + c.key, 'Choose a score for ' + c.label + '.');
					first = first || el;
				}
				message.textContent = `Score every criterion before submitting: ${missing.map((c) => c.label).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no score yet.`;
				message.className = 'form-message error';
				(first || message).focus();
				return;
			}
		}
		const body = { values, comment: comment.value, submit: doSubmit || sheet.status === 'submitted' };
		if (sheet.status !== 'none' && sheet.version !== undefined)
			body.version = sheet.version;
		const button = doSubmit ? submit : saveDraft;
		button.setAttribute('aria-busy', 'true');
		saving = true;
		status.textContent = 'Saving…';
		try {
			sheet = (await api('PUT', `/api/applications/${appId}/scores/${phase}`, body)).sheet;
			showSheetState();
			status.textContent = sheet.status === 'submitted' ?
				(doSubmit ? 'Your sheet is submitted. You can still change it until scoring closes.' : 'Your changes are saved.') :
				'Draft saved. It does not count until you submit it.';
			if (sheet.status === 'submitted')
				await loadOthers();
		} catch (e) {
			status.textContent = '';
			const target = e.field && markField(e.field, e.message);
			if (target) {
				target.focus();
			} else {
				message.textContent = e.message + (e.status === 409 && /version|changed/i.test(e.message) ?
					' Reload the page to see the latest sheet.' : '');
				message.className = 'form-message error';
				message.focus();
			}
		} finally {
			button.removeAttribute('aria-busy');
			saving = false;
		}
	}
	saveDraft.addEventListener('click', () => save(false));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		save(true);
	});

	sheetCol.append(h('section', { 'aria-labelledby': 'sheet-heading', class: 'sheet' },
		h('h2', { id: 'sheet-heading', text: 'Score sheet · ' + phaseLabel(phase) }),
		closed ? h('p', { class: 'notice closed-notice', text: `Scoring for the ${phaseLabel(phase).toLowerCase()} phase is closed: the sheet is read-only.` }) : null,
		h('p', { class: 'hint', text: 'Choose one level per criterion: Tab moves between criteria, the arrow keys between levels.' }),
		state, form));
	main.append(others);
	showSheetState();
	showScore();
	if (sheet.status === 'submitted' || isStaff(me))
		await loadOthers();
	else
		othersBody.replaceChildren(h('p', { text: 'You see the other raters’ sheets once you have submitted your own for this phase.' }));
}

// The documents and letters of application a, each opened in the viewer
// beside the score sheet (the first at once), the open one also to
// download.
async function readingPane(a) {
	const [docs, letters] = await Promise.all([
		api('GET', '/api/applications/' + a.id + '/documents').then((r) => r.documents),
		api('GET', '/api/applications/' + a.id + '/letters').then((r) => r.letters)]);
	const download = h('a', { id: 'viewer-download' });
	const viewer = documentViewer(download);
	const items = [
		...docs.map((d) => ({ title: DOC_KIND[d.kind] || d.kind, url: '/api/documents/' + d.id })),
		...letters.filter((l) => l.status === 'received').map((l) => ({ title: 'Letter from ' + l.writer_name,
			url: '/api/letters/' + l.id + '/file', waived: l.waived }))];
	const waiting = letters.filter((l) => l.status !== 'received');
	const buttons = items.map((it) => {
		const b = h('button', { type: 'button', class: 'secondary outline', 'aria-pressed': 'false',
			'aria-controls': 'pdf-pages', text: it.title });
		b.addEventListener('click', () => open(it, b));
		return b;
	});
	function open(it, button) {
		for (const b of buttons)
			b.setAttribute('aria-pressed', String(b === button));
		download.href = it.url;
		download.textContent = 'Download ' + it.title.replace(/^[A-Z]/, (x) => x.toLowerCase()) + ' (PDF)';
		viewer.show(it.url, it.title + (it.waived === undefined ? '' : it.waived ? ' (waived)' : ' (not waived)'));
	}
	const section = h('section', { 'aria-labelledby': 'docs-heading', class: 'reading' },
		h('h2', { id: 'docs-heading', text: 'Documents and letters' }),
		items.length ? h('div', { class: 'doc-buttons', role: 'group', 'aria-label': 'Open a document' }, ...buttons) :
			h('p', { text: 'No documents or letters yet.' }),
		waiting.length ? h('p', { class: 'hint', text: 'Not received yet: ' +
			waiting.map((l) => `letter from ${l.writer_name} (${l.status})`).join('; ') + '.' }) : null);
	if (items.length) {
		section.append(viewer.element);
		open(items[0], buttons[0]);
	}
	return section;
}

// Links to the previous and the next candidate in the reviewer's own
// order: the list they came from (My candidates, or the applications
// list as sorted), else, for a rater, My candidates for this phase.
async function neighbours(a, phase, me) {
	let order = savedOrderWith(a.id);
	if (!order && (me.role === 'faculty' || me.role === 'director')) {
		try {
			const r = await api('GET', `/api/cycles/${a.cycle_id}/assignments?faculty_id=${me.id}`);
			const items = orderItems(myOrder(r.assignments, phase, me.id));
			if (items.some((x) => x.id === a.id))
				order = { label: `My candidates · ${phaseLabel(phase)}`, items };
		} catch {
			order = null;
		}
	}
	if (!order || order.items.length < 2)
		return null;
	const i = order.items.findIndex((x) => x.id === a.id);
	const prev = order.items[i - 1];
	const next = order.items[i + 1];
	const arrow = (text) => h('span', { 'aria-hidden': 'true', text });
	const link = (it, rel) => it ? h('a', { href: `#/review/${it.id}/${phase}`, rel },
		rel === 'prev' ? arrow('← ') : null, rel === 'prev' ? 'Previous: ' : 'Next: ', h('span', { text: it.name }),
		rel === 'next' ? arrow(' →') : null) :
		h('span', { class: 'muted', text: rel === 'prev' ? 'First in the list' : 'Last in the list' });
	return h('nav', { 'aria-label': 'Candidates in your list', class: 'neighbours' },
		link(prev, 'prev'),
		h('span', { text: `${i + 1} of ${order.items.length} in ${order.label}` }),
		link(next, 'next'));
}
