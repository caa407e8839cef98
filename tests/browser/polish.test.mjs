// Polish across the application, at 1280 and 390 px with the axe check:
// the navigation fits on one line at 1280 px for every role and collapses
// into a menu button under 768 px (keyboard operable, aria-expanded);
// dates and times in one format everywhere, "Tue 8 Dec 2026, 17:00 EST",
// in the cycle's time zone; no error text over an input; the letter
// writer's page draws its heading once even when two navigations race.
//
// Dates are taken from the server's data (the demo follows the server's
// clock), never from the browser's own clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, ready, signIn, checkA11y, screenshot, get, call, dayText, errorsClearOfInputs,
	smallCycle } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
const WIDTHS = [1280, 390];

// Where the navigation's items are: whether they share one line, and
// whether they stay inside the header's content box.
async function navLayout(page) {
	return page.evaluate(() => {
		const header = document.querySelector('header');
		const pad = parseFloat(getComputedStyle(header).paddingRight);
		const edge = header.getBoundingClientRect().right - pad;
		const items = [document.querySelector('.brand'),
			...[...document.querySelectorAll('#nav-links > li > *')].filter((e) => e.offsetParent)];
		const boxes = items.map((e) => e.getBoundingClientRect());
		return {
			items: items.length,
			oneLine: boxes.every((b) => b.top < boxes[0].bottom && b.bottom > boxes[0].top),
			inside: boxes.every((b) => b.right <= edge + 1),
			height: Math.round(document.querySelector('header nav').getBoundingClientRect().height),
			overflow: document.documentElement.scrollWidth > window.innerWidth,
		};
	});
}

test('the navigation fits on one line at 1280 px for every role', async () => {
	for (const [who, links] of [['director@demo.test', 11], ['coordinator@demo.test', 10],
		['faculty1@demo.test', 6], ['applicant01@demo.test', 2]]) {
		const page = await openPage(browser);
		await page.setViewportSize({ width: 1280, height: 800 });
		await signIn(page, who);
		const nav = await navLayout(page);
		assert.equal(nav.items, links + 1, `${who}: the brand and ${links} items`);
		assert.ok(nav.oneLine && nav.inside && !nav.overflow, `${who}: ${JSON.stringify(nav)}`);
		assert.equal(await page.getByRole('button', { name: 'Menu' }).isVisible(), false);
		await checkA11y(page, `${who}'s start page at 1280 px`);
		if (who.startsWith('director'))
			await screenshot(page, 'nav-1280');
		await page.context().close();
	}
});

test('under 768 px the navigation is a menu button, by keyboard too', async () => {
	const page = await openPage(browser);
	await page.setViewportSize({ width: 390, height: 800 });
	await signIn(page, 'director@demo.test');
	const menu = page.getByRole('button', { name: 'Menu' });
	const audit = page.getByRole('link', { name: 'Audit log' });
	assert.equal(await menu.getAttribute('aria-expanded'), 'false');
	assert.equal(await menu.getAttribute('aria-controls'), 'nav-links');
	assert.equal(await audit.isVisible(), false);
	assert.ok((await navLayout(page)).height <= 80, 'the closed menu takes one line');
	await checkA11y(page, 'closed menu at 390 px');

	// Enter opens it; the links follow the button in the tab order.
	await menu.focus();
	await page.keyboard.press('Enter');
	assert.equal(await menu.getAttribute('aria-expanded'), 'true');
	await audit.waitFor();
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Cycles');
	await checkA11y(page, 'open menu at 390 px');
	await screenshot(page, 'nav-390-open');
	// Escape closes it and the focus goes back to the button.
	await page.keyboard.press('Escape');
	assert.equal(await menu.getAttribute('aria-expanded'), 'false');
	assert.equal(await menu.evaluate((b) => b === document.activeElement), true);
	assert.equal(await audit.isVisible(), false);
	// Space opens it; choosing a link goes there and closes it.
	await page.keyboard.press('Space');
	assert.equal(await menu.getAttribute('aria-expanded'), 'true');
	await audit.click();
	await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
	assert.equal(await menu.getAttribute('aria-expanded'), 'false');
	assert.equal(await audit.isVisible(), false);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

// A date or time written any other way than the one format.
const OTHER_FORMATS = [
	/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/, // 12/6/2026
	/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4}\b/, // Dec 6, 2026
	/\b\d{4}-\d{2}-\d{2}\b/, // 2026-12-11
	/\b\d{1,2}:\d{2}:\d{2}\b/, // 10:00:00
	/\b[AP]M\b/,
];
const ONE_FORMAT = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}(, \d{2}:\d{2} [A-Z]{2,5})?\b/;

