// Review in the browser: a faculty member scores a candidate from the
// keyboard only and then sees the other raters' sheets; the director edits
// a rubric with its live preview; the coordinator assigns reviewers and
// schedules an interview day that an invited applicant books. Each page
// visited is checked with axe. Ids are looked up through the API, never
// assumed from the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, openPage, screenshot, ready, checkA11y, signIn, get, dayText } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The cycle the pages without a cycle in their address show: the newest
// under review, else the newest open one (views/sheet.js, pickCycle).
async function currentCycle(page) {
	const cycles = (await get(page, '/api/cycles')).cycles;
	const newest = (list) => list.sort((a, b) => b.year - a.year || b.id - a.id)[0];
	for (const states of [['review', 'ranking'], ['open', 'setup'], ['certified']]) {
		const c = newest(cycles.filter((x) => states.includes(x.state)));
		if (c)
			return c;
	}
	return newest(cycles);
}

// Requests that are part of the flow and not problems: a document opened
// as a download is reported by Chromium as an aborted navigation.
function realProblems(page) {
	return page.problems.filter((p) => !/request failed: .*\/api\/documents\/\d+$/.test(p));
}

test('a faculty member scores a candidate with the keyboard and then sees the other sheets', async () => {
	const page = await openPage(browser);
	// A faculty member with an unsubmitted sheet in a phase still open.
	let target = null;
	for (let n = 1; n <= 6 && !target; n++) {
		const email = `faculty${n}@demo.test`;
		await signIn(page, email);
		const me = (await get(page, '/api/session')).user;
		const cycle = await currentCycle(page);
		const phases = (await get(page, `/api/cycles/${cycle.id}/phases`)).phases;
		const open = phases.filter((p) => !p.closed).map((p) => p.phase);
		const r = await get(page, `/api/cycles/${cycle.id}/assignments?faculty_id=${me.id}`);
		const a = r.assignments.find((x) => open.includes(x.phase) && x.sheet !== 'submitted');
		if (a)
			target = { email, a };
		else
			await page.getByRole('button', { name: 'Sign out' }).click();
	}
	assert.ok(target, 'some faculty member has a sheet left to submit in an open phase');
	const { a } = target;

	await page.getByRole('link', { name: 'My candidates', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'My candidates' }).waitFor();
	const phaseTitle = a.phase === 'screening' ? 'Screening' : 'Interview';
	const section = page.getByRole('region', { name: phaseTitle, exact: true });
	// Progress: a labelled bar of submitted over assigned sheets.
	const bar = section.getByRole('progressbar', { name: new RegExp(`^${phaseTitle}: \\d+ of \\d+ sheets submitted$`) });
	await bar.waitFor();
	await checkA11y(page, 'my candidates');
	await screenshot(page, 'review-my-candidates');
	// Names can repeat among the demo candidates: the link by its address.
	const link = section.locator(`a[href="#/review/${a.application_id}/${a.phase}"]`);
	assert.equal(await link.textContent(), a.candidate);
	await link.click();
	await page.getByRole('heading', { level: 2, name: 'Score sheet · ' + phaseTitle }).waitFor();
	await page.locator('#sheet-weighted').waitFor();
	await checkA11y(page, 'candidate page');

	// A document: a PDF served as a download.
	const docLink = page.getByRole('link', { name: 'Curriculum vitae' });
	const href = await docLink.getAttribute('href');
	const [download] = await Promise.all([page.waitForEvent('download'), docLink.click()]);
	assert.match(download.suggestedFilename(), /\.pdf$/);
	const res = await page.context().request.get(BASE_URL + href);
	assert.equal(res.status(), 200);
	const types = res.headersArray().filter((x) => x.name.toLowerCase() === 'content-type').map((x) => x.value);
	assert.deepEqual(types, ['application/pdf']);
	assert.match(res.headers()['content-disposition'], /^attachment/);
	assert.equal((await res.body()).subarray(0, 5).toString('latin1'), '%PDF-');

	// Scoring from the keyboard only: the first radio, then arrow keys
	// within each criterion and Tab to the next one.
	const groups = page.locator('#score-form fieldset.criterion');
	const n = await groups.count();
	assert.ok(n >= 1);
	await groups.first().locator('input[type="radio"]').first().focus();
	for (let i = 0; i < n; i++) {
		await page.keyboard.press('ArrowDown');
		if (i % 2 === 1)
			await page.keyboard.press('ArrowDown');
		const inGroup = await page.evaluate((k) => document.activeElement.closest('fieldset.criterion') ===
			document.querySelectorAll('#score-form fieldset.criterion')[k], i);
		assert.ok(inGroup, `focus is in criterion ${i + 1}`);
		await page.keyboard.press('Tab');
	}
	assert.equal(await page.locator('#score-form fieldset.criterion input[type="radio"]:checked').count(), n);
	assert.equal(await page.evaluate(() => document.activeElement.id), 'sheet-comment');
	await page.keyboard.type('Scored from the keyboard.');
	assert.notEqual(await page.locator('#sheet-weighted').textContent(), '—');
	await page.keyboard.press('Tab');
	const draftShown = await page.getByRole('button', { name: 'Save draft' }).isVisible();
	if (draftShown) {
		assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Save draft');
		await page.keyboard.press('Space');
		await page.getByText('Draft saved. It does not count until you submit it.').waitFor();
		await page.keyboard.press('Tab');
	}
	assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Submit');
	await page.keyboard.press('Enter');
	await page.getByText('Your sheet is submitted.').waitFor();
	await page.locator('#sheet-state', { hasText: 'Submitted' }).waitFor();

	// Now the other raters' sheets, one row per submitted sheet.
	const table = page.locator('#other-sheets');
	await table.waitFor();
	const me = (await get(page, '/api/session')).user;
	await table.getByRole('rowheader', { name: me.name }).waitFor();
	assert.ok(await table.locator('tbody tr').count() >= 1);
	await checkA11y(page, 'candidate page after submitting');
	await screenshot(page, 'review-candidate');
	assert.deepEqual(realProblems(page), []);
});

