// Mail from the browser: the coordinator reminds one rater who is behind
// from the reviewers page (a button per rater with missing sheets), and
// the page passes axe at 1280 and 390 pixels wide. Ids and names come
// from the server's data, never from the demo's known values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, ready, checkA11y, signIn, get, screenshot } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the coordinator reminds one rater from the reviewers page', async () => {
	const page = await openPage(browser);
	await signIn(page, 'coordinator@demo.test');
	const cycles = (await get(page, '/api/cycles')).cycles.filter((c) => ['review', 'ranking'].includes(c.state));
	assert.ok(cycles.length >= 1);
	const cycle = cycles.sort((a, b) => b.id - a.id)[0];
	await ready(page, `#/cycles/${cycle.id}/assignments/screening`);
	await page.locator('#loads-table').waitFor();
	// Every rater behind has a button, named for them and what is missing.
	const { raters } = await get(page, `/api/cycles/${cycle.id}/assignments?phase=screening`);
	const behind = raters.filter((r) => (r.phase ?? 'screening') === 'screening' && r.submitted < r.assigned);
	assert.ok(behind.length >= 1);
	const buttons = page.locator('#loads-table').getByRole('button', { name: /^Remind .* of \d+ missing sheets?$/ });
	assert.equal(await buttons.count(), behind.length);
	await checkA11y(page, 'reviewers page with reminder buttons');

	const button = buttons.first();
	const label = await button.getAttribute('aria-label');
	const name = label.replace(/^Remind (.*) of \d+ missing sheets?$/, '$1');
	await button.click();
	// Sent, or refused because another test reminded them within 12 hours.
	const status = page.locator('#remind-status');
	await status.filter({ hasText: /^(Reminder sent to .*\.|This rater was reminded of this phase less than 12 hours ago\.)$/ }).waitFor();
	if ((await status.textContent()).startsWith('Reminder sent')) {
		assert.equal(await status.textContent(), `Reminder sent to ${name}.`);
		assert.ok(await button.isDisabled());
		// In the outbox (held in development), to that rater.
		const { messages } = await get(page, '/api/outbox?limit=20');
		assert.ok(messages.some((m) => m.subject.endsWith('score sheets to submit') &&
			m.body.startsWith(`Dear ${name},`)));
	}
	await checkA11y(page, 'reviewers page after a reminder');
	await screenshot(page, 'reviewers-reminder');
	await page.setViewportSize({ width: 390, height: 844 });
	await checkA11y(page, 'reviewers page at 390 px');
	// A refusal (429) is an answer the page shows, not a problem.
	assert.deepEqual(page.problems.filter((p) => !/status of 429/.test(p)), []);
});
