// Accounts in the browser: sign-up, sign-in, sign-out and accepting an
// invitation, each page checked with axe, errors shown next to fields,
// and the sign-in form used from the keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshot, ready, checkA11y, signIn, DEMO_PASSWORD } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an applicant signs up and is signed in', async () => {
	const page = await openPage(browser);
	await ready(page, '#/register');
	await checkA11y(page, 'register page');
	await page.getByLabel('Full name', { exact: true }).fill('Dr. Ada Browser');
	await page.getByLabel('E-mail address', { exact: true }).fill('ada.browser@example.org');
	await page.getByLabel('Password', { exact: true }).fill('short');
	await page.getByLabel('Repeat the password').fill('short');
	await page.getByRole('button', { name: 'Create account' }).click();
	// The error sits next to the field it concerns, and is announced.
	const pw = page.getByLabel('Password', { exact: true });
	assert.equal(await pw.getAttribute('aria-invalid'), 'true');
	const described = await pw.getAttribute('aria-describedby');
	const errId = described.split(' ').find((id) => id.endsWith('-error'));
	assert.match(await page.locator('#' + errId).textContent(), /at least 12/);
	await checkA11y(page, 'register page with an error');

	await pw.fill('password1234567');
	await page.getByLabel('Repeat the password').fill('password1234567');
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.getByText('This password is too common').waitFor();

	await pw.fill('ada writes careful tests');
	await page.getByLabel('Repeat the password').fill('ada writes careful tests');
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.getByRole('heading', { name: 'Welcome, Dr. Ada Browser' }).waitFor();
	await checkA11y(page, 'home page signed in');
	assert.deepEqual(page.problems.filter((p) => !p.includes('422')), []);
});

test('sign in shows a clear error, then signs in and out', async () => {
	const page = await openPage(browser);
	await ready(page, '#/signin');
	await checkA11y(page, 'sign-in page');
	await page.getByLabel('E-mail address', { exact: true }).fill('director@demo.test');
	await page.getByLabel('Password', { exact: true }).fill('not the right one');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
	await screenshot(page, 'signin-error');
	await checkA11y(page, 'sign-in page with an error');

	await signIn(page, 'director@demo.test');
	await screenshot(page, 'home-director');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
	// The session is gone on the server too.
	const me = await page.evaluate(async () => (await fetch('/api/me')).status);
	assert.equal(me, 401);
});

test('the sign-in form works from the keyboard alone', async () => {
	const page = await openPage(browser);
	await ready(page, '#/signin');
	await page.getByLabel('E-mail address', { exact: true }).focus();
	await page.keyboard.type('coordinator@demo.test');
	await page.keyboard.press('Tab');
	await page.keyboard.type(DEMO_PASSWORD);
	await page.keyboard.press('Enter');
	await page.getByRole('heading', { name: 'Welcome, Sam Okafor' }).waitFor();
	// Focus moves to the new page's heading once the page has rendered
	// (the heading can appear a moment before the page is complete).
	await page.waitForFunction(() => document.activeElement.tagName === 'H1', null, { timeout: 5000 });
	assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
});

test('staff invite a faculty member, who accepts from the e-mail', async () => {
	const page = await openPage(browser);
	await signIn(page, 'director@demo.test');
	await page.getByRole('link', { name: 'People' }).click();
	await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
	await page.getByRole('cell', { name: 'coordinator@demo.test' }).waitFor();
	await checkA11y(page, 'people page');
	await page.getByLabel('Full name', { exact: true }).fill('Dr. Grace Invitee');
	await page.getByLabel('E-mail address', { exact: true }).fill('grace.invitee@example.org');
	await page.getByLabel('Role', { exact: true }).selectOption('faculty');
	await page.getByRole('button', { name: 'Send invitation' }).click();
	await page.getByText('Invitation sent to grace.invitee@example.org.').waitFor();
	await page.getByRole('cell', { name: 'grace.invitee@example.org' }).waitFor();
	await screenshot(page, 'people');

	await page.getByRole('link', { name: 'Outbox' }).click();
	await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
	await page.getByRole('cell', { name: 'grace.invitee@example.org' }).first().waitFor();
	await checkA11y(page, 'outbox page');
	await page.getByRole('button', { name: 'Your invitation to Fellowship selection' }).first().click();
	const body = await page.locator('#mail-panel[open] #mail-body').textContent();
	const link = body.match(/http\S+#\/invite\/[A-Za-z0-9_-]{43}/)[0];

	const invitee = await openPage(browser);
	await invitee.goto(link);
	await invitee.waitForSelector('body[data-ready="true"]');
	await invitee.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
	await checkA11y(invitee, 'invitation page');
	await invitee.getByLabel('New password', { exact: true }).fill('grace picks a long phrase');
	await invitee.getByLabel('Repeat the password').fill('grace picks a long phrase');
	await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
	await invitee.getByRole('heading', { name: 'Welcome, Dr. Grace Invitee' }).waitFor();
	assert.deepEqual(invitee.problems, []);
});

test('the account page changes the password', async () => {
	const page = await openPage(browser);
	await signIn(page, 'faculty6@demo.test');
	await page.getByRole('link', { name: 'Dr. Claire Dubois' }).click();
	await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
	await checkA11y(page, 'account page');
	await page.getByLabel('Current password').fill('wrong current one');
	await page.getByLabel('New password', { exact: true }).fill('claire rotates passwords');
	await page.getByLabel('Repeat the new password').fill('claire rotates passwords');
	await page.getByRole('button', { name: 'Change password' }).click();
	await page.getByText('The current password is not right.').waitFor();
	await page.getByLabel('Current password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Change password' }).click();
	await page.getByText('Your password is changed.').waitFor();
	// Put it back for reruns against the same server.
	await page.getByLabel('Current password').fill('claire rotates passwords');
	await page.getByLabel('New password', { exact: true }).fill(DEMO_PASSWORD);
	await page.getByLabel('Repeat the new password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Change password' }).click();
	await page.getByText('Your password is changed.').waitFor();
});

test('the audit log lists what happened', async () => {
	const page = await openPage(browser);
	await signIn(page, 'coordinator@demo.test');
	await page.getByRole('link', { name: 'Audit log' }).click();
	await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
	await page.getByRole('cell', { name: 'Sam Okafor signed in', exact: true }).first().waitFor();
	await checkA11y(page, 'audit page');
	await screenshot(page, 'audit');
});
