// assess.test.mjs: the main path of self-assessment and risk management
// (issue 6) in a real browser (Debian's chromium), once with JavaScript off
// and once with it on, each mode in a department of its own with its own
// integrity coordinator:
//
//   - the integrity coordinator starts a self-assessment against the basic
//     norms 2006, fills in the requirements of norm 4 (the three judgements
//     and the maturity of each, a comment, an action point, a link and a file
//     as evidence), reads the file back, sees the scores of the norm and the
//     whole (the arithmetic of src/assess/assess.h, rounded half up), fills
//     in the other norms and signs the assessment off;
//   - the coordinator (coordinating ministry) finds it, never Defence's
//     draft (outside its scope: that page is 404 to it), reviews it, and
//     compares the departments in its scope;
//   - the integrity coordinator opens the department's risk register, adds
//     a process with its SAINT answers (the profile follows) and a risk,
//     and sees the heat map: an SVG image with a text alternative and the
//     same counts in a table beside it; the register's CSV export holds the
//     risk.
//
// Every page reached is checked against WCAG 2.1 A and AA (browser.mjs),
// every step fails on a console error or a request to another host, and at
// the end neither the database file nor the server's log holds the evidence
// file's marker (its name and its bytes are encrypted under the assessment's
// key). The pages are used in English, switched to as a user would.
import { storedBytes } from './server.mjs';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { artifactsDir, assertClean, screenshot, navigate } from './browser.mjs';
import { PASSWORD, browserSuite, facts, follow, h1, notice, press, squash, table, where } from './steps.mjs';

const MODES = [
	{ javaScript: false, tag: 'js-off', org: 'FIN', orgName: 'Financiën', ic: 'ic.off' },
	{ javaScript: true, tag: 'js-on', org: 'IENW', orgName: 'Infrastructuur en Waterstaat', ic: 'ic.on' },
];
const COORDINATOR = { username: 'coordinator', name: 'Carla Coördinator' };
const DEFENCE = { org: 'DEF', orgName: 'Defensie', ic: 'ic.def' };
const YEAR = '2026';
const FRAMEWORK = 'Model approach to the basic standards of integrity';

// Norm 4 (Kwetsbare functies, vulnerable positions) filled in by hand: judgements of design,
// existence and operation and a maturity per requirement. Scores: 4.1
// (100+100+50)/3 = 83.33, 4.2 100, 4.3 (50+0+0)/3 = 16.67, 4.4 (100+50+0)/3
// = 50; the norm 25000/4 centi = 62.50, shown 63 (half up); maturity the
// lower middle of 1, 2, 3, 4: Emerging.
const NORM4 = [
	{ code: '4.1', dims: ['Adequate', 'Adequate', 'Partly'], maturity: 'Established' },
	{ code: '4.2', dims: ['Adequate', 'Adequate', 'Adequate'], maturity: 'Leading' },
	{ code: '4.3', dims: ['Partly', 'Absent', 'Absent'], maturity: 'Nascent' },
	{ code: '4.4', dims: ['Adequate', 'Partly', 'Absent'], maturity: 'Emerging' },
];
const NORM4_SCORE = '63';
// the other twelve norms all adequate: overall (12 x 10000 + 6250) / 13 =
// 9711.54 centi, shown 97
const OVERALL = '97';
const NORMS = 13;
const DIMS = ['Design (opzet)', 'Existence (bestaan)', 'Operation (werking)'];

// The evidence file's marker: found in the database or the log, the file
// would be stored or logged in the clear.
const MARK = randomBytes(6).toString('hex');
const markers = [`bewijs-${MARK}`, `inhoud-${MARK}`];
const evidenceName = (tag) => `screening-${tag}-${markers[0]}.txt`;
const evidenceBody = (tag) => `Overzicht van de screenings van ${tag}; ${markers[1]}.\n`;


