// The planning page in the browser: the director follows the link from
// the ranking to the planning page of the same cycle, reads both tools
// (each a chart drawn by Chart.js and the same figures in a table),
// recomputes the depth with other assumptions from the keyboard alone,
// sees a value out of range refused next to its field, and changes the
// steps of the weights. The page is checked with axe. Figures are read
// from the API, never assumed from the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshot, checkA11y, signIn, navigate, get } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the director plans how deep to rank and checks the weights', async () => {
	const page = await openPage(browser);
	await page.setViewportSize({ width: 1280, height: 900 });
	await signIn(page, 'director@demo.test');
	await navigate(page, 'Ranking');
	await page.getByRole('heading', { level: 1, name: /^Ranking · / }).waitFor();
	await page.getByRole('navigation', { name: 'Ranking pages' }).getByRole('link', { name: 'Planning' }).click();
	await page.getByRole('heading', { level: 1, name: /^Planning · / }).waitFor();
	const cycleId = page.url().match(/#\/cycles\/(\d+)\/planning$/)[1];
	const pages = page.getByRole('navigation', { name: 'Ranking pages' });
	assert.deepEqual(await pages.getByRole('link').allTextContents(),
		['Ranking', 'Rank list', 'Printable rank list', 'Planning', 'Rank meeting']);
	assert.equal(await pages.getByRole('link', { name: 'Planning' }).getAttribute('aria-current'), 'page');

	// How deep to rank: the model's label, the summary, chart and table.
	const depth = page.getByRole('region', { name: 'How deep to rank' });
	await depth.getByText(/^A model, not a prediction/).waitFor();
	const d = await get(page, `/api/cycles/${cycleId}/ranking/depth`);
	await page.locator('#depth-summary', { hasText: d.summary }).waitFor();
	await depth.getByRole('img', { name: /^Line chart of the probability of filling all 2 positions/ }).waitFor();
	assert.ok(await page.locator('#depth-chart').evaluate((c) => c.width > 0 && c.height > 0));
	assert.equal(await page.locator('#depth-table tbody tr').count(), d.rows.length);
	if (d.recommended_length)
		await page.locator('#depth-table tbody tr', { hasText: 'recommended minimum' })
			.getByRole('rowheader', { name: String(d.recommended_length), exact: true }).waitFor();
	await page.locator('#depth-table tbody tr', { hasText: 'your list' }).first().waitFor();
	assert.equal(await depth.getByLabel('Share of candidates who rank this program first').inputValue(), String(d.parameters.p_first));

	// Recomputed from the keyboard: everyone ranks the program first.
	const first = depth.getByLabel('Share of candidates who rank this program first');
	await first.focus();
	await first.fill('1');
	for (let i = 0; i < 2; i++) {
		await page.keyboard.press('Tab');
		await page.keyboard.press('Control+A');
		await page.keyboard.type('1');
	}
	await depth.getByRole('button', { name: 'Recompute' }).focus();
	await page.keyboard.press('Enter');
	await page.locator('#depth-summary', { hasText: /a list of 2 fills all 2 positions/ }).waitFor();
	// A value out of range: refused next to its field, nothing redrawn.
	await first.fill('1.5');
	await depth.getByRole('button', { name: 'Recompute' }).click();
	await depth.locator('[data-field="p_first"] .field-error', { hasText: /from 0 to 1/ }).waitFor();
	assert.equal(await first.getAttribute('aria-invalid'), 'true');
	await depth.getByRole('button', { name: 'Restore the defaults' }).click();
	await page.locator('#depth-summary', { hasText: d.summary }).waitFor();

	// Weight sensitivity: chart, table, sentences.
	const sens = page.getByRole('region', { name: 'Weight sensitivity' });
	const s = await get(page, `/api/cycles/${cycleId}/ranking/sensitivity`);
	await page.locator('#sensitivity-summary', { hasText: s.summary }).waitFor();
	await sens.getByRole('img', { name: /^Line chart of the places of the top/ }).waitFor();
	assert.ok(await page.locator('#sensitivity-chart').evaluate((c) => c.width > 0 && c.height > 0));
	assert.equal(await page.locator('#sensitivity-table tbody tr').count(), s.candidates.length);
	assert.equal(await page.locator('#sensitivity-table thead th').count(), s.weights.length + 1);
	await page.locator('#sensitivity-table thead th', { hasText: '30 / 70 (current)' }).waitFor();
	if (s.changes.length)
		assert.equal(await page.locator('#sensitivity-changes li').count(), s.changes.length);
	await sens.getByLabel('Steps of the weights').selectOption('10');
	await sens.getByRole('button', { name: 'Recompute' }).click();
	// Eleven weights and the candidate's column once redrawn.
	await page.waitForFunction(() => document.querySelectorAll('#sensitivity-table thead th').length === 12);

	// Every control is reachable with Tab.
	const reached = await page.evaluate(() => {
		const want = [...document.querySelectorAll('main input, main select, main button, main [tabindex="0"]')];
		return want.filter((el) => el.tabIndex < 0 || el.disabled).map((el) => el.id || el.outerHTML.slice(0, 60));
	});
	assert.deepEqual(reached, []);
	await checkA11y(page, 'planning page');
	await screenshot(page, 'planning');
	// The one refusal asked for above.
	assert.deepEqual(page.problems.filter((p) => !p.includes('422')), []);
});

test('faculty cannot open the planning page', async () => {
	const page = await openPage(browser);
	await signIn(page, 'faculty1@demo.test');
	await page.goto(page.url().replace(/#.*$/, '') + '#/cycles/1/planning');
	await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
	assert.equal(await page.getByRole('heading', { level: 1, name: /^Planning/ }).count(), 0);
});
