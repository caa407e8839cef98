// The application shell renders in Chromium with no console errors, no
// failed requests and no accessibility violations, and works by keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, accessibilityViolations, screenshot }
	from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the shell loads and shows that the service runs', async () => {
	const page = await openPage(browser);
	await page.goto(BASE_URL + '/');
	await page.getByText('The service is running.').waitFor();
	// The demo installation hosts three programs: signed out, the page
	// is about none of them (an installation of one names it).
	assert.equal(await page.title(), 'Fellowship selection');
	assert.equal(await page.locator('header .brand .program-name').count(), 0);
	await screenshot(page, 'shell');
	assert.deepEqual(page.problems, []);
});

test('the shell has no accessibility violations', async () => {
	const page = await openPage(browser);
	await page.goto(BASE_URL + '/');
	await page.getByText('The service is running.').waitFor();
	assert.deepEqual(await accessibilityViolations(page), []);
});

test('the skip link is the first stop for the keyboard and moves focus', async () => {
	const page = await openPage(browser);
	await page.goto(BASE_URL + '/');
	await page.waitForSelector('body[data-ready="true"]');
	await page.keyboard.press('Tab');
	const focused = await page.evaluate(() => document.activeElement.textContent);
	assert.equal(focused, 'Skip to content');
	await page.keyboard.press('Enter');
	const target = await page.evaluate(() => document.activeElement.id);
	assert.equal(target, 'main');
});

test('the content security policy holds in the browser', async () => {
	const page = await openPage(browser);
	await page.goto(BASE_URL + '/');
	// An injected inline script must not run under the served CSP.
	const ran = await page.evaluate(() => {
		window.__inlineRan = false;
		const s = document.createElement('script');
		s.textContent = 'window.__inlineRan = true;';
		document.body.appendChild(s);
		return window.__inlineRan;
	});
	assert.equal(ran, false);
});