const suite = browserSuite({
	orgs: [
		{ code: 'RIJK', name: 'Rijksoverheid', kind: 'government' },
		...MODES.map((m) => ({ code: m.org, name: m.orgName, parent: 'RIJK' })),
		{ code: DEFENCE.org, name: DEFENCE.orgName, parent: 'RIJK', outsideScope: true },
	],
	users: [
		...MODES.map((m) => ({ username: m.ic, name: `Iris Integer ${m.org}`, role: 'integrity_coordinator', org: m.org, password: PASSWORD })),
		{ username: DEFENCE.ic, name: 'Dirk Defensie', role: 'integrity_coordinator', org: DEFENCE.org, password: PASSWORD },
		{ username: COORDINATOR.username, name: COORDINATOR.name, role: 'coordinator', org: 'RIJK', password: PASSWORD },
	],
}, {
	checkLog: (stderr) => {
		for (const m of markers)
			assert.ok(!stderr.includes(m), 'the server\'s log holds the evidence file\'s marker');
	},
});
const { a11y, signIn } = suite;

// Starts the basic norms assessment of YEAR for the viewer's department;
// returns its path.
async function startAssessment(page) {
	await navigate(page, 'Self-assessments');
	assert.equal(where(page), '/zelfevaluaties');
	await follow(page, 'Start a self-assessment');
	assert.equal(where(page), '/zelfevaluaties/nieuw');
	const fw = page.getByLabel('Framework');
	const value = await fw.locator('option', { hasText: FRAMEWORK }).getAttribute('value');
	await fw.selectOption(value);
	await page.getByLabel('Year').fill(YEAR);
	await press(page, 'Start');
	const m = /^\/zelfevaluaties\/(\d+)/.exec(where(page));
	assert.ok(m, `not on the new assessment's page: ${where(page)}`);
	assert.equal(await notice(page), 'The self-assessment was started.');
	return `/zelfevaluaties/${m[1]}`;
}

// The section of one requirement on a norm's page.
const requirement = (page, code) => page.locator('section', { has: page.locator(`h2[id^="req-"]:text-matches("^${code.replace('.', '\\.')}\\\\. ")`) });

// Fills one requirement's judgements and maturity.
async function judge(section, dims, maturity) {
	for (let d = 0; d < 3; d++)
		await section.getByRole('group', { name: DIMS[d] }).getByLabel(dims[d], { exact: true }).check();
	await section.getByLabel('Maturity', { exact: true }).selectOption({ label: maturity });
}

// The scores table of an assessment page as {norm code: {score, change, maturity, counts}}.
async function scores(page) {
	const rows = await table(page, 'Scores per norm or principle');
	return Object.fromEntries(rows.map(([name, score, change, maturity, counts]) =>
		[name.startsWith('Overall') ? 'overall' : name.split('.')[0], { score, change, maturity, counts }]));
}

let defenceAssessment = null; // the path of Defence's draft

describe('Defence keeps its own self-assessment', { timeout: 120000 }, () => {
	it('Defence\'s integrity coordinator starts one, outside the coordinator\'s scope', async (t) => {
		const { context, page, log } = await suite.open(false);
		try {
			await signIn(page, DEFENCE.ic);
			defenceAssessment = await startAssessment(page);
			const f = await facts(page.locator('main dl.probity-facts').first());
			assert.equal(f['Department'], `${DEFENCE.orgName} (${DEFENCE.org})`);
			assert.equal(f['Status'], 'Draft');
			await a11y(t, page, 'Defence\'s new self-assessment');
			assertClean(log);
		} finally {
			await context.close();
		}
	});
});