// Opens hash at width, checks the dates it shows and the axe rules.
async function datesOn(page, hash, width, settle) {
	await page.setViewportSize({ width, height: 900 });
	await ready(page, hash);
	await page.locator('#main h1').first().waitFor();
	if (settle)
		await settle();
	const text = await page.locator('#main').innerText();
	for (const re of OTHER_FORMATS)
		assert.doesNotMatch(text, re, `${hash} at ${width} px`);
	assert.match(text, ONE_FORMAT, `${hash} shows a date`);
	await checkA11y(page, `${hash} at ${width} px`);
	return text;
}

test('dates and times are written one way everywhere, in the cycle’s time zone', async () => {
	const staff = await openPage(browser);
	await signIn(staff, 'director@demo.test');
	const { cycles } = await get(staff, '/api/cycles');
	const review = cycles.find((c) => c.year === Math.max(...cycles.filter((x) => x.state !== 'open' &&
		x.state !== 'setup').map((x) => x.year)));
	const open = cycles.find((c) => c.state === 'open');
	const { applications } = await get(staff, `/api/cycles/${review.id}/applications?status=submitted&limit=1`);
	for (const width of WIDTHS) {
		const text = await datesOn(staff, '#/cycles', width);
		// A deadline as typed, with its zone's name at that date.
		const close = open.applications_close;
		assert.match(text, new RegExp(`${dayText(close)}, ${close.slice(11, 16)} E[SD]T`));
		await datesOn(staff, `#/applications/${applications[0].id}`, width);
		await datesOn(staff, `#/cycles/${review.id}/interviews`, width,
			() => staff.locator('.interview-day h3').first().waitFor());
		await datesOn(staff, `#/cycles/${review.id}/assignments`, width,
			() => staff.locator('#loads-table').waitFor());
		await datesOn(staff, `#/cycles/${review.id}/rubric`, width,
			() => staff.locator('#rubric-version').waitFor());
		await datesOn(staff, '#/audit', width, () => staff.locator('#audit-table tbody tr').first().waitFor());
	}
	// The interview days: the calendar day of the data, in the format.
	const { days } = await get(staff, `/api/cycles/${review.id}/interview-days`);
	await ready(staff, `#/cycles/${review.id}/interviews`);
	await staff.getByRole('heading', { level: 3, name: new RegExp('^' + dayText(days[0].day)) }).waitFor();

	const applicant = await openPage(browser);
	await signIn(applicant, 'applicant01@demo.test');
	for (const width of WIDTHS) {
		await datesOn(applicant, '#/', width, () => applicant.locator('#main ol.timeline').first().waitFor());
		await datesOn(applicant, `#/apply/${review.id}`, width,
			() => applicant.locator('#documents li').first().waitFor());
	}
	assert.deepEqual([...staff.problems, ...applicant.problems], []);
	await staff.context().close();
	await applicant.context().close();
});

test('no error text lies over its input', async () => {
	const page = await openPage(browser);
	for (const width of WIDTHS) {
		await page.setViewportSize({ width, height: 900 });
		await ready(page, '#/register');
		await page.getByLabel('Full name', { exact: true }).fill('Dr. Ada Polish');
		await page.getByLabel('E-mail address', { exact: true }).fill('not an address');
		await page.getByLabel('Password', { exact: true }).fill('short');
		await page.getByLabel('Repeat the password').fill('different');
		await page.getByRole('button', { name: 'Create account' }).click();
		await page.locator('.field-error:not(:empty)').first().waitFor();
		assert.deepEqual(await errorsClearOfInputs(page), [], `sign-up form at ${width} px`);
		await checkA11y(page, `sign-up form with an error at ${width} px`);
	}
	await page.context().close();
});

