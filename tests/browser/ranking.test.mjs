// The ranking and the rank list in the browser: the director opens the
// ranking (leniency, reliability, the agenda), reorders one candidate with
// the mouse and one with the keyboard, gives the reasons, saves, certifies
// through the confirmation dialog, downloads the CSV, reopens with a
// reason, marks a candidate "do not rank", has a save refused because
// someone else saved meanwhile, and compares two versions; the
// printable list; the coordinator sees the list without certification.
// Each page visited is checked with axe. Ids and names are read from the
// pages and the API, never assumed from the demo data.
//
// Certifying needs scoring closed and moves the cycle to "certified",
// where scoring stops; the list is reopened (the cycle goes back to
// "ranking") and scoring reopened right after the download, so the other
// test files find the cycle as they expect whatever order they run in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openPage, screenshot, checkA11y, signIn, ready, get, placeLateInvitees } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Closes (or reopens) scoring in both phases, as the signed-in director.
async function setScoring(page, cycleId, closed) {
	const statuses = await page.evaluate(async ([id, closed]) => {
		const { csrf_token: csrf } = await (await fetch('/api/session')).json();
		const out = [];
		for (const phase of ['screening', 'interview']) {
			const res = await fetch(`/api/cycles/${id}/phases/${phase}`, { method: 'PATCH',
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
				body: JSON.stringify({ closed }) });
			out.push(res.status);
		}
		return out;
	}, [cycleId, closed]);
	assert.deepEqual(statuses, [200, 200]);
}

// The names on the editor's list, in order.
async function order(page) {
	return page.locator('#ranklist li.entry .entry-name strong').allTextContents();
}

