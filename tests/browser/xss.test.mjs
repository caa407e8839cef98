// Cross-site scripting, stored and reflected. Script-like payloads go
// through the API into every text field a user can write — account names,
// the cycle's name, the application's free-text fields, document file
// names, letter writers' names, the rubric's labels, descriptions and
// anchors, score-sheet comments, conflict reasons, interview locations,
// rank-list reasons and the reopening reason —, then every page that shows
// them is opened as each role that sees them. On each page: no payload ran
// (window.__xss unset, no dialog, no element the payloads would create, no
// CSP report in the console) and the text is shown literally. Then the
// reflected cases: payloads in the address of the single-page application
// and in input the server refuses and names in its error.
//
// Everything is created here: a cycle of its own (year 2001, so the pages
// that pick "the newest cycle" keep picking the demo's), new applicant and
// faculty accounts; nothing the other browser test files use is touched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, ready, signIn, get, call, pdf } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
const PASSWORD = 'xss test password ' + RUN;

// Payload forms: an event handler on an element, a script element after
// breaking out of an attribute, a javascript: URL, the end of <title>
// followed by an SVG, and template syntax. Each field gets one, with a tag
// naming the field so that each page can be checked for what it shows.
const FORMS = [
	'<img src=x onerror=window.__xss=1 class=xss-probe>',
	'"><script class=xss-probe>window.__xss=1</script>',
	'javascript:window.__xss=1//',
	'</title><svg class=xss-probe onload=window.__xss=1>',
	"${window.__xss=1}{{constructor.constructor('window.__xss=1')()}}",
];
const stored = {};
let nextForm = 0;
function payload(tag) {
	stored[tag] = `[${tag}] ${FORMS[nextForm++ % FORMS.length]}`;
	return stored[tag];
}

// A page that also records dialogs (alert, confirm, prompt): none may open.
async function page() {
	const p = await openPage(browser);
	p.dialogs = [];
	p.on('dialog', async (d) => {
		p.dialogs.push(d.message());
		await d.dismiss();
	});
	return p;
}

