// The audit log and the outbox in words, at 1280 and 390 px with the axe
// check. The audit log says who did what to whom with names ("Dr. Henrik
// Lund submitted the screening sheet for …"), scores as criterion: value
// and never a code or "[object Object]"; an outbox message opens in a
// panel of its own, which neither widens the table nor leaves the screen,
// where only the links to this installation are links.
//
// Everything the test reads is made here, in a cycle of its own (year
// 2002, so the pages that pick the newest cycle keep the demo's): a demo
// applicant no other test uses applies, faculty1 scores the application.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, ready, signIn, checkA11y, screenshot, get, call, smallCycle }
	from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const RUN = Date.now().toString(36);
const WIDTHS = [1280, 390];

function ok(r, status, what) {
	assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
	return r.body;
}

test('the audit log says who did what to whom, with names and scores in words', async () => {
	const director = await openPage(browser);
	await signIn(director, 'director@demo.test');
	const coordinator = await openPage(browser);
	await signIn(coordinator, 'coordinator@demo.test');
	const { cycle, app, faculty1 } = await smallCycle(browser, director, coordinator,
		{ year: 2002, name: `Records fellowship ${RUN}`, applicant: 'applicant67@demo.test' });

	const rater = await openPage(browser);
	await signIn(rater, 'faculty1@demo.test');
	const { rubric } = await get(rater, `/api/cycles/${cycle.id}/rubrics/screening`);
	const values = Object.fromEntries(rubric.criteria.map((c, i) => [c.key, 1 + (i % 3)]));
	ok(await call(rater, 'PUT', `/api/applications/${app.id}/scores/screening`,
		{ values, comment: 'Clear and thorough.', submit: true }), 200, 'sheet');

	for (const width of WIDTHS) {
		await coordinator.setViewportSize({ width, height: 900 });
		await ready(coordinator, '#/audit');
		await coordinator.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
		const table = coordinator.locator('#audit-table');
		const said = `${faculty1.name} submitted the screening sheet for Ines Dvořák`;
		const row = table.locator('tbody tr', { hasText: said }).first();
		await row.waitFor();
		// Each score as criterion: value, with the rubric's own labels.
		const details = await row.locator('td').nth(2).innerText();
		for (const [i, c] of rubric.criteria.entries())
			assert.ok(details.includes(`${c.label}: ${1 + (i % 3)}`), `${c.label} in ${details}`);
		// The rest of the journey, in words and with names; the cycle's
		// deadlines as dates, in the cycle's zone.
		const text = await table.innerText();
		for (const words of [
			`Sam Okafor changed the reviewer assignments of ${cycle.name}`,
			`Assigned: ${faculty1.name} → Ines Dvořák (screening)`,
			`Dr. Maria Alvarez changed the cycle ${cycle.name}`,
			`Dr. Maria Alvarez created the cycle ${cycle.name}`,
			'Applications close: Thu 15 Jan 2099, 17:00 CST',
		])
			assert.ok(text.includes(words), words);
		// No codes, no objects written out.
		assert.doesNotMatch(text, /\[object Object\]/);
		assert.doesNotMatch(text, /\b(score|application|cycle|user|interview)\.[a-z_]+\b/);
		assert.doesNotMatch(text, /\b(application|cycle|user):\d+\b/);
		assert.doesNotMatch(text, /[{}]/);
		await checkA11y(coordinator, `audit log at ${width} px`);
		await screenshot(coordinator, `audit-${width}`);
	}
	assert.deepEqual(coordinator.problems, []);
	for (const p of [director, coordinator, rater])
		await p.context().close();
});

test('an outbox message opens in a readable panel with its links to this installation', async () => {
	const staff = await openPage(browser);
	await signIn(staff, 'coordinator@demo.test');
	const email = `records-${RUN}@example.org`;
	ok(await call(staff, 'POST', '/api/users', { email, name: 'Dr. Outbox Reader', role: 'faculty' }),
		201, 'invite');

	for (const width of WIDTHS) {
		await staff.setViewportSize({ width, height: 800 });
		await ready(staff, '#/outbox');
		await staff.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
		const table = staff.locator('#outbox-table');
		const row = table.locator('tbody tr', { has: staff.getByRole('cell', { name: email, exact: true }) }).first();
		const before = await table.evaluate((t) => t.getBoundingClientRect().width);
		const opener = row.getByRole('button');
		await opener.click();
		const panel = staff.locator('#mail-panel[open]');
		await panel.waitFor();
		await panel.getByRole('heading', { name: await opener.innerText() }).waitFor();
		await panel.getByText(email, { exact: true }).waitFor();
		// The panel stays on the screen and leaves the table as it was.
		const box = await panel.locator('article').boundingBox();
		assert.ok(box.x >= 0 && box.x + box.width <= width, `panel ${JSON.stringify(box)} within ${width} px`);
		assert.equal(await table.evaluate((t) => t.getBoundingClientRect().width), before);
		assert.ok(await staff.evaluate(() => document.documentElement.scrollWidth) <= width);
		// The invitation's link is a link, to this installation.
		const link = panel.locator('#mail-body a');
		assert.equal(await link.count(), 1);
		assert.match(await link.getAttribute('href'), new RegExp('^' + BASE_URL + '/#/invite/[A-Za-z0-9_-]{43}$'));
		assert.equal(await link.innerText(), await link.getAttribute('href'));
		await checkA11y(staff, `outbox with a message open at ${width} px`);
		await screenshot(staff, `outbox-message-${width}`);
		// Escape closes it and gives the focus back to the message.
		await staff.keyboard.press('Escape');
		await panel.waitFor({ state: 'detached' });
		assert.equal(await opener.evaluate((b) => b === document.activeElement), true);
	}

	// Only http(s) addresses under this installation's own become links;
	// the text of the rest stays text (and nothing is markup).
	const made = await staff.evaluate(async (base) => {
		const { linked } = await import('/assets/js/views/logs.js');
		const box = document.createElement('div');
		box.append(...linked(`Go to ${base}/#/letter/abc. Not https://evil.example/${base}/x, ` +
			`javascript:alert(1), ${base}.evil.example/x, nor <b>${base}/x</b>; also (${base}/#/a).`, base));
		return { links: [...box.querySelectorAll('a')].map((a) => a.getAttribute('href')),
			bold: box.querySelectorAll('b').length, text: box.textContent };
	}, BASE_URL);
	assert.deepEqual(made.links, [`${BASE_URL}/#/letter/abc`, `${BASE_URL}/x`, `${BASE_URL}/#/a`]);
	assert.equal(made.bold, 0);
	assert.ok(made.text.includes('https://evil.example/'));
	assert.deepEqual(staff.problems, []);
	await staff.context().close();
});
