// The application form's status is true per field, at 1280 and 390 px
// with the axe check: a value whose meaning is clear is saved in its
// normal form and shown so ("Pass" as "pass", "n1234567" as "N1234567"),
// a refused one is never reported as saved (each marked with its reason
// beside it, under the input, never over it), and a save that never
// reached the server counts as not saved either.
//
// A demo applicant no other test uses (applicant66) fills in the open
// cycle's application; the fields it touches are cleared first, so the
// test can run again against the same server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, ready, signIn, checkA11y, screenshot, get, call, errorsClearOfInputs }
	from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TOUCHED = ['usmle_step1', 'nrmp_id', 'aamc_id', 'sfmatch_id', 'first_name', 'publications_count'];

// Types value into the field labelled label and leaves it; resolves with
// the reply of the save it caused (null when none was sent).
async function enter(page, label, value) {
	const input = page.getByLabel(label, { exact: true });
	await input.fill(value);
	const reply = page.waitForResponse((r) => r.request().method() === 'PUT' &&
		r.url().endsWith('/application'), { timeout: 5000 }).catch(() => null);
	await input.press('Tab');
	return reply;
}

const status = (page) => page.locator('#save-status');

for (const width of [1280, 390]) {
	test(`a refused field is never reported as saved; a normalised one shows its stored value (${width} px)`,
		async () => {
			const page = await openPage(browser);
			await page.setViewportSize({ width, height: 900 });
			await signIn(page, 'applicant66@demo.test');
			const cycle = (await get(page, '/api/cycles')).cycles.find((c) => c.state === 'open' && c.program_id === 1);
			await call(page, 'GET', `/api/cycles/${cycle.id}/application`);
			const cleared = await call(page, 'PUT', `/api/cycles/${cycle.id}/application`,
				{ fields: Object.fromEntries(TOUCHED.map((k) => [k, null])) });
			assert.equal(cleared.status, 200);
			await ready(page, '#/apply/' + cycle.id);
			await page.getByRole('heading', { level: 1, name: 'Your application' }).waitFor();

			// Clear meaning, other spelling: stored and shown normalised.
			const step1 = page.getByLabel('USMLE Step 1', { exact: true });
			assert.equal((await enter(page, 'USMLE Step 1', 'Pass')).status(), 200);
			await page.waitForFunction(() => document.querySelector('[name="usmle_step1"]').value === 'pass');
			assert.equal(await enter(page, 'NRMP ID', 'n1234567').then((r) => r.status()), 200);
			await page.waitForFunction(() => document.querySelector('[name="nrmp_id"]').value === 'N1234567');
			assert.equal((await enter(page, 'AAMC ID', ' 1234 5678 ')).status(), 200);
			await page.waitForFunction(() => document.querySelector('[name="aamc_id"]').value === '12345678');
			await status(page).getByText('All changes saved.').waitFor();
			assert.equal(await step1.getAttribute('aria-invalid'), null);

			// Refused: marked beside the field, counted, never "saved".
			assert.equal((await enter(page, 'AAMC ID', '1234')).status(), 422);
			const aamc = page.getByLabel('AAMC ID', { exact: true });
			await page.locator('[name="aamc_id"][aria-invalid="true"]').waitFor();
			await page.locator('#err-aamc_id', { hasText: 'Enter exactly 8 digits.' }).waitFor();
			await status(page).getByText(/^1 field not saved: AAMC ID\./).waitFor();
			assert.equal((await enter(page, 'SF Match applicant ID', '12ab')).status(), 422);
			await status(page).getByText(/^2 fields not saved: AAMC ID, SF Match applicant ID\./).waitFor();
			// Saving another field meanwhile does not make them saved.
			assert.equal((await enter(page, 'First name (required)', '  Hana ')).status(), 200);
			await page.waitForFunction(() => document.querySelector('[name="first_name"]').value === 'Hana');
			await status(page).getByText(/^2 fields not saved/).waitFor();
			assert.doesNotMatch(await status(page).innerText(), /All changes saved/);
			assert.deepEqual(await errorsClearOfInputs(page), []);
			await checkA11y(page, `application form with refused fields at ${width} px`);
			await screenshot(page, `form-not-saved-${width}`);
			// Submitting now would drop them: the form says so first.
			await page.getByRole('button', { name: 'Submit application' }).click();
			await page.getByText('Some fields are not saved: correct or clear them first.').waitFor();
			assert.equal(await aamc.evaluate((e) => e === document.activeElement), true);

			// A save that never reaches the server is not saved either.
			await page.route('**/api/cycles/*/application', (route) =>
				route.request().method() === 'PUT' ? route.abort() : route.continue());
			await enter(page, 'Peer-reviewed publications (required)', '7');
			await status(page).getByText(/^3 fields not saved: .*Peer-reviewed publications/).waitFor();
			assert.equal(await page.getByLabel('Peer-reviewed publications (required)', { exact: true })
				.getAttribute('aria-invalid'), 'true');
			await page.unroute('**/api/cycles/*/application');

			// What the server holds: the normalised values, not the refused.
			const stored = (await get(page, `/api/cycles/${cycle.id}/application`)).application.fields;
			assert.equal(stored.usmle_step1, 'pass');
			assert.equal(stored.nrmp_id, 'N1234567');
			assert.equal(stored.aamc_id, '12345678');
			assert.equal(stored.first_name, 'Hana');
			assert.equal(stored.sfmatch_id, undefined);
			assert.equal(stored.publications_count, undefined);

			// Corrected, cleared, retried: all saved, and so reported.
			assert.equal((await enter(page, 'AAMC ID', '8765-4321')).status(), 200);
			await page.waitForFunction(() => document.querySelector('[name="aamc_id"]').value === '87654321');
			assert.equal(await aamc.getAttribute('aria-invalid'), null);
			assert.equal(await page.locator('#err-aamc_id').textContent(), '');
			// Cleared back to what is stored (nothing): no save needed.
			assert.equal(await enter(page, 'SF Match applicant ID', ''), null);
			assert.equal(await page.getByLabel('SF Match applicant ID', { exact: true })
				.getAttribute('aria-invalid'), null);
			assert.equal((await enter(page, 'Peer-reviewed publications (required)', ' 7 ')).status(), 200);
			await status(page).getByText('All changes saved.').waitFor();

			// A reload shows what was stored.
			await page.reload();
			await page.waitForSelector('body[data-ready="true"]');
			await page.getByRole('heading', { level: 1, name: 'Your application' }).waitFor();
			assert.equal(await step1.inputValue(), 'pass');
			assert.equal(await page.getByLabel('NRMP ID', { exact: true }).inputValue(), 'N1234567');
			assert.equal(await aamc.inputValue(), '87654321');
			assert.equal(await page.getByLabel('Peer-reviewed publications (required)', { exact: true })
				.inputValue(), '7');
			await checkA11y(page, `application form after a reload at ${width} px`);
			assert.deepEqual(page.problems.filter((p) => !/422|ERR_FAILED|request failed: .*\/application$/.test(p)), []);
			await page.context().close();
		});
}