// What the page shows and whether anything ran: the payloads the page
// does not show literally (as text, in a form control or in the title).
async function inspect(p, tags) {
	return p.evaluate((texts) => {
		const shown = document.body.textContent + '\n' + document.title + '\n' +
			[...document.querySelectorAll('input, textarea')].map((i) => i.value).join('\n');
		return {
			xss: window.__xss,
			probes: document.querySelectorAll('.xss-probe, [onerror], [onload]').length,
			scripts: [...document.scripts].filter((s) => !s.src).length,
			jsLinks: [...document.querySelectorAll('[href], [src], [action]')]
				.map((e) => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
				.filter((u) => /^\s*javascript:/i.test(u)),
			missing: texts.filter((t) => !shown.includes(t)),
			text: document.body.innerText.slice(0, 3000),
		};
	}, tags.map((t) => stored[t]));
}

// Loads the application afresh at hash (a new document, so that a session
// begun through the API counts and no earlier view lingers).
async function load(p, hash) {
	await p.goto('about:blank');
	await ready(p, hash);
}

// Opens hash as the signed-in page p, waits for the view, and checks it.
async function visit(p, hash, tags, what, settle) {
	await load(p, hash);
	await p.locator('#main h1').first().waitFor();
	if (settle)
		await settle(p);
	const r = await inspect(p, tags);
	assert.equal(r.xss, undefined, `${what}: a payload ran`);
	assert.equal(r.probes, 0, `${what}: a payload became markup`);
	assert.equal(r.scripts, 0, `${what}: an inline script element`);
	assert.deepEqual(r.jsLinks, [], `${what}: a javascript: link`);
	assert.deepEqual(r.missing, [], `${what}: not shown literally in:\n${r.text}`);
	assert.deepEqual(p.dialogs, [], `${what}: a dialog opened`);
	assert.deepEqual(p.problems.filter((x) => !/request failed: .*\/api\/documents\/\d+$/.test(x)), [],
		`${what}: console errors (a CSP report means markup got in)`);
}

function ok(r, status, what) {
	assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
	return r.body;
}

// The link of type kind (invite, letter, reset) in the newest mail to
// address, from the outbox (the test server holds mail there).
async function mailedToken(staff, address, kind) {
	for (let i = 0; i < 50; i++) {
		const r = await get(staff, '/api/outbox?limit=50');
		const m = r.messages.find((x) => x.to === address && x.body.includes(`#/${kind}/`));
		if (m)
			return m.body.match(new RegExp(`#/${kind}/([A-Za-z0-9_-]{43})`))[1];
		await new Promise((res) => setTimeout(res, 200));
	}
	throw new Error(`no ${kind} link mailed to ${address}`);
}

// Uploads a PDF under a hostile client file name from inside the page.
async function upload(p, appId, kind, filename) {
	return p.evaluate(async ([id, k, name, bytes]) => {
		const me = await (await fetch('/api/me')).json();
		const form = new FormData();
		form.append('kind', k);
		form.append('file', new File([new Uint8Array(bytes)], name, { type: 'application/pdf' }));
		const r = await fetch(`/api/applications/${id}/documents`, { method: 'POST', body: form,
			headers: { 'X-CSRF-Token': me.csrf_token, Accept: 'application/json' } });
		return { status: r.status, body: await r.json() };
	}, [appId, kind, filename, [...pdf()]]);
}

// A new account signed in on its own page: an applicant who registers
// (sign-ups are throttled per address, so one per run), a demo applicant
// no other test uses, or a faculty member invited by staff who accepts the
// invitation.
async function applicant(n) {
	const p = await page();
	await ready(p, '#/signin');
	const email = `xss-applicant${n}-${RUN}@example.org`;
	const r = await p.evaluate(async (b) => {
		const res = await fetch('/api/register', { method: 'POST', body: JSON.stringify(b),
			headers: { 'Content-Type': 'application/json' } });
		return { status: res.status, body: await res.json() };
	}, { email, password: PASSWORD, name: payload(`applicant ${n} account name`) });
	ok(r, 201, 'register');
	p.email = email;
	return p;
}

async function demoApplicant(email) {
	const p = await page();
	await signIn(p, email);
	p.email = email;
	return p;
}

async function faculty(staff, n) {
	const email = `xss-faculty${n}-${RUN}@example.org`;
	const u = ok(await call(staff, 'POST', '/api/users',
		{ email, name: payload(`faculty ${n} name`), role: 'faculty' }), 201, 'invite').user;
	const token = await mailedToken(staff, email, 'invite');
	const p = await page();
	await ready(p, '#/signin');
	const r = await p.evaluate(async (b) => {
		const res = await fetch('/api/invitations/accept', { method: 'POST', body: JSON.stringify(b),
			headers: { 'Content-Type': 'application/json' } });
		return { status: res.status, body: await res.json() };
	}, { token, password: PASSWORD });
	ok(r, 200, 'accept invitation');
	p.userId = u.id;
	return p;
}

test('stored payloads in every text field are shown as text and never run', async () => {
	const director = await page();
	await signIn(director, 'director@demo.test');
	const coordinator = await page();
	await signIn(coordinator, 'coordinator@demo.test');

	// The cycle, open to applications.
	const cycle = ok(await call(director, 'POST', '/api/cycles', {
		year: 2001, name: payload('cycle name'), positions: 2,
		applications_open: '2000-01-01', applications_close: '2099-01-01',
		interviews_start: '2099-02-01', interviews_end: '2099-03-01', ranklist_due: '2099-03-20',
	}), 201, 'create cycle').cycle;
	const cid = cycle.id;
	ok(await call(director, 'PATCH', `/api/cycles/${cid}`, { state: 'open' }), 200, 'open cycle');

	// Two applicants: the free-text fields, documents under hostile file
	// names, a letter writer, submission.
	const apps = [];
	for (const n of [1, 2]) {
		const a = n === 1 ? await applicant(n) : await demoApplicant('applicant79@demo.test');
		a.app = ok(await call(a, 'GET', `/api/cycles/${cid}/application`), 200, 'application').application.id;
		ok(await call(a, 'PUT', `/api/cycles/${cid}/application`, { fields: {
			first_name: payload(`applicant ${n} first name`),
			last_name: payload(`applicant ${n} last name`),
			email: a.email, phone: '+1 (617) 555-0101',
			mailing_address: payload(`applicant ${n} address`),
			medical_school: payload(`applicant ${n} school`), medical_school_year: 2015,
			residency_program: payload(`applicant ${n} residency`), residency_year: 2021,
			usmle_step1: 'pass', publications_count: 3,
			research_summary: payload(`applicant ${n} research`),
		} }), 200, 'application fields');
		for (const kind of ['cv', 'personal_statement'])
			ok(await upload(a, a.app, kind, `${FORMS[0]}${FORMS[3]}.pdf`), 201, 'upload');
		a.writer = `xss-writer${n}-${RUN}@example.org`;
		// The writer's name goes into mail to someone else: a plain
		// personal name only, so a payload there is refused outright.
		ok(await call(a, 'POST', `/api/applications/${a.app}/letters`, {
			writer_name: `[applicant ${n} letter writer] ${FORMS[0]}`, writer_email: a.writer, waived: true,
		}), 422, 'a payload as the writer\'s name');
		// The refusal is the one problem the page's console reports.
		const refused = a.problems.indexOf('console: Failed to load resource: the server responded with a status of 422 ()');
		assert.ok(refused >= 0, JSON.stringify(a.problems));
		a.problems.splice(refused, 1);
		ok(await call(a, 'POST', `/api/applications/${a.app}/letters`, {
			writer_name: `Dr. Ada Writer`, writer_email: a.writer, waived: true,
		}), 201, 'letter request');
		ok(await call(a, 'POST', `/api/cycles/${cid}/application/submit`), 200, 'submit');
		apps.push(a);
	}
	const [a1, a2] = apps;
	const name1 = [`applicant 1 first name`, `applicant 1 last name`];

	// The writer's page (no account), and the letter uploaded there.
	const writer = await page();
	const token = await mailedToken(director, a1.writer, 'letter');
	await visit(writer, '#/letter/' + token,
		['cycle name', 'applicant 1 account name'], 'letter writer page');
	await writer.getByLabel('Your letter (PDF)').setInputFiles(
		{ name: `${FORMS[1]}.pdf`, mimeType: 'application/pdf', buffer: pdf() });
	await writer.getByRole('button', { name: 'Upload the letter' }).click();
	await writer.getByText('Thank you. Your letter has been received').waitFor();

	// The rubric, before anyone scores.
	const rubric = ok(await call(director, 'PUT', `/api/cycles/${cid}/rubrics/screening`, { criteria: [{
		key: 'judgement', label: payload('rubric label'), description: payload('rubric description'),
		min: 1, max: 3, weight: 100,
		anchors: [payload('rubric anchor 1'), payload('rubric anchor 2'), payload('rubric anchor 3')],
	}] }), 200, 'rubric');
	assert.equal(rubric.rubric.criteria[0].label, stored['rubric label']);
	ok(await call(director, 'PATCH', `/api/cycles/${cid}`, { state: 'review' }), 200, 'review');

	// Two faculty members: one rates both candidates, the other has a
	// conflict with the second.
	const f1 = await faculty(coordinator, 1);
	const f2 = await faculty(coordinator, 2);
	ok(await call(coordinator, 'PUT', `/api/cycles/${cid}/assignments`, apps.map((a) => (
		{ faculty_id: f1.userId, application_id: a.app, phase: 'screening' }))), 200, 'assign');
	ok(await call(director, 'POST', `/api/applications/${a2.app}/conflicts`,
		{ faculty_id: f2.userId, reason: payload('conflict reason') }), 201, 'conflict');
	for (const [i, a] of apps.entries())
		ok(await call(f1, 'PUT', `/api/applications/${a.app}/scores/screening`, {
			values: { judgement: 3 - i }, comment: payload(`sheet comment ${i + 1}`), submit: true,
		}), 200, 'score sheet');

	// An interview day; both applicants are invited (the rank list holds
	// the invited), the first books.
	const day = ok(await call(coordinator, 'POST', `/api/cycles/${cid}/interview-days`, {
		day: '2099-02-10', location: payload('interview location'),
		slots: [{ start: '09:00', end: '10:00', capacity: 2 }],
	}), 201, 'interview day').day;
	ok(await call(coordinator, 'POST', `/api/cycles/${cid}/interview-invitations`,
		{ application_ids: [a1.app, a2.app] }), 200, 'invite to interview');
	ok(await call(a1, 'POST', `/api/interview-slots/${day.slots[0].id}/book`), 200, 'book');

	// The rank list: the computed order reversed, with reasons; certified,
	// then reopened with a reason.
	const draft = ok(await call(director, 'GET', `/api/cycles/${cid}/ranklist`), 200, 'rank list');
	assert.equal(draft.entries.length, 2);
	const entries = draft.entries.slice().reverse().map((e, i) => (
		{ application_id: e.application_id, reason: payload(`rank reason ${i + 1}`) }));
	ok(await call(director, 'PUT', `/api/cycles/${cid}/ranklist`, { entries }), 200, 'save rank list');
	// Certifying: scoring closed, and every warning acknowledged (their
	// record names the candidates, shown in the version history).
	for (const phase of ['screening', 'interview'])
		ok(await call(director, 'PATCH', `/api/cycles/${cid}/phases/${phase}`, { closed: true }), 200, 'close scoring');
	const readiness = ok(await call(director, 'GET', `/api/cycles/${cid}/ranklist/readiness`), 200, 'readiness');
	ok(await call(director, 'POST', `/api/cycles/${cid}/ranklist/certify`,
		{ acknowledged: readiness.warnings.map((w) => w.code) }), 200, 'certify');
	ok(await call(director, 'POST', `/api/cycles/${cid}/ranklist/reopen`,
		{ reason: payload('reopen reason') }), 200, 'reopen');
	// Back to the computed order: the differences name the new reasons.
	const back = draft.entries.map((e, i) => (
		{ application_id: e.application_id, reason: payload(`rank reason ${i + 3}`) }));
	const last = ok(await call(director, 'PUT', `/api/cycles/${cid}/ranklist`, { entries: back }), 200,
		'save rank list again');

	// Every page that shows them, as each role that sees it.
	const app1Fields = [...name1, 'applicant 1 address', 'applicant 1 school',
		'applicant 1 residency', 'applicant 1 research'];
	await visit(a1, '#/', ['cycle name', 'applicant 1 account name'], 'applicant start page');
	await visit(a1, '#/apply/' + cid, ['cycle name', ...app1Fields,
		'interview location'], 'applicant application page',
		(p) => p.getByText(/^You are booked on/).waitFor());
	await visit(a1, '#/account', ['applicant 1 account name'], 'applicant account page');

	await visit(f1, '#/cycles', ['cycle name'], 'faculty cycles page');
	await visit(f1, `#/cycles/${cid}`, ['cycle name', ...name1], 'faculty cycle page');
	await visit(f1, `#/cycles/${cid}/review`, ['cycle name', ...name1], 'faculty candidates page');
	await visit(f1, `#/review/${a1.app}/screening`, [...name1, 'rubric label', 'rubric description',
		'rubric anchor 1', 'rubric anchor 2', 'rubric anchor 3', 'sheet comment 1'], 'faculty score sheet');
	await visit(f1, `#/applications/${a1.app}`, app1Fields,
		'faculty application page');
	await visit(f1, `#/cycles/${cid}/rubric/screening`, ['rubric label', 'rubric description',
		'rubric anchor 2'], 'faculty rubric page');
	await visit(f1, `#/cycles/${cid}/interviews`, ['interview location'], 'faculty interviews page');
	await visit(f2, `#/cycles/${cid}/conflicts`, ['conflict reason'], 'faculty conflicts page');

	for (const [who, staff] of [['coordinator', coordinator], ['director', director]]) {
		await visit(staff, '#/people', ['faculty 1 name', 'faculty 2 name', 'applicant 1 account name'],
			`${who} people page`);
		// The audit log tells its records with names and details.
		await visit(staff, '#/audit', ['faculty 1 name', 'applicant 1 first name', 'conflict reason',
			'interview location', 'reopen reason'], `${who} audit log`);
		// An outbox message shows its text once opened, in its panel.
		const openMail = (to) => async (p) => {
			await p.locator('#outbox-table tbody tr', { has: p.getByRole('cell', { name: to, exact: true }) })
				.first().getByRole('button').click();
			await p.locator('#mail-panel[open]').waitFor();
		};
		await visit(staff, '#/outbox', ['faculty 1 name'], `${who} outbox, an invitation opened`,
			openMail(`xss-faculty1-${RUN}@example.org`));
		await visit(staff, '#/outbox', [], `${who} outbox, a letter request opened`,
			openMail(a1.writer));
		await visit(staff, `#/cycles/${cid}`, ['cycle name', ...name1, 'applicant 2 first name'],
			`${who} cycle page`);
		await visit(staff, `#/applications/${a1.app}`, app1Fields,
			`${who} application page`);
		await visit(staff, `#/cycles/${cid}/assignments/screening`, ['faculty 1 name', 'faculty 2 name',
			'conflict reason', ...name1],
			`${who} assignments page`);
		await visit(staff, `#/cycles/${cid}/conflicts`, ['conflict reason'],
			`${who} conflicts page`);
		await visit(staff, `#/cycles/${cid}/interviews`, ['interview location', ...name1],
			`${who} interviews page`);
		await visit(staff, `#/cycles/${cid}/ranking`, ['cycle name', ...name1], `${who} ranking page`);
		await visit(staff, `#/cycles/${cid}/ranklist`, ['rank reason 3', 'rank reason 4', 'reopen reason',
			...name1], `${who} rank list page`, async (p) => {
			// The differences between the first saved version and the last.
			await p.getByLabel('From version').selectOption(String(last.version - 3));
			await p.getByLabel('To version').selectOption(String(last.version));
			await p.getByRole('button', { name: 'Show differences' }).click();
			await p.locator('#diff-table').waitFor();
		});
		await visit(staff, `#/cycles/${cid}/ranklist/print`, ['cycle name', ...name1],
			`${who} printable rank list`);
	}
	await visit(director, `#/review/${a1.app}/screening`, [...name1, 'rubric label', 'sheet comment 1'],
		'director score sheets');
	await visit(director, `#/cycles/${cid}/rubric/screening`, ['rubric label', 'rubric description',
		'rubric anchor 1'], 'director rubric editor');

	for (const p of [director, coordinator, a1, a2, f1, f2, writer])
		await p.context().close();
});

test('payloads in the address and echoed in error messages are shown as text and never run', async () => {
	const p = await page();
	const check = async (what, tags = []) => {
		const r = await inspect(p, tags);
		assert.equal(r.xss, undefined, `${what}: a payload ran`);
		assert.equal(r.probes, 0, `${what}: a payload became markup`);
		assert.deepEqual(r.missing, [], `${what}: not shown literally`);
		assert.deepEqual(p.dialogs, [], `${what}: a dialog opened`);
	};
	// The hash router and the query string of the shell.
	for (const f of FORMS) {
		for (const address of [`/#/${f}`, `/#/cycles/${f}`, `/#/applications/1${f}`,
			`/#/letter/${'A'.repeat(43)}${f}`, `/?q=${f}#/signin`, `/#/signin?next=${f}`]) {
			await p.goto(BASE_URL + address);
			await p.waitForSelector('body[data-ready="true"]');
			await check('address ' + address);
		}
	}
	// A letter link that is not valid: the server's error is shown.
	await load(p, '#/letter/' + 'A'.repeat(43));
	await p.locator('#main h1').first().waitFor();
	await check('invalid letter link');

	// Sign-in and sign-up forms: the refused input stays text.
	await ready(p, '#/signin');
	await p.getByLabel('E-mail address').fill(`${FORMS[0]}@example.org`);
	await p.getByLabel('Password', { exact: true }).fill(FORMS[1]);
	await p.getByRole('button', { name: 'Sign in' }).click();
	await p.locator('[aria-invalid="true"], .form-message.error, .field-error:not(:empty)').first().waitFor();
	await check('sign-in refused');

	// The application form: a refused value whose error names the field.
	const a = await demoApplicant('applicant78@demo.test');
	const cycles = (await get(a, '/api/cycles')).cycles.filter((c) => c.accepting_applications);
	assert.ok(cycles.length > 0, 'a cycle open to applications');
	const r = await call(a, 'PUT', `/api/cycles/${cycles[0].id}/application`,
		{ fields: { phone: payload('refused phone') } });
	assert.equal(r.status, 422);
	await load(a, '#/apply/' + cycles[0].id);
	await a.locator('#main h1').first().waitFor();
	const phone = a.getByLabel(/^Phone/);
	await phone.fill(stored['refused phone']);
	await phone.blur();
	await a.locator('#err-phone:not(:empty)').waitFor();
	const shown = await inspect(a, ['refused phone']);
	assert.equal(shown.xss, undefined);
	assert.equal(shown.probes, 0);
	assert.deepEqual(shown.missing, []);
	assert.deepEqual(a.dialogs, []);
	await a.context().close();
	await p.context().close();
});
