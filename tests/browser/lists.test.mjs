// Reviewing and the staff's lists, at a desktop's 1280 px and a phone's
// 390 px, each page checked with axe: a faculty member reads a
// candidate's documents beside the score sheet (drawn in the page by
// pdf.js from the download route, which keeps its sandbox policy) and
// moves to the next candidate of their own list and back; the
// coordinator sorts the applications list by screening score, then by
// rank from the keyboard, and invites several candidates at once. Ids
// and names come from the API, never from the demo's text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, screenshot, checkA11y, signIn, get, navigate } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WIDTHS = [1280, 390];

// A page of the given width that records what a careful user would call
// an error (as openPage() in browser.mjs), and every dialog.
async function openAt(width) {
	const context = await browser.newContext({ viewport: { width, height: 900 } });
	const page = await context.newPage();
	page.problems = [];
	page.on('console', (msg) => {
		if (msg.type() === 'error')
			page.problems.push('console: ' + msg.text());
	});
	page.on('pageerror', (err) => page.problems.push('page: ' + err.message));
	page.on('requestfailed', (req) => page.problems.push('request failed: ' + req.url()));
	page.on('dialog', (d) => {
		page.problems.push('dialog: ' + d.message());
		d.dismiss();
	});
	return page;
}

async function reviewCycle(page) {
	const cycles = (await get(page, '/api/cycles')).cycles;
	return cycles.filter((c) => ['review', 'ranking'].includes(c.state)).sort((a, b) => b.year - a.year)[0];
}

