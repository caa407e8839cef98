// The applicant's journey from sign-up to submission, and the staff's
// list and detail pages, each page checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshot, ready, checkA11y, pdf, get } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ANSWERS = [
	['First name (required)', 'Noor'],
	['Last name (required)', 'Haddad'],
	['Contact e-mail (required)', 'noor.haddad@example.org'],
	['Phone (required)', '+1 617 555 0199'],
	['Mailing address (required)', '12 Beacon Street\nBoston, MA'],
	['Medical school (required)', 'American University of Beirut'],
	['Medical school graduation year (required)', '2019'],
	['Residency program (required)', 'Boston Medical Center Orthopaedics'],
	['Residency graduation year (required)', '2025'],
	['Peer-reviewed publications (required)', '9'],
	['Research summary (required)', 'Chondrosarcoma margins.'],
];

// Reads the writer's link from the outbox as the director (mail is held
// in the test configuration), then uploads a letter on the writer's page.
async function writerUploads(writerEmail, expectText) {
	const staff = await openPage(browser);
	await ready(staff, '#/signin');
	await staff.getByLabel('E-mail address').fill('director@demo.test');
	await staff.getByLabel('Password', { exact: true }).fill('fellowship-demo-2026');
	await staff.getByRole('button', { name: 'Sign in' }).click();
	await staff.getByRole('heading', { name: /^Welcome/ }).waitFor();
	const link = await staff.evaluate(async (email) => {
		const r = await (await fetch('/api/outbox')).json();
		const m = r.messages.find((x) => x.to === email);
		return m.body.match(/http\S+#\/letter\/[A-Za-z0-9_-]{43}/)[0];
	}, writerEmail);
	const writer = await openPage(browser);
	// The page's calls to the server: the link's token goes in a header,
	// never in an address a log would keep.
	const token = link.split('/').pop();
	const calls = [];
	writer.on('request', (r) => {
		if (['fetch', 'xhr'].includes(r.resourceType()))
			calls.push({ url: r.url(), header: r.headers()['x-letter-token'] });
	});
	await writer.goto(link);
	await writer.waitForSelector('body[data-ready="true"]');
	await writer.getByRole('heading', { name: 'Letter of recommendation' }).waitFor();
	await writer.getByText(expectText).waitFor();
	await checkA11y(writer, 'letter writer page');
	await writer.getByLabel('Your letter (PDF)').setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: pdf() });
	await writer.getByRole('button', { name: 'Upload the letter' }).click();
	await writer.getByText('Thank you. Your letter has been received').waitFor();
	await screenshot(writer, 'letter-writer');
	assert.deepEqual(writer.problems, []);
	const letterCalls = calls.filter((c) => c.url.includes('/api/letters/'));
	assert.deepEqual(letterCalls.map((c) => [new URL(c.url).pathname, c.header]),
		[['/api/letters/writer', token], ['/api/letters/writer', token]]);
	assert.ok(calls.every((c) => !c.url.includes(token)), JSON.stringify(calls));
}

// The name of the demo's cycle open to applicants (named for a year that
// follows the server's clock, so never written out here).
async function openCycleName(page) {
	const { cycles } = await get(page, '/api/cycles');
	return cycles.find((c) => c.state === 'open' && c.program_id === 1).name;
}

