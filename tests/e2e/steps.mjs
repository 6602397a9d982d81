// steps.mjs: what every browser test file does the same way, kept here once
// so that a change to the sign-in or to the server's shutdown check is made
// in one place: the before/after hooks that start the server, the browser
// and the WCAG checker and stop them (failing on an unclean exit or a
// sanitizer report), and the steps a user takes (press a button, follow a
// link, switch to English, sign in with the authenticator set up as an app
// would) and reads (where the page is, its heading, a table's rows).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';

import { a11yChecker, artifactsDir, launchBrowser, openPage } from './browser.mjs';
import { probityBinary, serverEnv, startServer } from './server.mjs';
import { base32Decode, totp } from './totp.mjs';

// Every test user's password: long enough for the password policy.
export const PASSWORD = 'lange zin over tulpen 42';

// Registers the file's before and after hooks and returns the environment
// they fill: {server, browser, checker} once before has run, with
//   a11y(t, page, label): axe over what page shows now, what axe cannot
//     decide alone going to the test's diagnostics;
//   open(javaScript): a fresh context and page (openPage's {context, page, log});
//   signIn(page, username, options): see signIn below, on this server.
// config is startServer's {orgs, users}; prepare(server) runs after the
// server started (imports into its database, say), cleanup() after it was
// stopped whatever happened, checkLog(stderr) after the shutdown checks
// (that no text the test typed reached the server's log, say).
export function browserSuite(config, { prepare, cleanup, checkLog } = {}) {
	const env = {
		server: null,
		browser: null,
		checker: null,
		a11y: (t, page, label) => env.checker.check(page, label, (msg) => t.diagnostic(msg)),
		open: (javaScript) => openPage(env.browser, { javaScript, base: env.server.base }),
		signIn: (page, username, options) => signIn(page, env.server.base, username, options),
	};
	before(async () => {
		env.server = await startServer(config);
		await prepare?.(env.server);
		env.browser = await launchBrowser();
		env.checker = await a11yChecker(env.browser);
		console.log(`browser ${env.browser.version()}, server ${env.server.base}, screenshots in ${artifactsDir()}`);
	});
	after(async () => {
		let stopped;
		try {
			await env.checker?.close();
			await env.browser?.close();
		} finally {
			stopped = await env.server?.stop(); // whatever happened above
			cleanup?.();
		}
		if (!stopped)
			return;
		const { status, stderr } = stopped;
		assert.equal(status, 0, `probity serve did not stop cleanly on SIGTERM: ${stderr.slice(-4000)}`);
		assert.doesNotMatch(stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, 'sanitizer report from the server');
		checkLog?.(stderr);
	});
	return env;
}

// Imports content as the file name (its type goes by its ending) with
// `probity import KIND` against the running server's database, as an
// administrator would: the command is made for a live database.
export function importFile(server, kind, name, content) {
	const dir = mkdtempSync(path.join(tmpdir(), 'probity-e2e-import-'));
	try {
		const file = path.join(dir, name);
		writeFileSync(file, content);
		const r = spawnSync(probityBinary(), ['import', kind, file, '--db', server.db], { encoding: 'utf8', timeout: 60000, env: serverEnv(server) });
		assert.equal(r.status, 0, `import ${kind}: ${r.stderr}${r.stdout}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

// A register of year as Dutch Excel saves it (semicolons, day-month-year,
// CRLF): for each department of counts ({code: n}) n violations received in
// March, established, with a written reprimand.
export function registerCsv(counts, year) {
	const lines = ['Organisatie;Datum ontvangst;Categorie;Taxonomieversie;Uitkomst;Maatregel;Aangifte'];
	for (const [org, n] of Object.entries(counts))
		for (let i = 0; i < n; i++)
			lines.push(`${org};${1 + i}-3-${year};1;1;vastgesteld;written_reprimand;nee`);
	return lines.join('\r\n') + '\r\n';
}

// The page's path and query.
export const where = (page) => {
	const u = new URL(page.url());
	return u.pathname + u.search;
};
export const h1 = (page) => page.locator('h1').innerText();
export const squash = (s) => s.replace(/\s+/g, ' ').trim();

// Presses a button and waits for the page that its form's answer shows.
export async function press(page, name, scope = page) {
	await Promise.all([
		page.waitForEvent('load'),
		scope.getByRole('button', { name, exact: true }).click(),
	]);
}
// Follows a link and waits for the page it leads to.
export async function follow(page, name, scope = page) {
	await Promise.all([
		page.waitForEvent('load'),
		scope.getByRole('link', { name, exact: true }).click(),
	]);
}
// The header's language switch, as a user presses it.
export async function toEnglish(page) {
	await press(page, 'English');
	assert.equal(await page.locator('html').getAttribute('lang'), 'en');
}
// A description list as {term: details}, whitespace squashed.
export async function facts(list) {
	return Object.fromEntries(await list.evaluate((dl) => [...dl.querySelectorAll(':scope > dt')].map((dt) =>
		[dt.textContent, dt.nextElementSibling.textContent].map((s) => s.replace(/\s+/g, ' ').trim()))));
}
// The notice a redirect after a change shows ("The record was added.").
export const notice = async (page) => squash(await page.getByRole('status').first().innerText());
// The rows of the table with this accessible name (its caption, or the
// heading that labels it), each as its cells' texts.
export async function table(page, caption) {
	const t = page.getByRole('table', { name: caption, exact: true });
	assert.equal(await t.count(), 1, `no table "${caption}"`);
	return t.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
		[...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
}

// Signs in at base in English with PASSWORD; a role that needs two steps sets
// up the authenticator first, as an app would. mustEnrol: the user is a
// first-time user of such a role, and the test fails unless the server asks
// for the second step.
export async function signIn(page, base, username, { mustEnrol = false } = {}) {
	await page.goto(`${base}/login`);
	await toEnglish(page);
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(PASSWORD);
	await press(page, 'Sign in');
	if (mustEnrol)
		assert.equal(where(page), '/account/2fa');
	else if (where(page) !== '/account/2fa')
		return;
	const key = base32Decode(await page.locator('main code.utrecht-code').innerText());
	await page.locator('#password').fill(PASSWORD);
	await page.locator('#code').fill(totp(key, Date.now() / 1000));
	await press(page, 'Turn on two-step sign-in');
	await follow(page, 'I have saved my codes: continue');
}