for (const mode of MODES) {
	describe(`self-assessment and risk register with JavaScript ${mode.javaScript ? 'on' : 'off'}`, { timeout: 300000 }, () => {
		const open = () => suite.open(mode.javaScript);
		const shot = async (t, page, name) => {
			const file = `assess-${name}.${mode.tag}`;
			let saved;
			if (mode.javaScript) {
				saved = path.join(artifactsDir(), `${file}.png`);
				await page.screenshot({ path: saved });
			} else {
				saved = await screenshot(page, file);
			}
			t.diagnostic(`screenshot: ${saved}`);
		};
		const s = {};
		let ic = null;          // {context, page, log}, signed in across the steps
		let coordinator = null;

		after(async () => {
			await ic?.context.close();
			await coordinator?.context.close();
		});

		it('the integrity coordinator starts a self-assessment against the basic norms', async (t) => {
			ic = await open();
			const { page, log } = ic;
			await signIn(page, mode.ic);
			await a11y(t, page, 'the integrity coordinator\'s start page');
			s.url = await startAssessment(page);
			assert.equal(await h1(page), `Self-assessment ${mode.org} ${YEAR}: ${FRAMEWORK}`);
			const f = await facts(page.locator('main dl.probity-facts').first());
			assert.equal(f['Department'], `${mode.orgName} (${mode.org})`);
			assert.equal(f['Status'], 'Draft');
			// nothing judged yet: every norm unscored, sign-off waits for all
			const sc = await scores(page);
			assert.equal(Object.keys(sc).length, NORMS + 1);
			assert.equal(sc['4'].score, 'not assessed');
			assert.match(squash(await page.locator('#step ~ p').first().innerText()), /^49 requirements still need a judgement/);
			await shot(t, page, 'a1-started');
			await a11y(t, page, 'a new self-assessment');
			assertClean(log);
		});

		it('fills in norm 4 with judgements, maturity, a comment, an action point, a link and a file', async (t) => {
			assert.ok(s.url, 'no assessment was started');
			const { page, log } = ic;
			await follow(page, '4. Vulnerable positions');
			assert.match(where(page), new RegExp(`^${s.url}/groepen/\\d+$`));
			s.norm4 = where(page);
			assert.equal(await h1(page), '4. Vulnerable positions');
			await a11y(t, page, 'the form of norm 4');
			for (const r of NORM4)
				await judge(requirement(page, r.code), r.dims, r.maturity);
			s.comment = 'De inventarisatie is van 2023; de herziening loopt met de directies.';
			const r1 = requirement(page, '4.1');
			await r1.getByLabel('Comment', { exact: true }).fill(s.comment);
			s.action = { text: 'Inventarisatie kwetsbare functies herzien', owner: 'Directeur Bedrijfsvoering', due: '2027-06-30' };
			const na = r1.getByRole('group', { name: 'New action point' });
			await na.getByLabel('What', { exact: true }).fill(s.action.text);
			await na.getByLabel('Owner', { exact: true }).fill(s.action.owner);
			await na.getByLabel('Due (YYYY-MM-DD)').fill(s.action.due);
			await na.getByLabel('Status', { exact: true }).selectOption({ label: 'In progress' });
			s.link = `https://intranet.${mode.org.toLowerCase()}.example/integriteit/kwetsbare-functies`;
			await requirement(page, '4.2').getByLabel('Add a link', { exact: true }).fill(s.link);
			await requirement(page, '4.3').getByLabel('Add a file', { exact: true }).setInputFiles({
				name: evidenceName(mode.tag), mimeType: 'text/plain', buffer: Buffer.from(evidenceBody(mode.tag)),
			});
			await press(page, 'Save');
			assert.equal(where(page), `${s.norm4}?done=saved`);
			assert.equal(await notice(page), 'Saved.');
			// what was saved is shown back
			assert.equal(await requirement(page, '4.1').getByLabel('Comment', { exact: true }).inputValue(), s.comment);
			for (const r of NORM4)
				for (let d = 0; d < 3; d++)
					assert.ok(await requirement(page, r.code).getByRole('group', { name: DIMS[d] }).getByLabel(r.dims[d], { exact: true }).isChecked(),
						`${r.code} ${DIMS[d]} is not ${r.dims[d]}`);
			const link = requirement(page, '4.2').getByRole('link', { name: s.link });
			assert.equal(await link.getAttribute('href'), s.link);
			const file = requirement(page, '4.3').getByRole('link', { name: evidenceName(mode.tag) });
			assert.equal(await file.count(), 1, 'the evidence file is not listed');
			assert.equal(squash(await page.locator('main > p').nth(1).innerText()), `Score: ${NORM4_SCORE}`);
			// the file comes back byte for byte, to a holder of the key
			const res = await page.context().request.get(new URL(await file.getAttribute('href'), suite.server.base).href);
			assert.equal(res.status(), 200);
			assert.equal((await res.body()).toString(), evidenceBody(mode.tag));
			await shot(t, page, 'a2-norm4');
			await a11y(t, page, 'norm 4 saved');

			await follow(page, `Self-assessment ${mode.org} ${YEAR}: ${FRAMEWORK}`);
			assert.equal(where(page), s.url);
			const sc = await scores(page);
			assert.deepEqual(sc['4'], { score: NORM4_SCORE, change: '', maturity: 'Emerging', counts: '4 of 4 requirements scored' });
			assert.equal(sc.overall.score, NORM4_SCORE);
			assert.equal(sc.overall.counts, `1 of ${NORMS} norms or principles scored`);
			const actions = await table(page, 'Action points');
			assert.deepEqual(actions, [['4.1', s.action.text, s.action.owner, s.action.due, 'In progress']]);
			await shot(t, page, 'a3-scores');
			await a11y(t, page, 'the scores after norm 4');
			assertClean(log);
		});

		it('fills in the other norms and signs the assessment off', async (t) => {
			assert.ok(s.norm4, 'norm 4 was not filled in');
			const { page, log } = ic;
			const links = await page.locator('table:has(caption:text-is("Scores per norm or principle")) tbody th a')
				.evaluateAll((as) => as.map((a) => ({ name: a.textContent.trim(), href: a.getAttribute('href') })));
			assert.equal(links.length, NORMS);
			for (const l of links) {
				if (l.href === s.norm4)
					continue;
				await page.goto(`${suite.server.base}${l.href}`);
				const sections = page.locator('main section');
				const n = await sections.count();
				assert.ok(n >= 3, `${l.name}: ${n} requirements`);
				for (let i = 0; i < n; i++)
					await judge(sections.nth(i), ['Adequate', 'Adequate', 'Adequate'], 'Established');
				await press(page, 'Save');
				assert.equal(await notice(page), 'Saved.', `${l.name} was not saved`);
			}
			await page.goto(`${suite.server.base}${s.url}`);
			const sc = await scores(page);
			assert.equal(sc.overall.score, OVERALL);
			assert.equal(sc.overall.counts, `${NORMS} of ${NORMS} norms or principles scored`);
			assert.equal(sc['5'].score, '100');
			assert.equal(sc['4'].score, NORM4_SCORE);
			// one line of the requirements export: 4.1 with its comment
			const csv = await page.context().request.get(`${suite.server.base}${s.url}/export.csv`);
			assert.equal(csv.status(), 200);
			assert.match(csv.headers()['content-type'], /^text\/csv/);
			// norm, requirement, text, design, existence, operation, maturity, score, comment, ...
			const text = await csv.text();
			const line = text.split(/\r\n/).find((x) => x.startsWith('4,4.1,'));
			assert.match(line ?? '', /^4,4\.1,.*,adequate,adequate,partly,established,83\.33,/, `the CSV's line of 4.1: ${line}`);
			assert.ok(line.includes(s.comment), `the CSV's line of 4.1 lacks its comment: ${line}`);

			await press(page, 'Sign off');
			assert.equal(where(page).split('?')[0], s.url);
			assert.equal(await notice(page), 'Signed off. The coordinating ministry can now review it.');
			const f = await facts(page.locator('main dl.probity-facts').first());
			assert.equal(f['Status'], 'Signed off, awaiting review');
			assert.match(f['Signed off'], /Iris Integer/);
			// read-only now: the norm's page has no form
			await page.goto(`${suite.server.base}${s.norm4}`);
			assert.equal(await page.getByRole('button', { name: 'Save' }).count(), 0);
			await page.goto(`${suite.server.base}${s.url}`);
			await shot(t, page, 'a4-signed-off');
			await a11y(t, page, 'the signed-off assessment');
			assertClean(log);
		});

		it('the coordinator finds it (never Defence\'s), reviews it and compares the departments in scope', async (t) => {
			assert.ok(s.url, 'no assessment');
			coordinator = await open();
			const { page, log } = coordinator;
			await signIn(page, COORDINATOR.username);
			await navigate(page, 'Self-assessments');
			const rows = await table(page, 'Self-assessments, newest year first');
			assert.ok(rows.some((r) => r[1] === `${mode.orgName} (${mode.org})` && r[3] === 'Signed off, awaiting review'),
				`the list lacks the signed-off assessment: ${JSON.stringify(rows)}`);
			assert.ok(!rows.some((r) => r[1].includes(DEFENCE.org)), 'the coordinator\'s list shows Defence');
			await a11y(t, page, 'the coordinator\'s list of self-assessments');
			// Defence's draft does not exist for the coordinator
			if (defenceAssessment) {
				const r = await page.goto(`${suite.server.base}${defenceAssessment}`);
				assert.equal(r.status(), 404);
				await a11y(t, page, 'Defence\'s assessment, refused to the coordinator');
			}

			await page.goto(`${suite.server.base}${s.url}`);
			s.review = 'Zorgvuldig ingevuld; kwetsbare functies blijven een aandachtspunt.';
			await page.getByLabel('Your review, or your reason to return it').fill(s.review);
			await press(page, 'Review');
			assert.equal(await notice(page), 'Reviewed.');
			const f = await facts(page.locator('main dl.probity-facts').first());
			assert.equal(f['Status'], 'Reviewed');
			assert.equal(f['Review comment'], s.review);
			assert.match(f['Reviewed'], new RegExp(COORDINATOR.name));
			await shot(t, page, 'c1-reviewed');
			await a11y(t, page, 'the reviewed assessment');

			await navigate(page, 'Self-assessments');
			await follow(page, 'Compare departments');
			const fw = page.getByLabel('Framework');
			await fw.selectOption(await fw.locator('option', { hasText: FRAMEWORK }).getAttribute('value'));
			await page.getByLabel('Year').fill(YEAR);
			await press(page, 'Show');
			const cmp = await page.locator('main table tbody tr').evaluateAll((trs) => trs.map((tr) =>
				[...tr.children].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
			// every department in scope, in code order; never Defence
			const depts = cmp.map((r) => r[0]);
			assert.deepEqual(depts, MODES.map((m) => `${m.orgName} (${m.org})`).sort((a, b) =>
				a.slice(a.lastIndexOf('(')).localeCompare(b.slice(b.lastIndexOf('(')))));
			const mine = cmp.find((r) => r[0] === `${mode.orgName} (${mode.org})`);
			assert.equal(mine[4], NORM4_SCORE, 'norm 4 in the comparison');
			assert.equal(mine[mine.length - 1], OVERALL, 'the overall score in the comparison');
			await shot(t, page, 'c2-compare');
			await a11y(t, page, 'the comparison across departments');
			assertClean(log, defenceAssessment ? [/^status 404 for GET .*\/zelfevaluaties\/\d+$/, /^console: .*status of 404/] : []);
			log.errors.length = 0;
		});

		it('the integrity coordinator adds a process with its SAINT answers and a risk, and sees the heat map', async (t) => {
			const { page, log } = ic;
			await page.goto(`${suite.server.base}/start`);
			await navigate(page, 'Risks');
			// one department: the register itself, or a list with it
			if (!/^\/risicos\/\d+$/.test(where(page)))
				await follow(page, `${mode.orgName} (${mode.org})`);
			const m = /^\/risicos\/(\d+)$/.exec(where(page));
			assert.ok(m, `not on a register: ${where(page)}`);
			s.register = m[0];
			assert.equal(await h1(page), `Risk register of ${mode.orgName} (${mode.org})`);
			await a11y(t, page, 'an empty risk register');

			// a process: payments and money, strongly enhanced: inherent
			// medium (2), enhancing high (3+2+1+2+3 = 11), profile high (2 x 1 + 2)
			await page.goto(`${suite.server.base}${s.register}/processen/nieuw`);
			await a11y(t, page, 'the form of a new process');
			s.process = 'Subsidieverlening';
			await page.getByLabel('Name', { exact: true }).fill(s.process);
			await page.getByLabel('Description').fill('Subsidies aan bedrijven en instellingen.');
			await page.getByLabel('Relations with the environment: Payments (subsidies, benefits, allowances)', { exact: true }).check();
			await page.getByLabel('Managing public property: Money', { exact: true }).check();
			for (const [label, v] of [['Complexity', '3'], ['Change and dynamics', '2'], ['Management', '1'], ['Personnel', '2'], ['Problem history', '3']])
				await page.getByLabel(label, { exact: true }).selectOption(v);
			await press(page, 'Save');
			assert.equal(where(page).split('?')[0], s.register);
			const procs = await table(page, 'Processes and their vulnerability (SAINT)');
			assert.deepEqual(procs, [[s.process, 'Payments (subsidies, benefits, allowances); Money', '11', 'high (inherent medium, enhancing high)']]);

			// a risk of that process, inherent 4 x 5, residual 2 x 3
			await page.goto(`${suite.server.base}${s.register}/risicos/nieuw`);
			await a11y(t, page, 'the form of a new risk');
			s.risk = 'Subsidie aan een bekende van de beoordelaar';
			await page.getByLabel('Title', { exact: true }).fill(s.risk);
			await page.getByLabel('Process', { exact: true }).selectOption({ label: s.process });
			const cat = page.getByLabel('Category of integrity violation');
			await cat.selectOption(await cat.locator('option', { hasText: 'Misuse of position and conflict of interest' }).getAttribute('value'));
			const inh = page.getByRole('group', { name: 'Inherent risk (before controls)' });
			const res = page.getByRole('group', { name: 'Residual risk (after controls)' });
			await inh.getByLabel('Likelihood', { exact: true }).selectOption('4');
			await inh.getByLabel('Impact', { exact: true }).selectOption('5');
			await res.getByLabel('Likelihood', { exact: true }).selectOption('2');
			await res.getByLabel('Impact', { exact: true }).selectOption('3');
			await page.getByLabel('Treatment', { exact: true }).selectOption('reduce');
			await page.getByLabel('Owner', { exact: true }).fill('Directeur Financiering');
			await press(page, 'Save');
			assert.equal(where(page).split('?')[0], s.register);

			// the heat map: an image with a text alternative, and the same
			// counts as a table: one residual risk at likelihood 2, impact 3
			const svg = page.locator('main svg[role="img"]');
			assert.equal(await svg.count(), 1, 'no heat map image');
			assert.ok(await svg.getAttribute('aria-labelledby'), 'the heat map has no accessible name');
			assert.ok(squash(await svg.locator('title').first().textContent()).length > 0, 'the heat map has no title');
			const cells = await table(page, 'Open risks per cell, after controls');
			const row2 = cells.find((r) => r[0].startsWith('2'));
			assert.match(row2[3], /^1 \(midden\)$/);
			assert.equal(cells.flat().filter((c) => /^[1-9]\d* \(/.test(c)).length, 1, 'more than one cell holds a risk');
			// the image as its own document, well-formed with its title
			const img = await page.context().request.get(`${suite.server.base}${s.register}/heatmap.svg`);
			assert.equal(img.status(), 200);
			assert.match(img.headers()['content-type'], /^image\/svg\+xml/);
			assert.match(await img.text(), /<title[^>]*>[^<]+<\/title>/);
			await shot(t, page, 'r1-register');
			await a11y(t, page, 'the register with a process, a risk and the heat map');

			// the register's CSV export holds the risk with its process
			const href = await page.getByRole('link', { name: 'risks (CSV)' }).getAttribute('href');
			const csv = await page.context().request.get(new URL(href, suite.server.base).href);
			assert.equal(csv.status(), 200);
			const line = (await csv.text()).split(/\r\n/).find((x) => x.includes(s.risk));
			assert.ok(line && line.includes(s.process), `the CSV has no line for the risk: ${line}`);
			assertClean(log);
		});
	});
}

describe('afterwards', () => {
	it('the evidence file is in neither the database nor its log in plaintext', () => {
		const stored = storedBytes(suite.server);
		// a control: what is stored in the clear by design is found
		assert.notEqual(stored.indexOf('Directeur Bedrijfsvoering'), -1, 'the action point\'s owner is not in the database files read');
		for (const m of markers)
			for (const enc of ['utf8', 'utf16le'])
				assert.equal(stored.indexOf(Buffer.from(m, enc)), -1, `the database holds the evidence file's marker (${enc})`);
	});
});
