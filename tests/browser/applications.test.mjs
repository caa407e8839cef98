// The applicant's journey from sign-up to submission, and the staff's
// list and detail pages, each page checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, accessibilityViolations, screenshot }
	from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function ready(page, hash) {
	await page.goto(BASE_URL + '/' + hash);
	await page.waitForSelector('body[data-ready="true"]');
}

async function checkA11y(page, what) {
	assert.deepEqual(await accessibilityViolations(page), [], what);
}

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

	await page.getByRole('link', { name: 'Musculoskeletal Oncology Fellowship 2027' }).click();
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
	assert.equal(await aamc.getAttribute('aria-invalid'), 'true');
	await page.getByText('Enter exactly 8 digits.').waitFor();
	await aamc.fill('');
	await aamc.press('Tab');

	for (const [label, value] of ANSWERS) {
		const input = page.getByLabel(label, { exact: true });
		await input.fill(value);
		await input.press('Tab');
		await page.getByText('All changes saved.').waitFor();
	}
	await page.getByText('Everything required is filled in.').waitFor();
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
	await page.getByRole('link', { name: 'Musculoskeletal Oncology Fellowship 2027' }).click();
	await page.getByRole('heading', { level: 2, name: 'Applications' }).waitFor();
	await page.getByText(/applications shown/).waitFor();
	await checkA11y(page, 'applications list');
	await screenshot(page, 'applications-list');
	await page.getByLabel('Status').selectOption('submitted');
	await page.getByLabel('Search').fill('haddad');
	await page.getByRole('link', { name: 'Haddad, Noor' }).click();
	await page.getByRole('heading', { level: 1, name: 'Noor Haddad' }).waitFor();
	await page.getByText('American University of Beirut').waitFor();
	await checkA11y(page, 'application detail');
});
