// The director's certification, told as a story at 1280 and at 390 px
// wide: the rank list marks the candidates who were not interviewed; the
// certification dialog shows what is not ready — scoring still open in a
// phase, which blocks, with a link to close it, and the warnings with
// their counts and whom they concern, by name —; certifying without
// acknowledging them is refused; each is acknowledged with its checkbox,
// the list is certified, the acknowledgements show in the stamp and in
// the version history, the drag instructions are gone, and the match CSV
// is downloaded. Every page and dialog is checked with axe.
//
// And: leaving the rank list with unsaved edits asks first, for a link
// inside the app and for closing the page.
//
// Each story leaves the demo cycle as it found it (the list reopened,
// scoring open again), so the other files see the cycle they expect.
// Names and counts are read from the API, never assumed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openPage, screenshot, checkA11y, signIn, ready, get, call, placeLateInvitees } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The rank list of the ranking cycle, reopened if an earlier run left it
// certified; its cycle id.
async function openRankList(page) {
	await ready(page, '#/ranklist');
	await page.getByRole('heading', { level: 1, name: /^Rank list · / }).waitFor();
	await page.locator('#ranklist li.entry').first().waitFor();
	const cycleId = await page.evaluate(() => document.querySelector('nav[aria-label="Ranking pages"] a').href.match(/cycles\/(\d+)\//)[1]);
	if (await page.getByLabel('Reason for reopening').count()) {
		await page.getByLabel('Reason for reopening').fill('Reopened to start the certification test.');
		await page.getByRole('button', { name: 'Reopen the rank list' }).click();
		await page.locator('#ranklist-state-line', { hasText: 'Reopened' }).waitFor();
	}
	await placeLateInvitees(page, cycleId);
	return cycleId;
}

async function openDialog(page) {
	await page.getByRole('button', { name: 'Certify…' }).click();
	const dialog = page.getByRole('dialog', { name: 'Certify the rank list?' });
	await dialog.getByText(/^You are certifying /).waitFor();
	return dialog;
}

async function story(width) {
	const page = await openPage(browser);
	await page.setViewportSize({ width, height: 900 });
	// The one browser dialog of the story: "Close scoring?", accepted.
	page.on('dialog', (d) => d.accept());
	await signIn(page, 'director@demo.test');
	const cycleId = await openRankList(page);
	const rl = `/api/cycles/${cycleId}/ranklist`;

	// The editor marks the ranked candidates who were not interviewed.
	const view = await get(page, rl);
	const unseen = view.entries.filter((e) => e.interview_sheets === 0);
	assert.ok(unseen.length >= 1, 'the demo ranks candidates who were not interviewed');
	for (const e of unseen)
		await page.locator('#ranklist li.entry', { hasText: e.name }).getByText('Not interviewed').waitFor();
	assert.equal(await page.locator('#ranklist .badge-interview').count(), unseen.length);
	// The line is explained as the positions, not as the list's depth.
	await page.locator('#line-help', { hasText: 'must go much deeper than the line' }).waitFor();
	await checkA11y(page, `rank list at ${width}`);

	// What blocks: scoring is open; each item links to where to close it.
	let dialog = await openDialog(page);
	const blocking = dialog.locator('#certify-blocking li');
	assert.equal(await blocking.count(), 2);
	await blocking.first().getByText(/^Scoring of the screening phase is still open/).waitFor();
	assert.equal(await dialog.getByRole('button', { name: 'Certify this list' }).isDisabled(), true);
	await checkA11y(page, `certification blocked at ${width}`);
	await screenshot(page, `certify-blocked-${width}`);
	for (const phase of ['interview', 'screening']) {
		await dialog.getByRole('link', { name: `Close ${phase} scoring on the Reviewers page` }).click();
		await page.getByRole('button', { name: 'Close scoring' }).click();
		await page.locator('#phase-status', { hasText: 'Scoring closed' }).waitFor();
		await page.goBack();
		await page.locator('#ranklist li.entry').first().waitFor();
		dialog = await openDialog(page);
	}

	// Nothing blocks; the warnings, each with its count and whom it
	// concerns, must be acknowledged.
	const readiness = await get(page, `${rl}/readiness?version=${view.version}`);
	assert.deepEqual(readiness.blocking, []);
	assert.ok(readiness.warnings.length >= 1);
	const notInterviewed = readiness.warnings.find((w) => w.code === 'not_interviewed');
	assert.deepEqual(notInterviewed ? notInterviewed.items.map((i) => i.name) : [],
		unseen.filter((e) => !e.do_not_rank).map((e) => e.name));
	const warnings = dialog.getByRole('group', { name: /^Warnings \(\d+\): acknowledge each one/ });
	for (const w of readiness.warnings) {
		await warnings.getByRole('checkbox', { name: `${w.title} (${w.count})` }).waitFor();
		await warnings.locator(`[data-code="${w.code}"] details summary`).click();
		for (const item of w.items)
			await warnings.locator(`[data-code="${w.code}"] details li`, { hasText: item.name }).first().waitFor();
	}
	await checkA11y(page, `certification warnings at ${width}`);
	await screenshot(page, `certify-warnings-${width}`);
	// Not acknowledged: refused here, before anything is sent.
	await dialog.getByRole('button', { name: 'Certify this list' }).click();
	await dialog.getByRole('alert').getByText(/^Acknowledge each warning to certify: /).waitFor();
	assert.equal(await page.evaluate(() => document.activeElement.type), 'checkbox');
	// Acknowledged one by one, with the keyboard.
	for (const box of await warnings.getByRole('checkbox').all()) {
		await box.focus();
		await page.keyboard.press('Space');
		assert.equal(await box.isChecked(), true);
	}
	await dialog.getByRole('button', { name: 'Certify this list' }).click();
	await dialog.waitFor({ state: 'hidden' });

	// Certified, with the acknowledgements on the stamp and in the history.
	const stamp = page.locator('#certified-stamp');
	await stamp.getByText(/^Certified by Dr\. .* \(version \d+\)\.$/).waitFor();
	await stamp.getByText('Warnings acknowledged at certification:').waitFor();
	for (const w of readiness.warnings)
		await stamp.getByText(`${w.title} (${w.count})`).waitFor();
	const certified = await get(page, rl);
	assert.equal(certified.state, 'certified');
	assert.deepEqual(certified.certified.acknowledged.map((w) => w.code), readiness.warnings.map((w) => w.code));
	const row = page.locator('#versions-table tbody tr').first();
	await row.getByText(`${readiness.warnings.length} warning${readiness.warnings.length === 1 ? '' : 's'}`).click();
	await row.getByText(`${readiness.warnings[0].title} (${readiness.warnings[0].count})`).waitFor();
	// Frozen: no handles, and no instructions to drag.
	assert.equal(await page.locator('.drag-handle').count(), 0);
	assert.equal(await page.locator('#ranklist-help', { hasText: 'Drag' }).count(), 0);
	await page.locator('#ranklist-help', { hasText: 'This list is certified' }).waitFor();
	await checkA11y(page, `certified rank list at ${width}`);
	await screenshot(page, `certified-${width}`);

	// The CSV for match entry.
	await page.getByLabel('Identifier for the CSV').selectOption('sfmatch');
	const [download] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download CSV for match entry' }).click()]);
	const csv = await readFile(await download.path(), 'utf8');
	const lines = csv.split('\r\n');
	assert.equal(lines.pop(), '');
	assert.equal(lines[0], 'rank,sfmatch_id,name');
	assert.equal(lines.length, 1 + certified.ranked);
	assert.match(lines[1], /^1,/);
	await page.locator('#download-status', { hasText: /^Downloaded / }).waitFor();

	// Left as found: the list reopened, scoring open again.
	await page.getByLabel('Reason for reopening').fill('Certification test done.');
	await page.getByRole('button', { name: 'Reopen the rank list' }).click();
	await page.locator('#ranklist-state-line', { hasText: 'Reopened' }).waitFor();
	for (const phase of ['screening', 'interview'])
		assert.equal((await call(page, 'PATCH', `/api/cycles/${cycleId}/phases/${phase}`, { closed: false })).status, 200);
	assert.deepEqual(page.problems, []);
	await page.context().close();
}

test('the director certifies through the readiness gate at 1280 px', () => story(1280));
test('the director certifies through the readiness gate at 390 px', () => story(390));

test('leaving the rank list with unsaved edits asks first', async () => {
	const page = await openPage(browser);
	await signIn(page, 'director@demo.test');
	await openRankList(page);
	const names = async () => page.locator('#ranklist li.entry .entry-name strong').allTextContents();
	const before = await names();

	// Without edits, leaving asks nothing.
	const asked = [];
	page.on('dialog', async (d) => {
		asked.push([d.type(), d.message()]);
		// Stay: the first answer to each question is no.
		await (asked.filter(([t]) => t === d.type()).length === 1 ? d.dismiss() : d.accept());
	});
	await page.getByRole('navigation', { name: 'Ranking pages' }).getByRole('link', { name: 'Ranking', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: /^Ranking · / }).waitFor();
	assert.deepEqual(asked, []);
	await page.getByRole('navigation', { name: 'Ranking pages' }).getByRole('link', { name: 'Rank list', exact: true }).click();
	await page.locator('#ranklist li.entry').first().waitFor();

	// An edit with the keyboard: the first candidate to the bottom.
	await page.getByRole('button', { name: `Move to the bottom: ${before[0]}` }).click();
	await page.locator('#unsaved').waitFor();
	const edited = await names();
	assert.equal(edited.at(-1), before[0]);

	// A link inside the app: asked; "no" keeps the page and the edit.
	const url = page.url();
	await page.getByRole('navigation', { name: 'Ranking pages' }).getByRole('link', { name: 'Ranking', exact: true }).click();
	for (let i = 0; i < 50 && !asked.length; i++)
		await page.waitForTimeout(100);
	assert.equal(asked.length, 1);
	await page.waitForFunction(() => document.querySelector('#unsaved') && !document.querySelector('#unsaved').hidden);
	assert.equal(asked[0][0], 'confirm');
	assert.match(asked[0][1], /changes that are not saved/);
	assert.equal(page.url(), url);
	assert.deepEqual(await names(), edited);
	assert.equal(await page.getByRole('heading', { level: 1, name: /^Rank list · / }).count(), 1);

	// Closing the page: the browser asks (beforeunload); "no" keeps it.
	await page.close({ runBeforeUnload: true });
	for (let i = 0; i < 50 && !asked.some(([t]) => t === 'beforeunload'); i++)
		await page.waitForTimeout(100);
	assert.ok(asked.some(([t]) => t === 'beforeunload'), 'closing asked first');
	assert.equal(page.isClosed(), false);
	assert.deepEqual(await names(), edited);

	// "Yes" to the link: the ranking page, the edit given up.
	await page.getByRole('navigation', { name: 'Ranking pages' }).getByRole('link', { name: 'Ranking', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: /^Ranking · / }).waitFor();
	assert.equal(asked.filter(([t]) => t === 'confirm').length, 2);
	const saved = await get(page, `/api/cycles/${page.url().match(/cycles\/(\d+)\//)[1]}/ranklist`);
	assert.equal(saved.entries[0].name, before[0], 'nothing was saved');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
