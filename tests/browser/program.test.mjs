// The program's name (migrations/017): every page shows it in the header
// and the window's title; the director renames it on the People page, the
// coordinator sees no such form. The name is set back at the end, since
// other files of the same run read the header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, signIn, navigate, checkA11y, call, ready } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });

// Opens hash in a page loaded anew (a change of hash alone loads nothing).
async function afresh(page, hash) {
	await page.waitForLoadState('networkidle');
	await page.goto('about:blank');
	await ready(page, hash);
}
after(async () => { await browser?.close(); });

test('the director renames the program and every page shows it', async () => {
	const page = await openPage(browser);
	await signIn(page, 'director@demo.test');
	const before = (await call(page, 'GET', '/api/program')).body.name;
	try {
		await navigate(page, 'People');
		await page.getByRole('heading', { name: 'Program' }).waitFor();
		const input = page.getByLabel('Program name');
		assert.equal(await input.inputValue(), before);
		await checkA11y(page, 'the People page with its Program section');

		// A name of spaces is refused next to the field.
		await input.fill('   ');
		await page.getByRole('button', { name: 'Save the name' }).click();
		await page.locator('#name-error, [aria-invalid="true"]').first().waitFor();
		assert.equal((await call(page, 'GET', '/api/program')).body.name, before);

		await input.fill('Hand and Upper Extremity Fellowship');
		await page.getByRole('button', { name: 'Save the name' }).click();
		await page.getByText('The program is now called Hand and Upper Extremity Fellowship.').waitFor();
		assert.equal(await page.locator('header .brand .program-name').textContent(),
			'Hand and Upper Extremity Fellowship');
		assert.equal(await page.title(), 'People · Hand and Upper Extremity Fellowship');

		// Another page, loaded afresh: the header and the title say it.
		await afresh(page, '#/');
		await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
		assert.equal(await page.locator('header .brand .program-name').textContent(),
			'Hand and Upper Extremity Fellowship');
		assert.match(await page.title(), / · Hand and Upper Extremity Fellowship$/);
		assert.deepEqual(page.problems.filter((p) => !/422/.test(p)), []);
	} finally {
		await call(page, 'PATCH', '/api/program', { name: before });
	}
});

test('a name that looks like markup is shown as text, and nothing runs', async () => {
	const page = await openPage(browser);
	const dialogs = [];
	page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
	await signIn(page, 'director@demo.test');
	const before = (await call(page, 'GET', '/api/program')).body.name;
	const evil = '</title><svg class=xss-probe onload=window.__xss=1><img src=x onerror=alert(1) class=xss-probe>';
	try {
		assert.equal((await call(page, 'PATCH', '/api/program', { name: evil })).status, 200);
		for (const hash of ['#/', '#/people']) {
			await afresh(page, hash);
			assert.equal(await page.locator('header .brand .program-name').textContent(), evil);
			assert.equal(await page.locator('.xss-probe').count(), 0);
			assert.equal(await page.evaluate(() => window.__xss), undefined);
			assert.ok((await page.title()).endsWith(evil));
		}
		assert.deepEqual(dialogs, []);
	} finally {
		await call(page, 'PATCH', '/api/program', { name: before });
	}
});

test('the coordinator sees the name but no form to change it', async () => {
	const page = await openPage(browser);
	await signIn(page, 'coordinator@demo.test');
	await navigate(page, 'People');
	await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
	assert.equal(await page.getByRole('heading', { name: 'Program' }).count(), 0);
	// The coordinator serves two programs: the name is the switcher's.
	assert.equal(await page.locator('header .brand .program-name').count(), 0);
	assert.ok((await page.locator('#program-switch option:checked').textContent()).length > 0);
});

