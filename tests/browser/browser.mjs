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

