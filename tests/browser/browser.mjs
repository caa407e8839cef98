// Shared set-up for the browser tests: Debian's Chromium driven through
// playwright-core, a page that records console errors and failed requests,
// and the axe accessibility check.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

export const BASE_URL = process.env.BASE_URL;
if (!BASE_URL)
	throw new Error('BASE_URL is not set: run the browser tests through tests/run.sh');

export async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
			'--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
}

// Opens a page that collects what a careful user would call an error.
export async function openPage(browser) {
	const context = await browser.newContext();
	const page = await context.newPage();
	page.problems = [];
	page.on('console', (msg) => {
		if (msg.type() === 'error')
			page.problems.push('console: ' + msg.text());
	});
	page.on('pageerror', (err) => page.problems.push('page: ' + err.message));
	page.on('requestfailed', (req) =>
		page.problems.push('request failed: ' + req.url()));
	return page;
}

// Runs axe with the WCAG 2.1 A and AA rules; returns the violations.
export async function accessibilityViolations(page) {
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
		.analyze();
	return result.violations.map((v) =>
		`${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function screenshot(page, name) {
	mkdirSync('build/screenshots', { recursive: true });
	await page.screenshot({ path: `build/screenshots/${name}.png`, fullPage: true });
}

// The visible error messages that overlap their input (none should: each
// sits below it), as "name: message" lines.
export async function errorsClearOfInputs(page) {
	return page.evaluate(() => [...document.querySelectorAll('.field-error')]
		.filter((e) => e.textContent && e.offsetParent)
		.map((e) => {
			const input = e.previousElementSibling;
			if (!input || !input.matches('input, select, textarea'))
				return null;
			const a = input.getBoundingClientRect();
			const b = e.getBoundingClientRect();
			return b.top + 0.5 < a.bottom ? `${input.name || input.id}: "${e.textContent}" overlaps its input` : null;
		}).filter(Boolean));
}

// A calendar day ("2026-12-11") as every page writes it: "Fri 11 Dec 2026"
// (assets/js/dates.js), worked out here independently of that module.
export function dayText(iso) {
	const d = new Date(iso.slice(0, 10) + 'T12:00:00Z');
	const part = (o) => d.toLocaleDateString('en-US', { timeZone: 'UTC', ...o });
	return `${part({ weekday: 'short' })} ${d.getUTCDate()} ${part({ month: 'short' })} ${d.getUTCFullYear()}`;
}

// The password of every demo account.
export const DEMO_PASSWORD = 'fellowship-demo-2026';

// Opens the application at hash and waits until its first view is shown.
export async function ready(page, hash) {
	await page.goto(BASE_URL + '/' + hash);
	await page.waitForSelector('body[data-ready="true"]');
}

// Fails the test with the list of axe violations of the page, if any.
export async function checkA11y(page, what) {
	assert.deepEqual(await accessibilityViolations(page), [], what);
}

// Signs in through the form and waits for the start page.
export async function signIn(page, email, password = DEMO_PASSWORD) {
	await ready(page, '#/signin');
	await page.getByLabel('E-mail address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
}

// Follows the navigation's link named name, opening the menu first where
// the navigation is behind its menu button (under 768 px).
export async function navigate(page, name) {
	const menu = page.getByRole('button', { name: 'Menu' });
	if (await menu.isVisible() && await menu.getAttribute('aria-expanded') !== 'true')
		await menu.click();
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

// On the rank list editor of cycleId: candidates invited since the list
// was saved (another test file may have invited some) are added at the
// end, each needing a reason; they are given one and the list is saved,
// so that a story starts from a saved list with nobody missing.
export async function placeLateInvitees(page, cycleId) {
	const { missing } = await get(page, `/api/cycles/${cycleId}/ranklist`);
	if (!missing || !missing.length)
		return;
	for (const m of missing)
		await page.getByLabel('Reason for moving ' + m.name).fill('Invited after the list was saved.');
	await page.getByRole('button', { name: 'Save the rank list' }).click();
	await page.locator('#ranklist-status', { hasText: /^Saved as version \d+\.$/ }).waitFor();
}

// A JSON GET from inside the signed-in page, as the page itself would.
export async function get(page, path) {
	return page.evaluate(async (p) => {
		const r = await fetch(p, { headers: { Accept: 'application/json' } });
		if (!r.ok)
			throw new Error(p + ': ' + r.status);
		return r.json();
	}, path);
}

// A state-changing (or any) JSON request from inside the signed-in page,
// with the session's CSRF token; returns { status, body }.
export async function call(page, method, path, body) {
	return page.evaluate(async ([m, p, b]) => {
		const me = await (await fetch('/api/me')).json();
		const r = await fetch(p, {
			method: m,
			headers: { 'Content-Type': 'application/json', Accept: 'application/json',
				'X-CSRF-Token': me.csrf_token },
			body: b === undefined ? undefined : JSON.stringify(b),
		});
		const text = await r.text();
		return { status: r.status, body: text ? JSON.parse(text) : null };
	}, [method, path, body]);
}

// A minimal valid PDF, as the applicant's CV and statement.
export function pdf() {
	const content = 'BT /F1 12 Tf 72 720 Td (CV) Tj ET';
	const objs = ['<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
		`<< /Length ${content.length} >>\nstream\n${content}\nendstream`];
	let out = '%PDF-1.4\n';
	const offsets = [];
	objs.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
	const xref = out.length;
	out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets)
		out += String(off).padStart(10, '0') + ' 00000 n \n';
	out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

// Uploads a PDF of kind to application appId from inside the page p.
export async function uploadPdf(p, appId, kind) {
	return p.evaluate(async ([id, k, bytes]) => {
		const me = await (await fetch('/api/me')).json();
		const form = new FormData();
		form.append('kind', k);
		form.append('file', new File([new Uint8Array(bytes)], 'x.pdf', { type: 'application/pdf' }));
		const r = await fetch(`/api/applications/${id}/documents`, { method: 'POST', body: form,
			headers: { 'X-CSRF-Token': me.csrf_token, Accept: 'application/json' } });
		return { status: r.status, body: await r.json() };
	}, [appId, kind, [...pdf()]]);
}

function made(r, status, what) {
	assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
	return r.body;
}

// A small cycle of a test's own, in review (a year before the demo's, so
// the pages that pick the newest cycle keep the demo's), America/Chicago:
// one submitted application by the demo applicant `applicant` (named Ines
// Dvořák), assigned to faculty1 for screening. director and coordinator
// are signed-in pages. Returns { cycle, app, faculty1 }.
export async function smallCycle(browser, director, coordinator, { year, name, applicant }) {
	const cycle = made(await call(director, 'POST', '/api/cycles', {
		year, name, positions: 2, timezone: 'America/Chicago',
		applications_open: '2000-01-01', applications_close: '2099-01-15T17:00',
		interviews_start: '2099-02-01', interviews_end: '2099-03-01', ranklist_due: '2099-03-20',
	}), 201, 'create cycle').cycle;
	made(await call(director, 'PATCH', `/api/cycles/${cycle.id}`, { state: 'open' }), 200, 'open');
	const a = await openPage(browser);
	await signIn(a, applicant);
	const app = made(await call(a, 'GET', `/api/cycles/${cycle.id}/application`), 200, 'draft').application;
	made(await call(a, 'PUT', `/api/cycles/${cycle.id}/application`, { fields: {
		first_name: 'Ines', last_name: 'Dvořák', email: 'ines@example.org', phone: '+1 312 555 0101',
		mailing_address: '1 Lake St', medical_school: 'Charles University', medical_school_year: 2016,
		residency_program: 'Rush Orthopaedics', residency_year: 2022, publications_count: 4,
		research_summary: 'Ewing sarcoma.',
	} }), 200, 'fields');
	for (const kind of ['cv', 'personal_statement'])
		made(await uploadPdf(a, app.id, kind), 201, 'upload');
	made(await call(a, 'POST', `/api/cycles/${cycle.id}/application/submit`), 200, 'submit');
	await a.context().close();
	made(await call(director, 'PATCH', `/api/cycles/${cycle.id}`, { state: 'review' }), 200, 'review');
	const faculty1 = (await get(coordinator, '/api/users?limit=500')).users
		.find((u) => u.email === 'faculty1@demo.test');
	made(await call(coordinator, 'PUT', `/api/cycles/${cycle.id}/assignments`,
		[{ faculty_id: faculty1.id, application_id: app.id, phase: 'screening' }]), 200, 'assign');
	return { cycle, app, faculty1 };
}
