// Shared set-up for the browser tests: Debian's Chromium driven through
// playwright-core, a page that records console errors and failed requests,
// and the axe accessibility check.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
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