test('the director edits a rubric with the weight total and the live preview', async () => {
	const page = await openPage(browser);
	await signIn(page, 'director@demo.test');
	await page.getByRole('link', { name: 'Rubric', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'Rubric · Screening' }).waitFor();
	await page.getByText('Total weight: 100 of 100.').waitFor();
	await checkA11y(page, 'rubric editor');
	// A rubric with submitted sheets is frozen: saving makes a new version.
	const frozen = /frozen/.test(await page.locator('#rubric-version').textContent());

	const first = page.getByRole('group', { name: /^Criterion 1:/ });
	const weight1 = first.getByLabel('Weight (%)');
	const w1 = Number(await weight1.inputValue());
	// The other criterion with room to give 5 points back.
	const count = await page.locator('fieldset.criterion-edit').count();
	let other = null;
	let w2 = 0;
	for (let i = 2; i <= count && !other; i++) {
		const g = page.getByRole('group', { name: new RegExp(`^Criterion ${i}:`) });
		const w = Number(await g.getByLabel('Weight (%)').inputValue());
		if (w > 5) {
			other = g;
			w2 = w;
		}
	}
	assert.ok(other, 'a second criterion weighs more than 5');

	await weight1.fill(String(w1 + 5));
	await page.getByText('Total weight: 105 of 100. The weights must add up to exactly 100: remove 5.').waitFor();
	const preview = page.locator('#preview');
	await preview.locator('legend').first().filter({ hasText: `weight ${w1 + 5}%` }).waitFor();
	await checkA11y(page, 'rubric editor with a wrong total');

	await other.getByLabel('Weight (%)').fill(String(w2 - 5));
	await page.getByText('Total weight: 100 of 100.').waitFor();
	const label = first.getByLabel('Label', { exact: true });
	const newLabel = (await label.inputValue()) + ' and judgement';
	await label.fill(newLabel);
	// The preview follows as the director types.
	await preview.getByRole('group', { name: new RegExp('^' + newLabel) }).waitFor();
	await page.getByRole('button', { name: 'Save rubric' }).click();
	await page.locator('#rubric-status', { hasText: frozen ? /^Saved as a new version \d+/ : /^Saved\. This is version \d+\.$/ }).waitFor();
	await page.locator('#rubric-version', { hasText: /^Version \d+, saved/ }).waitFor();
	await checkA11y(page, 'rubric editor after saving');
	await screenshot(page, 'rubric-editor');

	// It was saved: a reload shows it.
	await page.reload();
	await page.waitForSelector('body[data-ready="true"]');
	assert.equal(await page.getByRole('group', { name: /^Criterion 1:/ }).getByLabel('Weight (%)').inputValue(), String(w1 + 5));
	assert.deepEqual(page.problems, []);
});

test('the coordinator assigns reviewers automatically and sees the loads', async () => {
	const page = await openPage(browser);
	await signIn(page, 'coordinator@demo.test');
	await page.getByRole('link', { name: 'Reviewers', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'Reviewers · Screening' }).waitFor();
	await page.locator('#loads-table').waitFor();
	await checkA11y(page, 'assignments page');
	await page.getByLabel('Phase', { exact: true }).selectOption('screening');
	await page.getByLabel('Raters per candidate').fill('3');
	await page.getByLabel('Most candidates per rater').fill('80');
	await page.getByRole('button', { name: 'Assign automatically' }).click();
	await page.locator('#auto-result', { hasText: /Added \d+ assignments?\. The assignment graph is (connected|not connected)/ }).waitFor();
	const loads = page.getByRole('table', { name: 'Load per rater after assignment' });
	assert.ok(await loads.locator('tbody tr').count() >= 1);
	// Every rater's load and progress, with a labelled bar each.
	const rows = page.locator('#loads-table tbody tr');
	assert.ok(await rows.count() >= 6);
	assert.ok(await page.locator('#loads-table').getByRole('progressbar', { name: /^Progress of .*: \d+ of \d+ submitted$/ }).count() >= 6);
	await checkA11y(page, 'assignments page after automatic assignment');
	await screenshot(page, 'assignments');
	assert.deepEqual(page.problems, []);
});

