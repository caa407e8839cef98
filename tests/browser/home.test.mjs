// The home page of each role, each story at 1280 and 390 px wide with
// the axe check on every page it shows: a faculty member goes from home
// through "Start next" to a submitted sheet and comes back to one fewer;
// an applicant sees the invitation on their home, books through its
// button and finds the slot and its calendar file at home; the
// coordinator and the director see their counts, each with its link.
// What the page must say is read from the server (GET /api/home, the
// demo), never assumed, and dates come from the server's clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openPage, screenshot, checkA11y, signIn, get, call, dayText, ready } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WIDTHS = [1280, 390];

async function page(width) {
	const p = await openPage(browser);
	await p.setViewportSize({ width, height: 900 });
	return p;
}

// Back to the start page through the brand link, as a user would.
async function goHome(p) {
	await p.getByRole('link', { name: 'Fellowship selection' }).first().click();
	await p.waitForSelector('body[data-ready="true"]');
	await p.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
}

for (const width of WIDTHS) {
	test(`faculty go from home through "Start next" to a submitted sheet (${width} px)`, async () => {
		const p = await page(width);
		// A faculty member with a sheet left in an open phase.
		let before = null;
		for (let n = 1; n <= 6 && !before; n++) {
			await signIn(p, `faculty${n}@demo.test`);
			const s = (await get(p, '/api/home')).sheets;
			if (s.next)
				before = s;
			else
				await p.getByRole('button', { name: 'Sign out' }).click();
		}
		assert.ok(before, 'some faculty member has a sheet to write');
		const next = before.next;
		await p.getByText(`${before.done} of ${before.total} sheets submitted`).waitFor();
		const start = p.getByRole('button', { name: 'Start next' });
		assert.equal(await start.getAttribute('href'), `#/review/${next.application_id}/${next.phase}`);
		// Each phase with its deadline in the cycle's zone, the
		// first (overdue or soonest) first.
		const first = before.phases[0];
		const firstHeading = p.getByRole('heading', { level: 3 }).first();
		assert.match(await firstHeading.textContent(), new RegExp(first.phase === 'screening' ? '^Screening' : '^Interview'));
		assert.match(await p.locator('.home-phase').first().textContent(), /[Dd]ue \w{3} \d+ \w{3} \d{4}, \d{2}:\d{2} [A-Z]{3,4} \((in \d+|\d+ .* ago)/);
		await checkA11y(p, `faculty home at ${width}`);
		await screenshot(p, `home-faculty-${width}`);

		await start.click();
		const title = next.phase === 'screening' ? 'Screening' : 'Interview';
		await p.getByRole('heading', { level: 2, name: 'Score sheet · ' + title }).waitFor();
		const criteria = p.locator('fieldset.criterion');
		const n = await criteria.count();
		assert.ok(n > 0);
		for (let i = 0; i < n; i++)
			await criteria.nth(i).locator('input[type="radio"]').nth(2).check();
		await p.getByRole('button', { name: 'Submit', exact: true }).click();
		await p.getByText('Your sheet is submitted.', { exact: false }).waitFor();
		await checkA11y(p, `submitted sheet at ${width}`);

		await goHome(p);
		await p.getByText(`${before.done + 1} of ${before.total} sheets submitted`).waitFor();
		const after = (await get(p, '/api/home')).sheets;
		assert.equal(after.done, before.done + 1);
		assert.ok(!after.phases.some((ph) => ph.pending.some((x) => x.application_id === next.application_id && ph.phase === next.phase)));
		await checkA11y(p, `faculty home after submitting at ${width}`);
		assert.deepEqual(p.problems, []);
	});
}

// The demo's cycle under review (or ranking, once another test moved
// it on), as staff see it.
const REVIEWING = ['review', 'ranking'];

async function reviewCycle(p) {
	return (await get(p, '/api/cycles')).cycles.find((c) => REVIEWING.includes(c.state));
}

// A new interview day in the future by the server's clock (the demo's
// window ends two weeks after its "now"), on a date no day has yet.
async function newInterviewDay(staff, cycle, back) {
	const existing = new Set((await get(staff, `/api/cycles/${cycle.id}/interview-days`)).days.map((d) => d.day));
	const day = new Date(cycle.interviews_end.slice(0, 10) + 'T12:00:00Z');
	day.setUTCDate(day.getUTCDate() - back);
	while (existing.has(day.toISOString().slice(0, 10)))
		day.setUTCDate(day.getUTCDate() + 1);
	const date = day.toISOString().slice(0, 10);
	const r = await call(staff, 'POST', `/api/cycles/${cycle.id}/interview-days`,
		{ day: date, location: 'Sarcoma Center, room 7', slots: [{ start: '08:00', end: '09:00', capacity: 1 }] });
	assert.equal(r.status, 201, JSON.stringify(r.body));
	return date;
}

// Invites a submitted candidate not invited yet; returns their e-mail.
async function inviteOne(staff, cycle) {
	const invited = new Set((await get(staff, `/api/cycles/${cycle.id}/interview-invitations`)).invitations.map((i) => i.application_id));
	const apps = (await get(staff, `/api/cycles/${cycle.id}/applications?status=submitted&limit=1000`)).applications;
	const app = apps.reverse().find((a) => !invited.has(a.id));
	assert.ok(app, 'a submitted candidate is not invited yet');
	const r = await call(staff, 'POST', `/api/cycles/${cycle.id}/interview-invitations`, { application_ids: [app.id] });
	assert.equal(r.status, 200, JSON.stringify(r.body));
	let email = null;
	for (let after = 0; !email && after !== null;) {
		const u = await get(staff, `/api/users?limit=500&after=${after}`);
		email = (u.users.find((x) => x.id === app.applicant_id) || {}).email || null;
		after = u.next_after;
	}
	assert.ok(email);
	return email;
}

for (const [k, width] of WIDTHS.entries()) {
	test(`an applicant's home shows the invitation, then the booking (${width} px)`, async () => {
		const staff = await openPage(browser);
		await signIn(staff, 'coordinator@demo.test');
		const cycle = await reviewCycle(staff);
		const date = await newInterviewDay(staff, cycle, 3 + k);
		const email = await inviteOne(staff, cycle);

		const p = await page(width);
		await signIn(p, email);
		const region = p.getByRole('region', { name: cycle.name });
		await region.getByRole('heading', { level: 3, name: 'Interview' }).waitFor();
		await region.getByText(/^You are invited to interview/).waitFor();
		// The timeline: invited is done, booking comes next.
		const nextStep = region.locator('ol.timeline li[aria-current="step"]');
		assert.match(await nextStep.textContent(), /^Interview booked/);
		assert.equal(await region.getByRole('link', { name: /calendar/ }).count(), 0);
		await checkA11y(p, `applicant home, invited, at ${width}`);
		await screenshot(p, `home-applicant-invited-${width}`);

		await region.getByRole('button', { name: 'Book an interview slot' }).click();
		await p.getByRole('heading', { level: 2, name: 'Interview' }).waitFor();
		await p.getByRole('button', { name: `Book ${dayText(date)} 08:00–09:00` }).click();
		await p.getByText(/^You are booked on .*08:00–09:00/).waitFor();

		await goHome(p);
		const booked = p.getByRole('region', { name: cycle.name });
		await booked.getByText(/^Your interview is booked: .* \d{4}, 08:00 E[SD]T, until 09:00, Sarcoma Center, room 7\.$/).waitFor();
		const ics = booked.getByRole('link', { name: 'Add it to your calendar (.ics file)' });
		const view = await get(p, '/api/home');
		const mine = view.cycles.find((c) => c.cycle.id === cycle.id);
		assert.equal(await ics.getAttribute('href'), `/api/applications/${mine.application.id}/interview.ics`);
		// The calendar file itself: what the link downloads.
		const [download] = await Promise.all([p.waitForEvent('download'), ics.click()]);
		const calendar = await readFile(await download.path(), 'utf8');
		assert.match(calendar, /^BEGIN:VCALENDAR\r\n/);
		assert.match(calendar, /\r\nBEGIN:VEVENT\r\n/);
		assert.match(calendar, /\r\nLOCATION:Sarcoma Center\\, room 7\r\n/);
		assert.match(calendar, /\r\nEND:VCALENDAR\r\n$/);
		assert.match(await booked.locator('ol.timeline li.done').last().textContent(), /^Interview booked/);
		assert.equal(mine.invitation.status, 'booked');
		assert.equal(mine.invitation.slot.day, date);
		await checkA11y(p, `applicant home, booked, at ${width}`);
		await screenshot(p, `home-applicant-booked-${width}`);
		assert.deepEqual(p.problems, []);

		// The booking mail in the outbox, with its calendar attached.
		await ready(staff, '#/outbox');
		await staff.setViewportSize({ width, height: 900 });
		const opener = staff.locator('#outbox-table tbody tr', { hasText: email })
			.getByRole('button', { name: 'Interview booked' }).first();
		await opener.click();
		const panel = staff.locator('#mail-panel[open]');
		await panel.getByText('Attached: interview.ics, a calendar invitation').click();
		const attached = await panel.locator('#mail-attachment pre').innerText();
		assert.match(attached, /^BEGIN:VCALENDAR/);
		assert.match(attached, /METHOD:REQUEST/);
		await checkA11y(staff, `outbox message with a calendar at ${width}`);
		await panel.getByRole('button', { name: 'Close' }).click();
		assert.deepEqual(staff.problems, []);
	});
}

for (const [k, width] of WIDTHS.entries()) {
	test(`the coordinator's home shows the counts, each with its link (${width} px)`, async () => {
		const p = await page(width);
		await signIn(p, 'coordinator@demo.test');
		const view = await get(p, '/api/home');
		const part = view.cycles.find((c) => REVIEWING.includes(c.cycle.state));
		const region = p.getByRole('region', { name: `${part.cycle.name} (${part.cycle.state})` });
		const pipe = part.pipeline;
		const list = region.getByRole('list', { name: 'Applications' });
		assert.match(await list.locator('li').first().textContent(), new RegExp(`^${pipe.drafts} drafts not submitted`));
		assert.match(await list.locator('li').nth(2).textContent(), new RegExp(`^${pipe.submitted_incomplete} submitted, waiting`));
		await list.getByRole('link', { name: `Drafts in the applications list of ${part.cycle.name}` }).waitFor();
		// Deadlines in the cycle's zone with the time left.
		const deadlines = region.locator('ul.deadlines li');
		assert.equal(await deadlines.count(), part.deadlines.length);
		assert.match(await deadlines.first().textContent(), /\d{4}, \d{2}:\d{2} [A-Z]{3,4} \((in|.* ago)/);
		// Invited and not booked, by name.
		const nb = region.getByRole('list', { name: 'Invited, not booked' });
		assert.equal(await nb.locator('li').count(), part.not_booked.length);
		// Raters behind, each with a nudge.
		const raters = region.getByRole('list', { name: 'Raters behind' });
		assert.equal(await raters.locator('li').count(), part.raters_behind.length);
		const r0 = part.raters_behind[k % part.raters_behind.length];
		const phase = r0.phase === 'screening' ? 'screening' : 'interview';
		const remind = raters.getByRole('button', { name: new RegExp(`^Remind ${r0.name} of \\d+ missing ${phase} sheets?$`) });
		await p.getByRole('region', { name: 'Mail' }).waitFor();
		await checkA11y(p, `coordinator home at ${width}`);
		await screenshot(p, `home-coordinator-${width}`);

		// The nudge goes to that one rater, by mail, once in 12 hours.
		const before = (await get(p, '/api/outbox?limit=1')).messages[0]?.id ?? 0;
		await remind.click();
		await region.getByRole('status').getByText(`Reminder sent to ${r0.name}.`).waitFor();
		assert.equal(await remind.isDisabled(), true);
		const mail = (await get(p, '/api/outbox?limit=5')).messages.filter((m) => m.id > before);
		assert.equal(mail.length, 1);
		// Again at once: refused, in words, and nothing sent.
		await p.reload();
		await p.locator('body[data-ready="true"]').waitFor();
		const again = p.getByRole('region', { name: `${part.cycle.name} (${part.cycle.state})` })
			.getByRole('list', { name: 'Raters behind' })
			.getByRole('button', { name: new RegExp(`^Remind ${r0.name} of \\d+ missing ${phase} sheets?$`) });
		await again.click();
		await p.getByRole('status').filter({ hasText: /less than 12 hours/ }).waitFor();
		assert.equal((await get(p, '/api/outbox?limit=5')).messages.filter((m) => m.id > before).length, 1);
		// The refusal (429) is the one problem the browser reports.
		assert.deepEqual(p.problems.splice(0), ['console: Failed to load resource: the server responded with a status of 429 ()']);

		// The Reviewers page is one link away.
		await p.getByRole('link', { name: `Reviewers page of ${part.cycle.name}` }).click();
		await p.getByRole('button', { name: 'Send reminders' }).first().waitFor();
		assert.deepEqual(p.problems, []);
	});

	test(`the director's home shows readiness, each count with its link (${width} px)`, async () => {
		const p = await page(width);
		await signIn(p, 'director@demo.test');
		const view = await get(p, '/api/home');
		const part = view.cycles.find((c) => REVIEWING.includes(c.cycle.state));
		const r = part.readiness;
		const region = p.getByRole('region', { name: `${part.cycle.name} (${part.cycle.state})` });
		const items = region.getByRole('list', { name: 'Readiness for ranking and certification' });
		const screening = r.phases.find((x) => x.phase === 'screening');
		await items.getByText(new RegExp(`^${screening.missing} screening sheets? missing, ${screening.drafts} drafts? not submitted \\(${screening.submitted} of ${screening.assigned} submitted`)).waitFor();
		await items.getByText(new RegExp(`^${r.not_interviewed.length} of ${r.candidates} candidates on the rank list without an interview sheet`)).waitFor();
		for (const x of r.not_interviewed)
			assert.equal(await items.getByRole('link', { name: x.name, exact: true }).first().getAttribute('href'), `#/applications/${x.application_id}`);
		// Before certifying: what the Certify dialog will say, counted.
		const cert = region.getByRole('list', { name: 'Before certifying' });
		for (const w of r.certification.warnings)
			await cert.getByText(`${w.count} ${w.title.charAt(0).toLowerCase() + w.title.slice(1)} — to acknowledge when certifying`).waitFor();
		assert.equal(await cert.locator('li.blocking').count(), r.certification.blocking.length);
		const open = region.getByRole('link', { name: /rank list$/ });
		assert.equal(await open.getAttribute('href'), `#/cycles/${part.cycle.id}/ranklist`);
		await checkA11y(p, `director home at ${width}`);
		await screenshot(p, `home-director-${width}`);
		await open.click();
		await p.getByRole('heading', { level: 1, name: /Rank list/ }).waitFor();
		assert.deepEqual(p.problems, []);
	});
}
