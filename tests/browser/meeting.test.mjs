// The rank meeting, told as a story: the director opens it from the
// ranking page, starts it, walks the agenda with the keyboard (the
// heading takes the focus and the step is announced), marks a candidate
// as discussed (the progress says so), ends it and reads the summary:
// the order at the start and now, who moved, who changed what. The
// coordinator sees the meeting but may not run it. Every state is
// checked with axe. The cycle's state is left as it was (an ended
// meeting stays in its history). Names and counts come from the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, checkA11y, signIn, ready, get, call } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The cycle the ranking page shows by default.
async function rankingCycle(page) {
	await ready(page, '#/ranking');
	await page.getByRole('heading', { level: 1, name: /^Ranking · / }).waitFor();
	const link = page.getByRole('navigation', { name: 'Ranking pages' }).getByRole('link', { name: 'Rank meeting' });
	const href = await link.getAttribute('href');
	return { link, cycleId: href.match(/cycles\/(\d+)\/meeting/)[1] };
}

test('the director runs a rank meeting with the keyboard', async () => {
	const page = await openPage(browser);
	await page.setViewportSize({ width: 1280, height: 900 });
	page.on('dialog', (d) => d.accept());
	await signIn(page, 'director@demo.test');
	const { link, cycleId } = await rankingCycle(page);
	const path = `/api/cycles/${cycleId}/meeting`;
	// An earlier run's meeting left open is ended first.
	if ((await get(page, path)).meeting?.state === 'open')
		assert.equal((await call(page, 'POST', path + '/end')).status, 200);
	await link.click();
	await page.getByRole('heading', { level: 1, name: /^Rank meeting · / }).waitFor();
	// The same links as the other ranking pages, this one marked.
	const pages = page.getByRole('navigation', { name: 'Ranking pages' });
	assert.deepEqual(await pages.getByRole('link').allTextContents(),
		['Ranking', 'Rank list', 'Printable rank list', 'Planning', 'Rank meeting']);
	assert.equal(await pages.getByRole('link', { name: 'Rank meeting' }).getAttribute('aria-current'), 'page');
	await checkA11y(page, 'meeting page before the start');

	// The start's answer is the view drawn: the meeting is not read again.
	const reads = [];
	page.on('request', (r) => {
		if (r.method() === 'GET' && new URL(r.url()).pathname === path)
			reads.push(r.url());
	});
	await page.getByRole('button', { name: 'Start the rank meeting' }).click();
	const heading = page.locator('#card-heading');
	await heading.waitFor();
	assert.deepEqual(reads, []);
	const view = await get(page, path);
	assert.equal(view.meeting.state, 'open');
	const agenda = view.agenda;
	assert.ok(agenda.length >= 2, 'the agenda has candidates');
	await page.locator('#meeting-position', { hasText: `Candidate 1 of ${agenda.length}` }).waitFor();
	assert.match(await heading.textContent(), new RegExp('^' + agenda[0].name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	assert.equal(await page.evaluate(() => document.activeElement.id), 'card-heading');
	// The reasons and every rater's scores are shown.
	for (const r of agenda[0].reasons)
		await page.locator('.meeting-reasons li', { hasText: r.text }).waitFor();
	await page.getByRole('region', { name: /each rater’s scores$/ }).first().waitFor();
	await page.locator('#meeting-progress', { hasText: `0 of ${agenda.length} discussed` }).waitFor();
	await checkA11y(page, 'meeting walk');

	// The keyboard: next, then back.
	await page.keyboard.press('ArrowRight');
	await page.locator('#meeting-position', { hasText: `Candidate 2 of ${agenda.length}` }).waitFor();
	assert.match(await heading.textContent(), new RegExp('^' + agenda[1].name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	assert.equal(await page.evaluate(() => document.activeElement.id), 'card-heading');
	await page.locator('#meeting-announce', { hasText: `Candidate 2 of ${agenda.length}: ${agenda[1].name}` }).waitFor();
	await page.keyboard.press('ArrowLeft');
	await page.locator('#meeting-position', { hasText: `Candidate 1 of ${agenda.length}` }).waitFor();
	assert.equal(await page.getByRole('button', { name: '← Previous' }).isDisabled(), true);

	// Marked as discussed: the button is pressed and the progress says so.
	await page.getByRole('button', { name: 'Mark as discussed' }).click();
	await page.locator('#meeting-progress', { hasText: `1 of ${agenda.length} discussed` }).waitFor();
	assert.equal(await page.locator('#meeting-discussed').getAttribute('aria-pressed'), 'true');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'meeting-discussed');
	await page.locator('#meeting-announce', { hasText: 'marked as discussed' }).waitFor();
	// The buttons walk too.
	await page.getByRole('button', { name: 'Next →' }).click();
	await page.locator('#meeting-position', { hasText: `Candidate 2 of ${agenda.length}` }).waitFor();
	await checkA11y(page, 'meeting walk after a mark');

	// The coordinator follows the meeting but does not run it.
	const coord = await openPage(browser);
	await signIn(coord, 'coordinator@demo.test');
	await ready(coord, `#/cycles/${cycleId}/meeting`);
	await coord.locator('#card-heading').waitFor();
	assert.equal(await coord.locator('#meeting-discussed').isDisabled(), true);
	assert.equal(await coord.getByRole('button', { name: 'End the meeting…' }).count(), 0);
	await coord.close();

	// The end: the summary with the order before and after, drawn from
	// the end's answer.
	reads.length = 0;
	await page.getByRole('button', { name: 'End the meeting…' }).click();
	await page.locator('#summary-heading').waitFor();
	assert.deepEqual(reads, []);
	assert.equal(await page.evaluate(() => document.activeElement.id), 'summary-heading');
	await page.getByRole('region', { name: 'Order at the start' }).waitFor();
	await page.getByRole('region', { name: 'Order now (the composite)' }).waitFor();
	await page.locator('#meeting-moved').waitFor();
	await page.getByRole('heading', { name: 'Who changed what during the meeting' }).waitFor();
	const ended = await get(page, path);
	assert.equal(ended.meeting.state, 'ended');
	assert.equal(ended.progress.discussed, 1);
	assert.equal(await page.locator('#order-before tbody tr').count(), ended.order_before.length);
	await checkA11y(page, 'meeting summary');
	assert.deepEqual(page.problems, []);
});