test('the coordinator schedules an interview day and an invited applicant books a slot', async () => {
	const staff = await openPage(browser);
	await signIn(staff, 'coordinator@demo.test');
	const cycle = await currentCycle(staff);
	const existing = new Set((await get(staff, `/api/cycles/${cycle.id}/interview-days`)).days.map((d) => d.day));
	// A free date in the interview window and in the future by the
	// server's clock (the demo's window ends two weeks after its "now"),
	// where slots are open for booking; never the browser's own date.
	const day = new Date(cycle.interviews_end.slice(0, 10) + 'T12:00:00Z');
	day.setUTCDate(day.getUTCDate() - 5);
	while (existing.has(day.toISOString().slice(0, 10)))
		day.setUTCDate(day.getUTCDate() + 1);
	const date = day.toISOString().slice(0, 10);
	const shown = dayText(date);

	await staff.getByRole('link', { name: 'Interviews', exact: true }).click();
	await staff.getByRole('heading', { level: 1, name: 'Interviews' }).waitFor();
	await staff.locator('#invite-choices').waitFor();
	await checkA11y(staff, 'interviews page');
	await staff.getByLabel('Date', { exact: true }).fill(date);
	await staff.getByLabel('Location').fill('Sarcoma Center, room 4');
	await staff.getByRole('button', { name: 'Add a slot' }).click();
	assert.equal(await staff.locator('#slot-table tbody tr').count(), 3);
	await staff.getByLabel('Slot 3 capacity').fill('1');
	await staff.getByRole('button', { name: 'Remove slot 2' }).click();
	assert.equal(await staff.locator('#slot-table tbody tr').count(), 2);
	await staff.getByLabel('Slot 1 start').fill('08:00');
	await staff.getByLabel('Slot 1 end').fill('09:00');
	await staff.getByRole('button', { name: 'Create interview day' }).click();
	await staff.getByText(`Interview day ${shown} created with 2 slots.`).waitFor();
	const daySection = staff.getByRole('region', { name: new RegExp('Sarcoma Center, room 4') });
	await daySection.getByRole('progressbar', { name: `08:00–09:00 on ${shown}: 0 of 2 seats booked` }).waitFor();

	// Invite one submitted application not invited yet.
	const choice = staff.locator('#invite-choices input[type="checkbox"]').first();
	const appId = Number(await choice.getAttribute('value'));
	await choice.check();
	await staff.getByRole('button', { name: 'Invite to interview' }).click();
	await staff.getByText(/^Invited 1 candidate/).waitFor();
	await checkA11y(staff, 'interviews page after inviting');
	assert.deepEqual(staff.problems, []);

	// Whose application it is, through the API.
	const applicantId = (await get(staff, '/api/applications/' + appId)).application.applicant_id;
	let email = null;
	for (let after = 0; !email && after !== null;) {
		const r = await get(staff, `/api/users?limit=500&after=${after}`);
		email = (r.users.find((u) => u.id === applicantId) || {}).email || null;
		after = r.next_after;
	}
	assert.ok(email, 'the invited applicant has an account');

	const applicant = await openPage(browser);
	await signIn(applicant, email);
	await ready(applicant, '#/apply/' + cycle.id);
	await applicant.getByRole('heading', { level: 2, name: 'Interview' }).waitFor();
	await applicant.getByText('You are invited to interview. Choose one slot below.').waitFor();
	await checkA11y(applicant, 'applicant interview section');
	await applicant.getByRole('button', { name: `Book ${shown} 08:00–09:00` }).click();
	await applicant.getByText(/^Booked: .*08:00–09:00/).waitFor();
	await applicant.getByText(/^You are booked on .*08:00–09:00/).waitFor();
	await checkA11y(applicant, 'applicant interview section after booking');
	await screenshot(applicant, 'interview-booking');
	assert.deepEqual(applicant.problems, []);

	// The staff see the booking.
	await staff.reload();
	await staff.waitForSelector('body[data-ready="true"]');
	await staff.getByRole('region', { name: new RegExp('Sarcoma Center, room 4') })
		.getByRole('progressbar', { name: `08:00–09:00 on ${shown}: 1 of 2 seats booked` }).waitFor();
	await screenshot(staff, 'interviews');
});
