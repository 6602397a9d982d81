// browser.mjs: Debian's chromium driven by playwright-core for the browser
// tests: launching it for a machine without network or display (as root), a
// context per test that records every request and every console error, WCAG
// checks with axe-core, and screenshots kept as test artefacts.
//
// axe needs JavaScript, and it must not run inside the test's own page: with
// JavaScript off its timers never fire (axe.run never settles), and with
// JavaScript on the site's CSP (no inline script) refuses the injected script,
// as it should; turning the CSP off there would hide the console errors of a
// page that breaks it. So a separate checker context with JavaScript on and
// the page's cookies loads the page's URL once more, and is served there, by
// request interception, the exact document the test's page holds
// (page.content()), with the site's own stylesheet and images. That covers
// POST answers too (an error after a wrong password, the recovery codes),
// which a second GET could not show, and it does not ask the server for the
// page again (a GET of the enrolment page must not happen behind the test's
// back). A document renders the same with JavaScript on or off unless it has
// <script>, <noscript> or a (scripting) media query: the checker asserts that
// the first two are absent, and the sign-in test the third.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// require() rather than import: it honours NODE_PATH (set by meson) as well as
// the repository's node_modules above this folder
const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.PROBITY_CHROMIUM || '/usr/bin/chromium';
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// What the tests need that may be missing on this machine: a list of reasons
// (empty when everything is there).
export function missingPrerequisites() {
	const missing = [];
	if (!existsSync(CHROMIUM))
		missing.push(`${CHROMIUM} is missing (Debian package chromium: scripts/install-deps)`);
	for (const pkg of ['playwright-core', 'axe-core']) {
		try {
			require.resolve(pkg);
		} catch {
			missing.push(`npm package ${pkg} is missing (npm ci: scripts/install-deps)`);
		}
	}
	return missing;
}

// Flags for running as root on a machine without display, GPU or network:
// nothing may reach out to Google's services. playwright-core gives every
// launch its own fresh --user-data-dir in the temporary folder and removes it
// when the browser closes; it adds --headless itself.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

export async function launchBrowser() {
	const { chromium } = require('playwright-core');
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
}

// A fresh context (no cookies) with JavaScript on or off and a page in it.
// Returns {context, page, log}: log.requests holds every URL the browser asked
// for, log.errors every console error, uncaught page error and failed request;
// call assertClean(log) at the end of a test.
export async function openPage(browser, { javaScript, base }) {
	const context = await browser.newContext({
		javaScriptEnabled: javaScript,
		locale: 'nl-NL',
		viewport: { width: 1280, height: 800 },
	});
	context.setDefaultTimeout(15000);
	const log = { requests: [], errors: [], base };
	context.on('request', (r) => log.requests.push(`${r.method()} ${r.url()}`));
	// a request the next navigation cuts short (the favicon, say) is ERR_ABORTED: not a fault
	context.on('requestfailed', (r) => {
		if (r.failure()?.errorText !== 'net::ERR_ABORTED')
			log.errors.push(`request failed: ${r.url()}: ${r.failure()?.errorText}`);
	});
	context.on('response', (r) => {
		if (r.status() >= 400)
			log.errors.push(`status ${r.status()} for ${r.request().method()} ${r.url()}`);
	});
	const page = await context.newPage();
	page.on('console', (m) => {
		if (m.type() === 'error')
			log.errors.push(`console: ${m.text()} (${m.location()?.url ?? ''})`);
	});
	page.on('pageerror', (e) => log.errors.push(`page error: ${e.message}`));
	return { context, page, log };
}

// Errors a test expects, e.g. the 401 of a refused sign-in and the browser's
// console note about it: [regex, ...]; each must have happened. Every other
// error, and every request to another host than the server's, fails.
export function assertClean(log, expectedErrors = []) {
	for (const re of expectedErrors)
		assert.ok(log.errors.some((e) => re.test(e)), `expected an error like ${re}, got: ${log.errors.join('; ')}`);
	const unexpected = log.errors.filter((e) => !expectedErrors.some((re) => re.test(e)));
	assert.deepEqual(unexpected, [], 'console errors or failed requests');
	const origin = new URL(log.base).origin;
	const outside = log.requests.filter((r) => {
		const url = new URL(r.slice(r.indexOf(' ') + 1));
		return url.origin !== origin;
	});
	assert.deepEqual(outside, [], `requests to anywhere but ${origin}`);
	assert.ok(log.requests.length > 0, 'the browser made no requests at all');
}