test('a surgeon with roles in three programs switches between them', async () => {
	const page = await openPage(browser);
	await signIn(page, 'faculty2@demo.test');
	const select = page.getByLabel('Program', { exact: true });
	assert.equal(await select.locator('option').count(), 3);
	assert.equal(await select.locator('option:checked').textContent(), 'Musculoskeletal Oncology');
	await checkA11y(page, 'the switcher');
	await select.selectOption({ label: 'Sports Medicine' });
	await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
	await page.waitForFunction(() => document.title.endsWith('· Sports Medicine'));
	// The pages that follow are about the chosen program.
	await navigate(page, 'Cycles');
	await page.getByRole('link', { name: /^Sports Medicine Fellowship/ }).first().waitFor();
	assert.equal(await page.getByRole('link', { name: /^Musculoskeletal Oncology/ }).count(), 0);
	// The choice lasts the tab's reloads.
	await afresh(page, '#/cycles');
	await page.getByRole('link', { name: /^Sports Medicine Fellowship/ }).first().waitFor();
	assert.equal(await page.getByLabel('Program', { exact: true }).locator('option:checked').textContent(),
		'Sports Medicine');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the administrator sees programs and people and creates a program', async () => {
	const page = await openPage(browser);
	await signIn(page, 'admin@demo.test');
	await page.getByRole('link', { name: 'its programs and people' }).click();
	await page.getByRole('heading', { name: 'Programs and people', level: 1 }).waitFor();
	await page.getByRole('rowheader', { name: 'Sports Medicine', exact: true }).waitFor();
	await checkA11y(page, 'the installation page');
	const name = 'Foot and Ankle ' + Date.now();
	await page.getByLabel('Program name').fill(name);
	await page.getByLabel('Director’s full name').fill('Dr. Foot Chief');
	await page.getByLabel('Director’s e-mail address').fill('foot.chief.' + Date.now() + '@example.org');
	await page.getByRole('button', { name: 'Create the program' }).click();
	await page.getByText(name + ' was created; Dr. Foot Chief directs it.').waitFor();
	await page.getByRole('rowheader', { name, exact: true }).waitFor();
	// A bad address is refused beside its field.
	await page.getByLabel('Program name').fill(name + ' again');
	await page.getByLabel('Director’s full name').fill('X');
	await page.getByLabel('Director’s e-mail address').fill('not an address');
	await page.getByRole('button', { name: 'Create the program' }).click();
	await page.locator('[aria-invalid="true"]').first().waitFor();
	// The administrator disables an account two programs share, and
	// enables it again.
	page.once('dialog', (d) => d.accept());
	await page.getByRole('button', { name: 'Disable Dr. Claire Dubois' }).click();
	await page.getByText('Dr. Claire Dubois is disabled and signed out.').waitFor();
	await page.getByRole('button', { name: 'Enable Dr. Claire Dubois' }).click();
	await page.getByText('Dr. Claire Dubois is enabled.').waitFor();
	await checkA11y(page, 'the installation page after a change');
	// No candidate's page is open to an administrator.
	await afresh(page, '#/cycles');
	await page.getByRole('heading', { name: 'Programs and people', level: 1 }).waitFor();
	// The one refusal asked for above, and nothing else.
	assert.deepEqual(page.problems.filter((p) => !p.includes('status of 422')), []);
	await page.context().close();
});

test('an applicant starts a second program’s application from the first', async () => {
	const page = await openPage(browser);
	await signIn(page, 'applicant03@demo.test');
	const { cycles } = (await call(page, 'GET', '/api/cycles')).body;
	const hand = cycles.find((c) => c.program === 'Hand Surgery');
	await call(page, 'GET', `/api/cycles/${hand.id}/application`);
	await afresh(page, `#/apply/${hand.id}`);
	await page.getByRole('heading', { name: 'Start from another of your applications' }).waitFor();
	await checkA11y(page, 'the copy section');
	await page.getByRole('button', { name: 'Copy what this one lacks' }).click();
	await page.getByText(/answers and \d+ documents? were copied\./).waitFor();
	assert.notEqual(await page.getByLabel(/^Last name/).inputValue(), '');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