for (const width of WIDTHS) {
	test(`a faculty member reads the documents beside the sheet and moves to the next candidate (${width} px)`, async () => {
		const page = await openAt(width);
		// What the document route answers while the viewer reads it.
		const docs = [];
		page.on('response', (res) => {
			if (/\/api\/(documents\/\d+|letters\/\d+\/file)$/.test(res.url()))
				docs.push(res);
		});
		await signIn(page, 'faculty1@demo.test');
		const me = (await get(page, '/api/session')).user;
		const cycle = await reviewCycle(page);
		const r = await get(page, `/api/cycles/${cycle.id}/assignments?faculty_id=${me.id}`);
		const phase = r.assignments.some((a) => a.phase === 'screening' && a.faculty_id === me.id) ? 'screening' : 'interview';
		const phaseTitle = phase === 'screening' ? 'Screening' : 'Interview';

		await navigate(page, 'My candidates');
		await page.getByRole('heading', { level: 1, name: 'My candidates' }).waitFor();
		const section = page.getByRole('region', { name: phaseTitle, exact: true });
		const links = section.locator('a[href^="#/review/"]');
		// The list's own order, as the page shows it.
		const order = await links.evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), name: a.textContent })));
		assert.ok(order.length >= 2, 'two candidates or more to move between');
		await links.first().click();
		await page.getByRole('heading', { level: 1, name: order[0].name }).waitFor();

		// The first document is drawn beside the sheet, in the page.
		const pages = page.getByRole('region', { name: 'Curriculum vitae' });
		await pages.locator('canvas').first().waitFor();
		await page.locator('#viewer-status', { hasText: /^\d+ pages?\.$/ }).waitFor();
		assert.equal(await page.getByRole('button', { name: 'Curriculum vitae' }).getAttribute('aria-pressed'), 'true');
		// Drawn at the width it is shown at (times the pixel ratio), not
		// stretched from a smaller drawing.
		const drawn = await pages.locator('canvas').first().evaluate((c) =>
			({ pixels: c.width, shown: c.getBoundingClientRect().width * (window.devicePixelRatio || 1) }));
		assert.ok(drawn.pixels >= drawn.shown * 0.95, JSON.stringify(drawn));
		// Painted by the page itself: no frame, plugin or embedded viewer
		// that could run the document's own scripts.
		assert.equal(await page.locator('iframe, embed, object').count(), 0);
		const sheet = page.getByRole('heading', { level: 2, name: 'Score sheet · ' + phaseTitle });
		await sheet.waitFor();
		const viewerBox = await pages.boundingBox();
		const sheetBox = await sheet.boundingBox();
		if (width >= 992)
			assert.ok(viewerBox.x + viewerBox.width <= sheetBox.x && viewerBox.y < sheetBox.y + 400,
				'the document sits beside the score sheet');
		else
			assert.ok(sheetBox.y > viewerBox.y, 'on a phone the sheet follows the document');
		// The file came from the download route, unchanged: an attachment
		// with its sandbox policy and nosniff.
		assert.ok(docs.length >= 1);
		for (const res of docs) {
			assert.equal(res.status(), 200);
			const hd = await res.allHeaders();
			assert.match(hd['content-disposition'], /^attachment/);
			assert.match(hd['content-security-policy'], /(^|[,;]\s*)sandbox\b/);
			assert.equal(hd['x-content-type-options'], 'nosniff');
		}
		// The download stays at hand.
		assert.match(await page.getByRole('link', { name: /^Download curriculum vitae/ }).getAttribute('href'), /^\/api\/documents\/\d+$/);

		// Another document in the same place.
		const statement = page.getByRole('button', { name: 'Personal statement' });
		if (await statement.count()) {
			await statement.click();
			await page.getByRole('region', { name: 'Personal statement' }).locator('canvas').first().waitFor();
			assert.equal(await statement.getAttribute('aria-pressed'), 'true');
		}
		await checkA11y(page, `candidate page with a document open (${width} px)`);
		await screenshot(page, `review-document-${width}`);

		// The other raters' sheets are not clipped at a desktop's width.
		if (width >= 1280 && await page.locator('#other-sheets').count()) {
			const fits = await page.locator('#other-sheets').evaluate((t) => t.parentElement.scrollWidth <= t.parentElement.clientWidth);
			assert.ok(fits, 'the raters’ sheets fit the page');
		}

		// Next, in the reviewer's own order, and back.
		const nav = page.getByRole('navigation', { name: 'Candidates in your list' });
		await nav.getByText(`1 of ${order.length} in My candidates · ${phaseTitle}`).waitFor();
		await nav.getByRole('link', { name: /^Next/ }).click();
		await page.getByRole('heading', { level: 1, name: order[1].name }).waitFor();
		assert.equal(new URL(page.url()).hash, order[1].href);
		await nav.getByText(`2 of ${order.length} in My candidates · ${phaseTitle}`).waitFor();
		await page.getByRole('region', { name: 'Curriculum vitae' }).locator('canvas').first().waitFor();
		await checkA11y(page, `next candidate (${width} px)`);
		await nav.getByRole('link', { name: /^Previous/ }).click();
		await page.getByRole('heading', { level: 1, name: order[0].name }).waitFor();
		assert.deepEqual(page.problems, []);
		await page.context().close();
	});

	test(`the coordinator sorts the list by screening score and invites several from it (${width} px)`, async () => {
		const page = await openAt(width);
		await signIn(page, 'coordinator@demo.test');
		const cycle = await reviewCycle(page);
		await page.goto(BASE_URL + `/#/cycles/${cycle.id}`);
		await page.getByRole('heading', { level: 2, name: 'Applications' }).waitFor();
		const table = page.locator('#applications-table');
		// The standing arrives beside the list: scores such as "72.4".
		await table.locator('td', { hasText: /^\d+\.\d$/ }).first().waitFor();
		await checkA11y(page, `applications list with scores (${width} px)`);

		// Sorting by the screening score: the best first.
		await table.getByRole('button', { name: 'Screening score' }).click();
		const scoreHead = table.locator('thead th', { hasText: 'Screening score' });
		assert.equal(await scoreHead.getAttribute('aria-sort'), 'descending');
		const col = await table.locator('thead th').evaluateAll((ths) => ths.findIndex((t) => /Screening score/.test(t.textContent)));
		const scores = await table.locator('tbody tr').evaluateAll((trs, i) => trs.map((tr) => tr.children[i].textContent), col);
		const numbers = scores.filter((s) => s !== '—').map(Number);
		assert.ok(numbers.length >= 10);
		for (let i = 1; i < numbers.length; i++)
			assert.ok(numbers[i - 1] >= numbers[i], 'sorted by screening score, highest first');
		// Every unscored row after the scored ones.
		assert.equal(scores.slice(numbers.length).filter((s) => s !== '—').length, 0);

		// The keyboard sorts too: Tab to the rank's heading, Enter.
		await table.getByRole('button', { name: 'Screening rank' }).focus();
		await page.keyboard.press('Enter');
		assert.equal(await table.locator('thead th', { hasText: 'Screening rank' }).getAttribute('aria-sort'), 'ascending');
		assert.equal(await scoreHead.getAttribute('aria-sort'), null);
		await page.getByText('Sorted by screening rank, ascending.').waitFor({ state: 'attached' });

		// The best-ranked two not invited yet, ticked and invited at once.
		const boxes = table.locator('tbody input[name="application_ids"]');
		assert.ok(await boxes.count() >= 2);
		const ids = [Number(await boxes.nth(0).getAttribute('value')), Number(await boxes.nth(1).getAttribute('value'))];
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		await page.getByText('2 selected').waitFor();
		await page.getByRole('button', { name: 'Invite to interview' }).click();
		await page.locator('#list-status', { hasText: /^Invited 2 candidates\./ }).waitFor();
		const invited = (await get(page, `/api/cycles/${cycle.id}/interview-invitations`)).invitations.map((i) => i.application_id);
		for (const id of ids) {
			assert.ok(invited.includes(id), `application ${id} is invited`);
			assert.equal(await table.locator(`input[value="${id}"]`).count(), 0, 'an invited row has no box any more');
		}
		// Still sorted by rank after the list is drawn again.
		assert.equal(await table.locator('thead th', { hasText: 'Screening rank' }).getAttribute('aria-sort'), 'ascending');
		await checkA11y(page, `applications list after inviting (${width} px)`);
		await screenshot(page, `applications-sorted-${width}`);

		// The list as CSV, from the page's link.
		const href = await page.getByRole('button', { name: 'Export CSV' }).getAttribute('href');
		const res = await page.context().request.get(BASE_URL + href);
		assert.equal(res.status(), 200);
		assert.equal(res.headers()['content-type'], 'text/csv; charset=utf-8');
		const text = (await res.body()).toString('utf-8');
		assert.match(text.split('\r\n')[0], /^application_id,last_name,first_name,/);

		// The interview page's checklist shows the same standing.
		await page.goto(BASE_URL + `/#/cycles/${cycle.id}/interviews`);
		const picker = page.locator('#invite-table');
		await picker.locator('td', { hasText: /^\d+\.\d$/ }).first().waitFor();
		assert.equal(await picker.locator('thead th', { hasText: 'Screening rank' }).getAttribute('aria-sort'), 'ascending');
		for (const id of ids)
			assert.equal(await picker.locator(`input[value="${id}"]`).count(), 0);
		await checkA11y(page, `interview checklist (${width} px)`);
		assert.deepEqual(page.problems, []);
		await page.context().close();
	});
}
