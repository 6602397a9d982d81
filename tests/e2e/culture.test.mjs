// culture.test.mjs: the culture indicators page /cultuur (issue 7 item 8) in
// a real browser (Debian's chromium), once with JavaScript off and once with
// it on, each with a coordinator of its own:
//
//   - survey figures like the demo's (data/demo/culture.csv: the four
//     indicators for 2020, 2022 and 2024, Dutch decimal commas) are imported
//     for FIN, BZK and Defence, which is outside the coordinator's scope, and
//     registers of 2024 for FIN (7), BZK (3) and Defence (8), with `probity
//     import culture` and `probity import registrations` against the running
//     server's database, as an administrator would;
//   - the coordinator opens the page from the main navigation: a section per
//     department with a chart and its table; FIN's figures read as imported,
//     BZK's 3 violations as "< 5", Defence is named nowhere; each chart is an
//     image whose accessible name is its SVG title, described by its desc,
//     with a line per indicator and a legend naming each in words;
//   - with JavaScript off, FIN's integrity coordinator sees FIN only.
//
// Every page reached is checked against WCAG 2.1 A and AA (browser.mjs), and
// every step fails on a console error or a request to another host.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { artifactsDir, assertClean, screenshot, navigate } from './browser.mjs';
import { PASSWORD, browserSuite, importFile, registerCsv, squash, where } from './steps.mjs';

const MODES = [
	{ javaScript: false, tag: 'js-off', user: 'co.off' },
	{ javaScript: true, tag: 'js-on', user: 'co.on' },
];
const INDICATORS = ['would_report', 'safe_to_speak', 'knows_adviser', 'dilemma_talks'];
// per department and year the four indicators' percentages, as the demo's
const FIGURES = {
	FIN: { 2020: ['68,4', '55,1', '61,0', '40,2'], 2022: ['70,5', '57,3', '64,8', '42,0'], 2024: ['72,1', '58,9', '66,2', '45,5'] },
	BZK: { 2020: ['63,0', '50,7', '58,8', '37,9'], 2022: ['64,2', '52,0', '60,1', '39,4'], 2024: ['66,6', '53,3', '61,7', '41,0'] },
	DEF: { 2020: ['59,9', '47,5', '70,3', '35,2'], 2022: ['61,1', '48,8', '71,0', '36,6'], 2024: ['62,4', '49,9', '72,2', '38,1'] },
};
const REGISTERED = { FIN: 7, BZK: 3, DEF: 8 };

function cultureFile() {
	const lines = ['Organisatie;Jaar;Indicator;Waarde;Respondenten;Bron'];
	for (const [org, years] of Object.entries(FIGURES))
		for (const [year, values] of Object.entries(years))
			values.forEach((v, i) => lines.push(`${org};${year};${INDICATORS[i]};${v};${120 + i};Personeelsenquête Rijk ${year}`));
	return lines.join('\r\n') + '\r\n';
}

const { a11y, open, signIn } = browserSuite({
	orgs: [
		{ code: 'RIJK', name: 'Rijksoverheid', kind: 'government' },
		{ code: 'FIN', name: 'Financiën', parent: 'RIJK' },
		{ code: 'BZK', name: 'Binnenlandse Zaken', parent: 'RIJK' },
		{ code: 'DEF', name: 'Defensie', parent: 'RIJK', outsideScope: true },
	],
	users: [
		...MODES.map((m) => ({ username: m.user, name: `Carla ${m.tag}`, role: 'coordinator', org: 'RIJK', password: PASSWORD })),
		{ username: 'ic.fin', name: 'Ivo Integer', role: 'integrity_coordinator', org: 'FIN', password: PASSWORD },
	],
}, {
	prepare: (server) => {
		importFile(server, 'culture', 'cultuur.csv', cultureFile());
		importFile(server, 'registrations', 'registraties.csv', registerCsv(REGISTERED, '2024'));
	},
});