// A checker: one JavaScript-enabled context, kept for all checks (a context
// and axe's 500 kB each time would cost a second a page), with axe injected
// into every document it loads. check(page, label, note) runs axe-core's WCAG
// 2.0/2.1 A and AA rules over what page shows now (see the top of this file
// for how) and fails listing every violation with its impact, help text and
// the selectors of the failing elements; rules axe cannot decide alone
// ("incomplete") are passed to note().
export async function a11yChecker(browser) {
	const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
	context.setDefaultTimeout(15000);
	await context.addInitScript({ path: require.resolve('axe-core/axe.min.js') });
	const cp = await context.newPage();
	const check = async (page, label, note = () => {}) => {
		const html = await page.content();
		const url = page.url();
		assert.doesNotMatch(html, /<script[\s>]/i, `${label}: the page has a script`);
		assert.doesNotMatch(html, /<noscript[\s>]/i, `${label}: the page has a noscript`);
		await context.clearCookies();
		await context.addCookies(await page.context().cookies());
		await cp.setViewportSize(page.viewportSize());
		await cp.route((u) => u.href === url, (route) => route.fulfill({
			status: 200,
			contentType: 'text/html; charset=utf-8',
			body: html,
		}), { times: 1 });
		await cp.goto(url, { waitUntil: 'load' });
		const result = await cp.evaluate((tags) => window.axe.run(document, {
			runOnly: { type: 'tag', values: tags },
			resultTypes: ['violations', 'incomplete'],
		}), WCAG_TAGS);
		for (const i of result.incomplete)
			note(`axe, ${label}: needs review: ${i.id} (${i.nodes.map((n) => n.target.join(' ')).join(', ')})`);
		const report = result.violations.map((v) =>
			`  ${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n` +
			v.nodes.map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n'));
		assert.equal(result.violations.length, 0,
			`axe: ${result.violations.length} WCAG violation(s) on ${label} (${url}):\n${report.join('\n')}`);
		return result;
	};
	return { check, close: () => context.close() };
}

// Where screenshots go: PROBITY_E2E_ARTIFACTS (meson sets BUILD/e2e-artifacts),
// else a folder in the temporary folder.
export function artifactsDir() {
	const dir = process.env.PROBITY_E2E_ARTIFACTS || path.join(process.env.TMPDIR || '/tmp', 'probity-e2e-artifacts');
	mkdirSync(dir, { recursive: true });
	return dir;
}

// A full-page screenshot as NAME.png in the artefacts folder; returns its path.
export async function screenshot(page, name) {
	const file = path.join(artifactsDir(), `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

// The sections of the main navigation (src/app/frame.c) and their pages.
const SECTION_OF = {
	'Inbox': 'Reports and cases', 'Register a report': 'Reports and cases',
	'Cases': 'Reports and cases', 'Decisions': 'Reports and cases',
	'Due and overdue': 'Reports and cases',
	'Self-assessments': 'Risks and assessment', 'Risks': 'Risks and assessment',
	'Violations and risks': 'Risks and assessment', 'Frameworks': 'Risks and assessment',
	'Dashboard': 'Monitoring and policy', 'Annual report': 'Monitoring and policy',
	'Culture': 'Monitoring and policy', 'Recommendations': 'Monitoring and policy',
	'Policy cycle': 'Monitoring and policy', 'IPIM': 'Monitoring and policy',
};

async function click(page, link) {
	await Promise.all([page.waitForEvent('load'), link.click()]);
}

// Opens the page NAME (English) as a user does: its own link in the main
// navigation when the viewer has that page only of its section, else the
// section's link and then the page's link in the section's navigation.
export async function navigate(page, name) {
	const main = page.getByRole('navigation', { name: 'Main navigation' });
	const direct = main.getByRole('link', { name, exact: true });
	if (await direct.count() === 1)
		return click(page, direct);
	const section = SECTION_OF[name];
	if (!section)
		throw new Error(`navigate: '${name}' is in the main navigation of no section`);
	await click(page, main.getByRole('link', { name: section, exact: true }));
	const sub = page.getByRole('navigation', { name: 'Section navigation' });
	await click(page, sub.getByRole('link', { name, exact: true }));
}