test('a missing reason in the rank list is shown under its input, not over it', async () => {
	// The rank list's reason inputs have no margin of their own: the
	// message Pico pulled up over such inputs is where it was seen.
	const director = await openPage(browser);
	await signIn(director, 'director@demo.test');
	const coordinator = await openPage(browser);
	await signIn(coordinator, 'coordinator@demo.test');
	const { cycle, app, faculty1 } = await smallCycle(browser, director, coordinator,
		{ year: 2003, name: `Polish fellowship ${RUN}`, applicant: 'applicant69@demo.test' });
	const rater = await openPage(browser);
	await signIn(rater, 'faculty1@demo.test');
	const { rubric } = await get(rater, `/api/cycles/${cycle.id}/rubrics/screening`);
	const sheet = await call(rater, 'PUT', `/api/applications/${app.id}/scores/screening`,
		{ values: Object.fromEntries(rubric.criteria.map((c) => [c.key, 3])), submit: true });
	assert.equal(sheet.status, 200, JSON.stringify(sheet.body));
	assert.ok(faculty1);
	for (const width of WIDTHS) {
		await director.setViewportSize({ width, height: 900 });
		await ready(director, `#/cycles/${cycle.id}/ranklist`);
		await director.getByRole('switch', { name: 'Do not rank Ines Dvořák' }).check();
		await director.locator('#save-ranklist').click();
		await director.getByText('Give a reason for not ranking Ines Dvořák.').first().waitFor();
		assert.deepEqual(await errorsClearOfInputs(director), [], `rank list at ${width} px`);
		await checkA11y(director, `rank list with a missing reason at ${width} px`);
		await screenshot(director, `ranklist-reason-${width}`);
	}
	for (const p of [director, coordinator, rater])
		await p.context().close();
});

test('the letter writer’s page draws its heading once, even when navigations race', async () => {
	// A letter asked for by an applicant no other test uses; its link
	// read from the outbox as staff.
	const applicant = await openPage(browser);
	await signIn(applicant, 'applicant68@demo.test');
	const open = (await get(applicant, '/api/cycles')).cycles.find((c) => c.state === 'open' && c.program_id === 1);
	const app = (await call(applicant, 'GET', `/api/cycles/${open.id}/application`)).body.application;
	const writer = `polish-writer-${RUN}@example.org`;
	const asked = await call(applicant, 'POST', `/api/applications/${app.id}/letters`,
		{ writer_name: 'Dr. Ruth Once', writer_email: writer, waived: true });
	assert.equal(asked.status, 201, JSON.stringify(asked.body));
	const staff = await openPage(browser);
	await signIn(staff, 'coordinator@demo.test');
	const mail = (await get(staff, '/api/outbox?limit=50')).messages.find((m) => m.to === writer);
	const link = mail.body.match(/http\S+#\/letter\/[A-Za-z0-9_-]{43}/)[0];

	for (const width of WIDTHS) {
		const page = await openPage(browser);
		await page.setViewportSize({ width, height: 800 });
		await page.goto(link);
		await page.waitForSelector('body[data-ready="true"]');
		// Two more navigations to the same page at once: the first one's
		// late answer must not add a second page.
		await page.evaluate(() => {
			window.dispatchEvent(new HashChangeEvent('hashchange'));
			window.dispatchEvent(new HashChangeEvent('hashchange'));
		});
		await page.getByText('Dear Dr. Ruth Once,', { exact: false }).first().waitFor();
		await page.waitForLoadState('networkidle');
		assert.equal(await page.locator('#main h1').count(), 1);
		assert.equal(await page.getByLabel('Your letter (PDF)').count(), 1);
		await checkA11y(page, `letter writer's page at ${width} px`);
		await screenshot(page, `letter-${width}`);
		assert.deepEqual(page.problems, []);
		await page.context().close();
	}
	await applicant.context().close();
	await staff.context().close();
});