test('the director reorders, certifies, downloads and reopens the rank list', async () => {
	const page = await openPage(browser);
	await page.setViewportSize({ width: 1280, height: 900 });
	await signIn(page, 'director@demo.test');

	// The ranking: reliability, leniency (chart and table), the agenda.
	await page.getByRole('link', { name: 'Ranking', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: /^Ranking · / }).waitFor();
	const reliability = page.getByRole('region', { name: 'Reliability' });
	await reliability.getByText('Krippendorff’s alpha (interval)').first().waitFor();
	await reliability.getByText(/^(Poor|Fair|Good|Excellent) agreement|^Not available/).first().waitFor();
	// The details are folded under the summary: opened here.
	await page.getByText('Rater leniency, with a chart per phase').click();
	const leniency = page.getByRole('region', { name: 'Rater leniency' });
	await leniency.getByRole('img', { name: /^Bar chart of rater leniency in the screening/ }).waitFor();
	assert.ok(await leniency.locator('table#leniency-table-screening tbody tr').count() >= 2);
	// Chart.js drew on the canvas.
	assert.ok(await page.locator('#leniency-chart-screening').evaluate((c) => c.width > 0 && c.height > 0));
	await page.getByRole('heading', { level: 2, name: 'Discussion agenda' }).waitFor();
	await page.getByText(/^Every candidate, with the places under each method/).click();
	const rows = page.locator('#ranking-table tbody tr');
	assert.ok(await rows.count() >= 3);
	// Each scored row has its small chart of the raters' scores.
	assert.ok(await rows.first().getByRole('img', { name: /scores of .*: rater scores/ }).count() >= 1);
	// How sure the ranking is: in words on the top list, a meter and the
	// place interval in each scored row.
	assert.match(await page.locator('#top-list .top-sure').first().textContent(),
		/(within|either side of|below) the line|within the \d+ positions?/);
	assert.equal(await rows.first().locator('meter.p-top').count(), 1);
	assert.match(await rows.first().locator('td.certainty').textContent(), /in 90 % of resamples/);
	await checkA11y(page, 'ranking page');
	await screenshot(page, 'ranking');

	// The rank list of the same cycle.
	await page.getByRole('button', { name: 'Open the rank list' }).click();
	await page.getByRole('heading', { level: 1, name: /^Rank list · / }).waitFor();
	const cycleId = page.url().match(/#\/cycles\/(\d+)\/ranklist$/)[1];
	await page.locator('#ranklist li.entry').first().waitFor();
	// A list left certified by an earlier run is reopened first.
	if (await page.getByLabel('Reason for reopening').count()) {
		await page.getByLabel('Reason for reopening').fill('Reopened to start the browser test.');
		await page.getByRole('button', { name: 'Reopen the rank list' }).click();
		await page.locator('#ranklist-state-line', { hasText: 'Reopened' }).waitFor();
	}
	await placeLateInvitees(page, cycleId);
	await page.getByText(/^Above the line: the \d+ positions?\./).waitFor();
	await checkA11y(page, 'rank list editor');
	const before = await order(page);
	assert.ok(before.length >= 6, 'the list has candidates to move');
	const total = before.length;

	// With the mouse: drag the third candidate by its handle to the top.
	const third = page.locator('#ranklist li.entry').nth(2);
	const first = page.locator('#ranklist li.entry').nth(0);
	await page.locator('#ranklist').evaluate((el) => el.scrollIntoView());
	const from = await third.locator('.drag-handle').boundingBox();
	const to = await first.boundingBox();
	const x = from.x + from.width / 2;
	const y0 = from.y + from.height / 2;
	await page.mouse.move(x, y0);
	await page.mouse.down();
	// Slowly, as a hand would: the library checks the pointer's place
	// every 50 ms.
	const y1 = to.y + 4;
	for (let i = 1; i <= 20; i++) {
		await page.mouse.move(x, y0 + (y1 - y0) * i / 20);
		await page.waitForTimeout(40);
	}
	await page.waitForTimeout(200);
	await page.mouse.up();
	const dragged = before[2];
	assert.deepEqual((await order(page)).slice(0, 3), [dragged, before[0], before[1]]);
	await page.locator('#ranklist-live', { hasText: `${dragged} moved to position 1 of ${total}.` }).waitFor({ state: 'attached' });
	const dragReason = page.getByLabel('Reason for moving ' + dragged);
	assert.ok(await dragReason.evaluate((el) => el === document.activeElement), 'the reason prompt has the focus');
	await dragReason.fill('Outstanding interview; the panel agreed to rank first.');

	// With the keyboard: Move down twice on the fourth candidate.
	const keyed = before[3];
	const down = page.getByRole('button', { name: 'Move down: ' + keyed });
	await down.focus();
	await page.keyboard.press('Enter');
	await page.locator('#ranklist-live', { hasText: `${keyed} moved down to position 5 of ${total}.` }).waitFor({ state: 'attached' });
	assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Move down: ' + keyed);
	await page.keyboard.press('Space');
	await page.locator('#ranklist-live', { hasText: `${keyed} moved down to position 6 of ${total}.` }).waitFor({ state: 'attached' });
	assert.equal((await order(page))[5], keyed);

	// Saving asks for the missing reason first.
	await page.getByRole('button', { name: 'Save the rank list' }).click();
	await page.locator('#ranklist-status', { hasText: `Give a reason for moving ${keyed}.` }).waitFor();
	const keyReason = page.getByLabel('Reason for moving ' + keyed);
	assert.equal(await keyReason.getAttribute('aria-invalid'), 'true');
	assert.ok(await keyReason.evaluate((el) => el === document.activeElement));
	await checkA11y(page, 'rank list with a missing reason');
	await page.keyboard.type('Weaker references than the composite suggests.');
	await page.getByRole('button', { name: 'Save the rank list' }).click();
	await page.locator('#ranklist-status', { hasText: /^Saved as version \d+\.$/ }).waitFor();
	await page.locator('#ranklist-state-line', { hasText: 'Draft' }).waitFor();
	let saved = await get(page, `/api/cycles/${cycleId}/ranklist`);
	assert.equal(saved.entries[0].name, dragged);
	assert.equal(saved.entries[0].reason, 'Outstanding interview; the panel agreed to rank first.');
	assert.equal(saved.entries[5].name, keyed);
	assert.equal(saved.entries[5].reason, 'Weaker references than the composite suggests.');
	await checkA11y(page, 'rank list after saving');
	await screenshot(page, 'ranklist');

	// Certify through the confirmation dialog. Scoring must be closed
	// first (reopened below, after the list is), and each warning of the
	// readiness acknowledged (certify.test.mjs tells that story).
	await setScoring(page, cycleId, true);
	await page.getByRole('button', { name: 'Certify…' }).click();
	const dialog = page.getByRole('dialog', { name: 'Certify the rank list?' });
	await dialog.waitFor();
	await dialog.getByText(`You are certifying version ${saved.version}`).waitFor();
	assert.equal(await dialog.getByRole('list', { name: 'The list to certify' }).getByRole('listitem').first().textContent(), dragged);
	await checkA11y(page, 'certification dialog');
	for (const box of await dialog.getByRole('checkbox').all())
		await box.check();
	await dialog.getByRole('button', { name: 'Certify this list' }).click();
	await dialog.waitFor({ state: 'hidden' });
	const stamp = page.locator('#certified-stamp');
	await stamp.getByText(/^Certified by Dr\. .* \(version \d+\)\.$/).waitFor();
	const sha = await stamp.locator('code.hash').textContent();
	assert.match(sha, /^[0-9a-f]{64}$/);
	assert.equal(await page.getByRole('button', { name: 'Save the rank list' }).count(), 0, 'a certified list is not editable');
	await checkA11y(page, 'certified rank list');
	const certified = await get(page, `/api/cycles/${cycleId}/ranklist`);
	assert.equal(certified.state, 'certified');
	assert.equal(certified.certified.sha256, sha);

	// The CSV for match entry, with the NRMP id.
	await page.getByLabel('Identifier for the CSV').selectOption('nrmp');
	const [download] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download CSV for match entry' }).click()]);
	assert.match(download.suggestedFilename(), /\.csv$/);
	const csv = await readFile(await download.path(), 'utf8');
	assert.ok(csv.startsWith('rank,'), 'the CSV starts with its header');
	const lines = csv.split('\r\n');
	assert.equal(lines.pop(), '', 'every line ends with CRLF');
	assert.equal(lines.length, 1 + certified.ranked, 'a header and one line per ranked candidate');
	assert.match(lines[0], /^rank,nrmp/);
	assert.match(lines[1], /^1,[^,]+,/);
	assert.ok(lines[1].endsWith(dragged) || lines[1].endsWith(`"${dragged}"`));
	await page.locator('#download-status', { hasText: /^Downloaded / }).waitFor();

	// Reopen with a reason: the cycle is in ranking again.
	await page.getByRole('button', { name: 'Reopen the rank list' }).click();
	await page.getByText('Give the reason for reopening.').waitFor();
	await page.getByLabel('Reason for reopening').fill('A late letter of recommendation arrived.');
	await page.getByRole('button', { name: 'Reopen the rank list' }).click();
	await page.locator('#ranklist-state-line', { hasText: 'Reopened' }).waitFor();
	await page.getByText('Reopened because: A late letter of recommendation arrived.').waitFor();
	assert.equal((await get(page, '/api/cycles/' + cycleId)).cycle.state, 'ranking');
	await setScoring(page, cycleId, false);
	await checkA11y(page, 'reopened rank list');

	// A change after reopening: the last ranked candidate is not ranked.
	const last = (await page.locator('#ranklist li.entry:not(.dnr) .entry-name strong').allTextContents()).at(-1);
	await page.getByRole('switch', { name: 'Do not rank ' + last }).check();
	await page.getByLabel('Reason for not ranking ' + last).fill('Withdrew from the match.');
	await page.getByRole('button', { name: 'Save the rank list' }).click();
	await page.locator('#ranklist-status', { hasText: /^Saved as version \d+\.$/ }).waitFor();
	saved = await get(page, `/api/cycles/${cycleId}/ranklist`);
	assert.equal(saved.entries.find((e) => e.name === last).do_not_rank, true);

	// Someone else saves the list meanwhile (the same entries, a new
	// version): this page's next save is refused, not merged, and the
	// page offers the current list.
	const theirs = await page.evaluate(async (id) => {
		const { csrf_token: csrf } = await (await fetch('/api/session')).json();
		const cur = await (await fetch(`/api/cycles/${id}/ranklist`)).json();
		const entries = cur.entries.map((e) => ({ application_id: e.application_id, do_not_rank: e.do_not_rank,
			...(e.reason ? { reason: e.reason } : {}) }));
		const res = await fetch(`/api/cycles/${id}/ranklist`, { method: 'PUT',
			headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
			body: JSON.stringify({ entries, base_version: cur.version }) });
		return (await res.json()).version;
	}, cycleId);
	assert.equal(theirs, saved.version + 1);
	const mover = (await order(page))[1];
	await page.getByRole('button', { name: 'Move up: ' + mover }).click();
	await page.getByLabel('Reason for moving ' + mover).fill('Discussed again at the meeting.');
	await page.getByRole('button', { name: 'Save the rank list' }).click();
	await page.getByRole('alert').filter({ hasText: `changed elsewhere since you opened it (it is now version ${theirs})` }).waitFor();
	assert.equal((await get(page, `/api/cycles/${cycleId}/ranklist`)).version, theirs, 'nothing was saved');
	// The browser logs the refused request; that one is expected.
	const refused = page.problems.filter((p) => p.includes('409 (Conflict)'));
	assert.equal(refused.length, 1);
	page.problems = page.problems.filter((p) => !refused.includes(p));
	await checkA11y(page, 'rank list save refused');
	await page.getByRole('button', { name: 'Load the current list' }).click();
	await page.locator('#ranklist-status', { hasText: `Loaded version ${theirs}; make your changes again.` }).waitFor();
	assert.equal((await order(page))[1], mover, 'the list as saved, without the refused move');

	// The versions, and the difference between the certified and the last.
	const versions = page.locator('#versions-table tbody tr');
	assert.ok(await versions.count() >= 4);
	await page.getByLabel('From version').selectOption(String(certified.version));
	await page.getByLabel('To version').selectOption(String(saved.version));
	await page.getByRole('button', { name: 'Show differences' }).click();
	const diff = page.getByRole('table', { name: `Differences from version ${certified.version} to version ${saved.version}` });
	await diff.getByRole('row', { name: new RegExp(last) }).getByText('taken off the ranking').waitFor();
	await checkA11y(page, 'rank list versions and differences');
	await screenshot(page, 'ranklist-versions');

	// The printable list.
	await page.getByRole('link', { name: 'Printable rank list' }).first().click();
	await page.getByRole('heading', { level: 1, name: /^Rank list · / }).waitFor();
	const printed = page.getByRole('table', { name: 'Ranked candidates' });
	await printed.waitFor();
	assert.equal(await printed.locator('tbody tr').count(), saved.ranked);
	assert.equal(await printed.locator('tbody tr').first().getByRole('rowheader').textContent(), dragged);
	await page.getByRole('button', { name: 'Print' }).waitFor();
	await checkA11y(page, 'printable rank list');
	assert.deepEqual(page.problems, []);
});

test('the coordinator edits the rank list but cannot certify it', async () => {
	const page = await openPage(browser);
	await signIn(page, 'coordinator@demo.test');
	await page.getByRole('link', { name: 'Ranking', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: /^Ranking · / }).waitFor();
	await page.getByRole('link', { name: 'Rank list', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: /^Rank list · / }).waitFor();
	await page.locator('#ranklist li.entry').first().waitFor();
	assert.equal(await page.getByRole('button', { name: /^Certify/ }).count(), 0);
	const editable = await page.getByRole('button', { name: 'Save the rank list' }).count();
	if (editable)
		await page.getByText('The director certifies the list.').waitFor();
	await checkA11y(page, 'rank list as the coordinator');
	assert.deepEqual(page.problems, []);
});

// The name of the control that has the focus.
async function focused(page) {
	return page.evaluate(() => document.activeElement.getAttribute('aria-label') || document.activeElement.id);
}

test('the rank list by keyboard: one tab stop per row, arrow keys within it, top, bottom and move to position N', async () => {
	const page = await openPage(browser);
	await page.setViewportSize({ width: 390, height: 900 });
	await signIn(page, 'director@demo.test');
	await ready(page, '#/ranklist');
	await page.getByRole('heading', { level: 1, name: /^Rank list · / }).waitFor();
	await page.locator('#ranklist li.entry').first().waitFor();
	if (await page.getByLabel('Reason for reopening').count()) {
		await page.getByLabel('Reason for reopening').fill('Reopened to try the keyboard.');
		await page.getByRole('button', { name: 'Reopen the rank list' }).click();
		await page.locator('#ranklist-state-line', { hasText: 'Reopened' }).waitFor();
	}
	const before = await order(page);
	const n = before.length;
	assert.ok(n >= 4);

	// One tab stop per row, among its six controls.
	const stops = await page.locator('#ranklist .entry-controls').evaluateAll((bars) =>
		bars.map((b) => [...b.querySelectorAll('button, input')].filter((c) => c.tabIndex === 0).length));
	assert.deepEqual(stops, new Array(n).fill(1));
	// Tab goes from a row (without a reason field) to the next row.
	const k = await page.locator('#ranklist li.entry').evaluateAll((rows) =>
		rows.findIndex((r, i) => i > 0 && i + 1 < rows.length - 1 && !r.querySelector('.entry-reason')));
	assert.ok(k > 0, 'a row without a reason');
	await page.getByRole('button', { name: 'Move down: ' + before[k] }).focus();
	await page.keyboard.press('Tab');
	const name = before[k + 1];
	assert.equal(await focused(page), 'Move up: ' + name);

	// The arrow keys go through the row's controls, and round.
	await page.keyboard.press('ArrowRight');
	assert.equal(await focused(page), 'Move down: ' + name);
	await page.keyboard.press('End');
	assert.equal(await focused(page), 'Do not rank ' + name);
	await page.keyboard.press('ArrowRight');
	assert.equal(await focused(page), 'Move up: ' + name);
	await page.keyboard.press('ArrowLeft');
	assert.equal(await focused(page), 'Do not rank ' + name);
	await page.keyboard.press('Home');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowRight');
	assert.equal(await focused(page), 'Move to the top: ' + name);

	// Top: the second candidate first; the focus stays in the row.
	await page.keyboard.press('Enter');
	await page.locator('#ranklist-live', { hasText: `${name} moved up to position 1 of ${n}.` }).waitFor({ state: 'attached' });
	assert.equal((await order(page))[0], name);
	assert.equal(await focused(page), 'Move down: ' + name);
	await page.locator('#unsaved').waitFor();

	// Bottom (Up and Top are disabled at the top, and skipped).
	await page.keyboard.press('ArrowRight');
	assert.equal(await focused(page), 'Move to the bottom: ' + name);
	await page.keyboard.press('Enter');
	await page.locator('#ranklist-live', { hasText: `${name} moved down to position ${n} of ${n}.` }).waitFor({ state: 'attached' });
	assert.equal((await order(page)).at(-1), name);
	assert.equal(await focused(page), 'Move up: ' + name);

	// Move to position N: a position out of range is refused in words;
	// two places below where it began moves it there.
	const to = k + 4;
	assert.ok(to <= n);
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowRight');
	assert.equal(await focused(page), 'Move to position…: ' + name);
	await page.keyboard.press('Enter');
	const where = page.getByLabel(`New position for ${name} (1 to ${n})`);
	await where.waitFor();
	assert.ok(await where.evaluate((el) => el === document.activeElement));
	await page.keyboard.type(String(n + 1));
	await page.keyboard.press('Enter');
	await page.getByText(`Give a position from 1 to ${n}.`).waitFor();
	assert.equal(await where.getAttribute('aria-invalid'), 'true');
	await checkA11y(page, 'move to position at 390 px');
	await where.fill(String(to));
	await page.keyboard.press('Enter');
	await page.locator('#ranklist-live', { hasText: `${name} moved up to position ${to} of ${n}.` }).waitFor({ state: 'attached' });
	assert.equal((await order(page))[to - 1], name);
	assert.equal(await focused(page), 'Move to position…: ' + name);
	// Escape closes the form without moving.
	await page.keyboard.press('Enter');
	await where.waitFor();
	await page.keyboard.press('Escape');
	await where.waitFor({ state: 'detached' });
	assert.equal((await order(page))[to - 1], name);
	assert.equal(await focused(page), 'Move to position…: ' + name);
	// Tab leaves the row for the reason the move asks for.
	await page.keyboard.press('Tab');
	assert.ok(await page.getByLabel('Reason for moving ' + name).evaluate((el) => el === document.activeElement));
	await checkA11y(page, 'rank list moved by keyboard at 390 px');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
