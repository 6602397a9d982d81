// monitor.test.mjs: the coordinator's dashboard (issue 7 item 1) in a real
// browser (Debian's chromium), once with JavaScript off and once with it on,
// each with a coordinator of its own:
//
//   - registers of 2024 are imported (as an administrator would, with
//     `probity import registrations` against the running server's database:
//     the command is made for a live database) for FIN (12), BZK (3), IENW
//     (9) and Defence (8), which is outside the coordinator's scope;
//   - the coordinator opens the dashboard from the main navigation, asks for
//     a year that is not one and gets a plain message on the field, then
//     2024: its figures say they come from the registers, BZK's 3 reads
//     "< 5" in the table and the chart's table, no total includes Defence's
//     8 and Defence is named nowhere; the chart is an image with an
//     accessible name; the assessment scores, the risk heat and the trends
//     (five years, a chart of their own, BZK's "< 5" again) are on the page;
//     the radio "Mapped onto today's departments" shows the same year under
//     today's departments.
//
// Every page reached is checked against WCAG 2.1 A and AA (browser.mjs), and
// every step fails on a console error or a request to another host.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { a11yChecker, artifactsDir, assertClean, launchBrowser, openPage, screenshot, navigate } from './browser.mjs';
import { probityBinary, startServer } from './server.mjs';
import { base32Decode, totp } from './totp.mjs';

const PASSWORD = 'lange zin over tulpen 42';
const MODES = [
	{ javaScript: false, tag: 'js-off', user: 'co.off' },
	{ javaScript: true, tag: 'js-on', user: 'co.on' },
];
const YEAR = '2024';
const REGISTERED = { FIN: 12, BZK: 3, IENW: 9, DEF: 8 };

let server;
let browser;
let checker;

// A register of YEAR as Dutch Excel saves it: each department's violations,
// established, with a written reprimand.
function registerFile() {
	const lines = ['Organisatie;Datum ontvangst;Categorie;Taxonomieversie;Uitkomst;Maatregel;Aangifte'];
	for (const [org, n] of Object.entries(REGISTERED))
		for (let i = 0; i < n; i++)
			lines.push(`${org};${1 + i}-3-${YEAR};1;1;vastgesteld;written_reprimand;nee`);
	return lines.join('\r\n') + '\r\n';
}