test('an applicant signs up, fills in the application and submits it', async () => {
	const page = await openPage(browser);
	await ready(page, '#/register');
	await page.getByLabel('Full name', { exact: true }).fill('Dr. Noor Haddad');
	await page.getByLabel('E-mail address', { exact: true }).fill('noor.haddad@example.org');
	await page.getByLabel('Password', { exact: true }).fill('noor applies to oncology');
	await page.getByLabel('Repeat the password').fill('noor applies to oncology');
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.getByRole('heading', { name: 'Welcome, Dr. Noor Haddad' }).waitFor();
	await checkA11y(page, 'applicant home');

	await page.getByRole('link', { name: await openCycleName(page) }).click();
	await page.getByRole('heading', { level: 1, name: 'Your application' }).waitFor();
	await checkA11y(page, 'application form');

	// A submission too early lists what is missing.
	await page.getByRole('button', { name: 'Submit application' }).click();
	await page.getByText('The application is not complete yet.').waitFor();
	assert.ok(await page.locator('#checklist li').count() > 5);

	// A bad value is refused next to its field and not saved.
	const aamc = page.getByLabel('AAMC ID', { exact: true });
	await aamc.fill('123');
	await aamc.press('Tab');
	await page.getByText('Enter exactly 8 digits.').waitFor();
	assert.equal(await aamc.getAttribute('aria-invalid'), 'true');
	await aamc.fill('');
	await aamc.press('Tab');

	for (const [label, value] of ANSWERS) {
		const input = page.getByLabel(label, { exact: true });
		await input.fill(value);
		const saved = page.waitForResponse((r) => r.request().method() === 'PUT' &&
			r.url().endsWith('/application'));
		await input.press('Tab');
		assert.equal((await saved).status(), 200, label);
	}
	await page.locator('.saved', { hasText: 'All changes saved.' }).waitFor();
	// The documents, with the upload control: a renamed text file first.
	await page.getByLabel('PDF file').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf',
		buffer: Buffer.from('not really a pdf') });
	await page.getByRole('button', { name: 'Upload' }).click();
	await page.getByText('This file is not a PDF').waitFor();
	await checkA11y(page, 'application form with an upload error');
	// A PDF with a web page in a comment: refused, and the page says why.
	const polyglot = Buffer.from(pdf().toString('latin1').replace('%PDF-1.4\n',
		'%PDF-1.4\n%<html><script>alert(1)</script></html>\n'), 'latin1');
	await page.getByLabel('PDF file').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: polyglot });
	await page.getByRole('button', { name: 'Upload' }).click();
	await page.getByText('This PDF carries web page markup or script outside its content.').waitFor();
	for (const [kind, label] of [['cv', 'Curriculum vitae'], ['personal_statement', 'Personal statement']]) {
		await page.getByLabel('Document', { exact: true }).selectOption(kind);
		await page.getByLabel('PDF file').setInputFiles({ name: 'x.pdf', mimeType: 'application/pdf', buffer: pdf() });
		await page.getByRole('button', { name: 'Upload' }).click();
		// Exactly the document's link: the checklist's "Curriculum vitae
		// (PDF)" would match too, before the upload is done.
		await page.getByRole('link', { name: label, exact: true }).waitFor();
	}
	await page.getByText('Everything required is filled in.').waitFor();

	// A letter, asked for here and uploaded by its writer from the link.
	await page.getByLabel('Writer’s name').fill('Dr. Ruth Mentor');
	await page.getByLabel('Writer’s e-mail address').fill('ruth.mentor@example.org');
	await page.getByLabel(/I waive my right/).check();
	await page.getByRole('button', { name: 'Ask for the letter' }).click();
	await page.getByText('We have e-mailed ruth.mentor@example.org').waitFor();
	await page.getByText(/Requested on .*you waived the right to read it/).waitFor();
	await checkA11y(page, 'application form with a letter request');
	await writerUploads('ruth.mentor@example.org', /Dear Dr. Ruth Mentor, Dr. Noor Haddad has asked you/);
	await page.reload();
	await page.waitForSelector('body[data-ready="true"]');
	await page.getByText(/Received on .*you waived the right to read it/).waitFor();
	// The applicant sees that it arrived, never the letter.
	assert.equal(await page.getByRole('link', { name: /Letter from/ }).count(), 0);
	await screenshot(page, 'application-form');
	await page.getByRole('button', { name: 'Submit application' }).click();
	await page.getByText('Your application is submitted.').waitFor();
	assert.equal(await page.getByLabel('First name (required)').isDisabled(), true);
	assert.deepEqual(page.problems.filter((p) => !p.includes('422')), []);

	// The answers survive a reload.
	await page.reload();
	await page.waitForSelector('body[data-ready="true"]');
	assert.equal(await page.getByLabel('Last name (required)').inputValue(), 'Haddad');
});

test('the coordinator finds the application in the list and opens it', async () => {
	const page = await openPage(browser);
	await ready(page, '#/signin');
	await page.getByLabel('E-mail address').fill('coordinator@demo.test');
	await page.getByLabel('Password', { exact: true }).fill('fellowship-demo-2026');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
	await page.getByRole('link', { name: 'Cycles', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'Cycles' }).waitFor();
	await checkA11y(page, 'cycles page');
	await page.getByRole('link', { name: await openCycleName(page) }).click();
	await page.getByRole('heading', { level: 2, name: 'Applications' }).waitFor();
	await page.getByText(/applications shown/).waitFor();
	await checkA11y(page, 'applications list');
	await screenshot(page, 'applications-list');
	await page.getByLabel('Status').selectOption('submitted');
	await page.getByLabel('Search').fill('haddad');
	await page.getByRole('link', { name: 'Haddad, Noor' }).click();
	await page.getByRole('heading', { level: 1, name: 'Noor Haddad' }).waitFor();
	await page.getByText('American University of Beirut').waitFor();
	await page.getByRole('link', { name: 'Curriculum vitae' }).waitFor();
	// Staff read the letter.
	await page.getByRole('link', { name: 'Letter from Dr. Ruth Mentor' }).waitFor();
	await checkA11y(page, 'application detail');
});