// The body rows of a department's table, each as its cells' texts.
async function rows(page, code) {
	const t = page.locator(`#cultuur-${code}-tabel`);
	assert.equal(await t.count(), 1, `no table for ${code}`);
	return t.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
		[...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
}

// The chart of code: an image named by its SVG title, described by its desc,
// a line per indicator.
async function checkChart(page, code) {
	const name = `Culture indicators of ${code} over the years`;
	// aria-labelledby names the title alone, aria-describedby the desc: the
	// name is the title, not the two run together
	const img = page.getByRole('img', { name, exact: true });
	const svgs = await page.locator('svg').evaluateAll((e) => e.map((x) => x.outerHTML.slice(0, 600)));
	assert.equal(await img.count(), 1, `no chart named "${name}": ${svgs.join('\n')}`);
	const svg = page.locator(`svg[aria-labelledby="cultuur-${code}-titel"][aria-describedby="cultuur-${code}-uitleg"]`);
	assert.equal(await svg.count(), 1);
	assert.equal(await svg.locator('> title').textContent(), name);
	assert.match(await svg.locator('> desc').textContent(), /^A line per indicator/);
	// the legend names each indicator in words, not by its code
	const legend = await svg.locator('> text').allTextContents();
	assert.ok(legend.includes('Would report a suspicion of wrongdoing'), legend.join(' | '));
	assert.ok(!legend.includes('would_report'), legend.join(' | '));
	assert.equal(await svg.locator('polyline').count(), INDICATORS.length);
	// three years: a point per indicator and year
	assert.equal(await svg.locator('circle').count() + await svg.locator('rect[width="8"]').count(), 3 * INDICATORS.length);
}

for (const mode of MODES) {
	describe(`the culture indicators with JavaScript ${mode.javaScript ? 'on' : 'off'}`, { timeout: 180000 }, () => {
		it('shows each department\'s trends and table, small counts hidden, Defence nowhere', async (t) => {
			const { context, page, log } = await open(mode.javaScript);
			try {
				await signIn(page, mode.user);
				await navigate(page, 'Culture');
				assert.equal(where(page), '/cultuur');
				assert.equal(await page.locator('h1').innerText(), 'Culture indicators');
				const headings = await page.locator('main h2').allInnerTexts();
				assert.deepEqual(headings.map(squash), ['Binnenlandse Zaken (BZK)', 'Financiën (FIN)']);
				const main = squash(await page.locator('main').innerText());
				assert.ok(!main.includes('DEF') && !main.includes('Defensie'), 'Defence is named on the page');
				assert.equal(await page.locator('#cultuur-DEF-tabel').count(), 0);

				const fin = await rows(page, 'FIN');
				assert.deepEqual(fin.map((r) => r[0]), ['2020', '2022', '2024']);
				// the imported figures with a decimal point in English, in the list's order
				assert.deepEqual(fin[1].slice(1, 5), FIGURES.FIN[2022].map((v) => v.replace(',', '.')));
				assert.equal(fin[2][6], '7');
				const bzk = await rows(page, 'BZK');
				assert.equal(bzk[2][6], '< 5');
				await checkChart(page, 'FIN');
				await checkChart(page, 'BZK');

				const shot = `culture.${mode.tag}`;
				if (mode.javaScript)
					await page.screenshot({ path: path.join(artifactsDir(), `${shot}.png`), fullPage: true });
				else
					await screenshot(page, shot);
				await a11y(t, page, 'the culture indicators');
				assertClean(log);
			} finally {
				await context.close();
			}
		});
		if (!mode.javaScript)
			it('shows a department\'s integrity coordinator its own department only', async (t) => {
				const { context, page, log } = await open(false);
				try {
					await signIn(page, 'ic.fin');
					await navigate(page, 'Culture');
					const headings = await page.locator('main h2').allInnerTexts();
					assert.deepEqual(headings.map(squash), ['Financiën (FIN)']);
					await checkChart(page, 'FIN');
					await a11y(t, page, 'the culture indicators, one department');
					assertClean(log);
				} finally {
					await context.close();
				}
			});
	});
}