before(async () => {
	server = await startServer({
		orgs: [
			{ code: 'RIJK', name: 'Rijksoverheid', kind: 'government' },
			{ code: 'FIN', name: 'Financiën', parent: 'RIJK' },
			{ code: 'BZK', name: 'Binnenlandse Zaken', parent: 'RIJK' },
			{ code: 'IENW', name: 'Infrastructuur en Waterstaat', parent: 'RIJK' },
			{ code: 'DEF', name: 'Defensie', parent: 'RIJK', outsideScope: true },
		],
		users: MODES.map((m) => ({ username: m.user, name: `Carla ${m.tag}`, role: 'coordinator', org: 'RIJK', password: PASSWORD })),
	});
	const dir = mkdtempSync(path.join(tmpdir(), 'probity-e2e-reg-'));
	try {
		const file = path.join(dir, 'registraties.csv');
		writeFileSync(file, registerFile());
		const r = spawnSync(probityBinary(), ['import', 'registrations', file, '--db', server.db], { encoding: 'utf8', timeout: 60000 });
		assert.equal(r.status, 0, `import registrations: ${r.stderr}${r.stdout}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	browser = await launchBrowser();
	checker = await a11yChecker(browser);
	console.log(`browser ${browser.version()}, server ${server.base}, screenshots in ${artifactsDir()}`);
});

after(async () => {
	let stopped;
	try {
		await checker?.close();
		await browser?.close();
	} finally {
		stopped = await server?.stop();
	}
	if (!stopped)
		return;
	const { status, stderr } = stopped;
	assert.equal(status, 0, `probity serve did not stop cleanly on SIGTERM: ${stderr.slice(-4000)}`);
	assert.doesNotMatch(stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, 'sanitizer report from the server');
});

const where = (page) => {
	const u = new URL(page.url());
	return u.pathname + u.search;
};
const a11y = (t, page, label) => checker.check(page, label, (msg) => t.diagnostic(msg));
const squash = (s) => s.replace(/\s+/g, ' ').trim();

async function press(page, name, scope = page) {
	await Promise.all([
		page.waitForEvent('load'),
		scope.getByRole('button', { name, exact: true }).click(),
	]);
}
async function follow(page, name, scope = page) {
	await Promise.all([
		page.waitForEvent('load'),
		scope.getByRole('link', { name, exact: true }).click(),
	]);
}
// The rows of the table with this accessible name, each as its cells' texts.
async function table(page, caption) {
	const t = page.getByRole('table', { name: caption, exact: true });
	assert.equal(await t.count(), 1, `no table "${caption}"`);
	return t.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
		[...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
}
const row = (rows, code) => rows.find((r) => r[0].endsWith(`(${code})`));

// Signs in; the coordinator sets up the authenticator first.
async function signIn(page, username) {
	await page.goto(`${server.base}/login`);
	await press(page, 'English');
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(PASSWORD);
	await press(page, 'Sign in');
	if (where(page) !== '/account/2fa')
		return;
	const key = base32Decode(await page.locator('main code.utrecht-code').innerText());
	await page.locator('#password').fill(PASSWORD);
	await page.locator('#code').fill(totp(key, Date.now() / 1000));
	await press(page, 'Turn on two-step sign-in');
	await follow(page, 'I have saved my codes: continue');
}

for (const mode of MODES) {
	describe(`the dashboard with JavaScript ${mode.javaScript ? 'on' : 'off'}`, { timeout: 180000 }, () => {
		it('shows a year\'s figures with small counts hidden and Defence nowhere', async (t) => {
			const { context, page, log } = await openPage(browser, { javaScript: mode.javaScript, base: server.base });
			try {
				await signIn(page, mode.user);
				await navigate(page, 'Dashboard');
				assert.equal(where(page), '/monitor');
				assert.equal(await page.locator('h1').innerText(), 'Dashboard');
				await a11y(t, page, 'the dashboard, last year');

				// a year that is not one: a plain message on the field
				await page.getByLabel('Year', { exact: true }).fill('20x4');
				await press(page, 'Show');
				assert.match(squash(await page.locator('#jaar-fout').innerText()), /^The year is not valid/);
				assert.equal(await page.getByLabel('Year', { exact: true }).getAttribute('aria-invalid'), 'true');
				await a11y(t, page, 'the dashboard, a refused year');

				await page.getByLabel('Year', { exact: true }).fill(YEAR);
				await press(page, 'Show');
				// the form sends the framework and the tree with the year
				assert.equal(where(page), `/monitor?jaar=${YEAR}&kader=basisnormen-2006&boom=toen`);
				const main = squash(await page.locator('main').innerText());
				assert.match(main, /come from the registers/);
				assert.ok(!main.includes('DEF') && !main.includes('Defensie'), 'Defence is named on the dashboard');

				const cases = await table(page, 'Registered violations by outcome');
				assert.equal(row(cases, 'BZK')[1], '< 5');
				// another count of BZK's column is hidden too, so that the
				// total does not give BZK's away
				assert.ok(['FIN', 'IENW'].some((c) => !/^\d+$/.test(row(cases, c)[1])), 'only BZK hidden in its column');
				assert.ok(!row(cases, 'DEF'));
				const total = cases.find((r) => r[0] === 'Total');
				// 12 + 3 + 9; never with Defence's 8
				assert.ok(['24', 'hidden'].includes(total[1]), `total ${total[1]}`);

				const chartRows = await table(page, 'The chart\'s numbers');
				assert.equal(row(chartRows, 'BZK')[1], '< 5');
				const svg = page.getByRole('img', { name: `Established violations per department in ${YEAR}` });
				assert.equal(await svg.count(), 1);
				assert.equal(await svg.locator('rect').count(), cases.filter((r) => r[0] !== 'Total' && /^\d+$/.test(r[1]) && r[1] !== '0').length);

				// the scores, the risk heat and the trends, with their chart
				const scores = await table(page, `Self-assessments signed off or reviewed up to ${YEAR}: Model approach to the basic standards of integrity`);
				assert.equal(row(scores, 'FIN')[1], 'not assessed');
				assert.ok(!row(scores, 'DEF'));
				const heat = await table(page, 'Open risks by residual band, today');
				assert.ok(!row(heat, 'DEF'));
				const years = await table(page, 'Government-wide figures per year');
				assert.equal(years.length, 5);
				assert.equal(years[4][0], YEAR);
				assert.equal(years[4][2], total[1]); // the cases table's total, never with Defence
				const trend = page.getByRole('img', { name: `Reports received and violations established, ${Number(YEAR) - 4}–${YEAR}` });
				assert.equal(await trend.count(), 1);
				const perDept = await table(page, 'Violations established per department and year');
				assert.equal(row(perDept, 'BZK')[5], '< 5');
				assert.ok(!row(perDept, 'DEF'));

				const shot = `monitor-dashboard.${mode.tag}`;
				if (mode.javaScript)
					await page.screenshot({ path: path.join(artifactsDir(), `${shot}.png`), fullPage: true });
				else
					await screenshot(page, shot);
				await a11y(t, page, `the dashboard, ${YEAR}`);
				// mapped onto today's departments: a radio of the same form
				await page.getByLabel('Mapped onto today\'s departments').check();
				await press(page, 'Show');
				assert.equal(where(page), `/monitor?jaar=${YEAR}&kader=basisnormen-2006&boom=nu`);
				assert.equal(await page.getByLabel('Mapped onto today\'s departments').isChecked(), true);
				assert.equal(row(await table(page, 'Registered violations by outcome'), 'BZK')[1], '< 5');
				await a11y(t, page, `the dashboard, ${YEAR}, today's departments`);
				assertClean(log, [/status 422 for GET .*\/monitor\?jaar=20x4/, /console: Failed to load resource: .*status of 422.*jaar=20x4/]);
			} finally {
				await context.close();
			}
		});
	});
}
