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
import path from 'node:path';
import { describe, it } from 'node:test';

import { artifactsDir, assertClean, screenshot, navigate } from './browser.mjs';
import { PASSWORD, browserSuite, importFile, registerCsv, press, squash, table, where } from './steps.mjs';

const MODES = [
	{ javaScript: false, tag: 'js-off', user: 'co.off' },
	{ javaScript: true, tag: 'js-on', user: 'co.on' },
];
const YEAR = '2024';
const REGISTERED = { FIN: 12, BZK: 3, IENW: 9, DEF: 8 };

const { a11y, open, signIn } = browserSuite({
	orgs: [
		{ code: 'RIJK', name: 'Rijksoverheid', kind: 'government' },
		{ code: 'FIN', name: 'Financiën', parent: 'RIJK' },
		{ code: 'BZK', name: 'Binnenlandse Zaken', parent: 'RIJK' },
		{ code: 'IENW', name: 'Infrastructuur en Waterstaat', parent: 'RIJK' },
		{ code: 'DEF', name: 'Defensie', parent: 'RIJK', outsideScope: true },
	],
	users: MODES.map((m) => ({ username: m.user, name: `Carla ${m.tag}`, role: 'coordinator', org: 'RIJK', password: PASSWORD })),
}, {
	prepare: (server) => importFile(server, 'registrations', 'registraties.csv', registerCsv(REGISTERED, YEAR)),
});

const row = (rows, code) => rows.find((r) => r[0].endsWith(`(${code})`));

for (const mode of MODES) {
	describe(`the dashboard with JavaScript ${mode.javaScript ? 'on' : 'off'}`, { timeout: 180000 }, () => {
		it('shows a year\'s figures with small counts hidden and Defence nowhere', async (t) => {
			const { context, page, log } = await open(mode.javaScript);
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
