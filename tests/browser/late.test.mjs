// Frozen means frozen, told as a story: once scoring is closed, a rater
// declares a conflict with a candidate they scored on the conflicts page
// and is told, in words, that it awaits a decision; the director's home
// page lists it under "Conflicts awaiting your decision" with Accept and
// Decline; declined, nothing in the ranking moves, and the rater's page
// says it was declined. Every page is checked with axe.
//
// The story leaves the demo cycle as it found it (scoring open again; the
// declined declaration stays on record and changes nothing). Names are
// read from the API, never assumed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, checkA11y, signIn, ready, get, call } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function standing(r) {
	return r.candidates.map((c) => [c.application_id, c.rank, c.composite]);
}

async function scoring(page, cid, closed) {
	for (const phase of ['screening', 'interview'])
		assert.equal((await call(page, 'PATCH', `/api/cycles/${cid}/phases/${phase}`, { closed })).status, 200);
}

test('a conflict declared after scoring closed waits for the staff', async () => {
	const director = await openPage(browser);
	await signIn(director, 'director@demo.test');
	const { cycles } = await get(director, '/api/cycles');
	const cid = cycles.find((c) => c.state === 'review' || c.state === 'ranking').id;
	const { users } = await get(director, '/api/users?limit=500');
	const faculty = new Map(users.filter((u) => u.role === 'faculty').map((u) => [u.id, u]));
	const ranking = await get(director, `/api/cycles/${cid}/ranking`);
	// A faculty rater's submitted interview sheet of a candidate.
	let rater = null;
	let cand = null;
	for (const c of ranking.candidates) {
		const s = c.phases.interview && c.phases.interview.scores.find((x) => faculty.has(x.rater_id));
		if (s) {
			rater = faculty.get(s.rater_id);
			cand = c;
			break;
		}
	}
	assert.ok(rater && cand, 'the demo has interview sheets by faculty');
	await scoring(director, cid, true);
	try {
		const before = standing(await get(director, `/api/cycles/${cid}/ranking`));

		// The rater declares it and is told it waits.
		const f = await openPage(browser);
		await signIn(f, rater.email);
		await ready(f, `#/cycles/${cid}/conflicts`);
		await f.getByLabel('Candidate').selectOption({ label: cand.name });
		await f.getByLabel('Reason').fill('I supervised this candidate’s research.');
		await f.getByRole('button', { name: 'Declare conflict' }).click();
		await f.locator('#conflict-status', { hasText: 'awaits a decision by the coordinator or the director' }).waitFor();
		const row = f.locator('#conflict-requests-table tr', { hasText: cand.name });
		await row.getByText('Awaiting a decision by the coordinator or the director').waitFor();
		await checkA11y(f, 'rater’s conflicts page with a held declaration');
		assert.deepEqual(standing(await get(director, `/api/cycles/${cid}/ranking`)), before);

		// The director's home lists it, in words, with the two buttons.
		await director.reload();
		await director.waitForSelector('body[data-ready="true"]');
		await director.getByRole('heading', { name: 'Conflicts awaiting your decision' }).waitFor();
		const item = director.locator('li.todo', { hasText: rater.name });
		await item.getByText(`declared a conflict of interest with`).waitFor();
		await item.getByText('Until you decide, nothing changes.').waitFor();
		await checkA11y(director, 'director’s home with a conflict to decide');
		director.once('dialog', (d) => d.accept());
		await item.getByRole('button', { name: `Decline the conflict of ${rater.name} with ${cand.name}` }).click();
		await director.getByText(`Declined: the conflict of ${rater.name} with ${cand.name} was not recorded; nothing changed.`).first().waitFor();
		assert.deepEqual(standing(await get(director, `/api/cycles/${cid}/ranking`)), before);

		// The rater sees it was declined.
		await f.reload();
		await f.waitForSelector('body[data-ready="true"]');
		await f.locator('#conflict-requests-table tr', { hasText: cand.name }).getByText('Declined: nothing changed').waitFor();
		await f.close();
	} finally {
		await scoring(director, cid, false);
		await director.close();
	}
});
