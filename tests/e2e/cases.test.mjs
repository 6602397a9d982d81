// cases.test.mjs: the main path of case handling in a real browser (Debian's
// chromium), once with JavaScript off and once with it on: two reports arrive
// through the API; the integrity coordinator signs in with two steps,
// acknowledges one, opens a case from its page, adds the other report to the
// case and the investigator to the team, and is refused a move out of the
// intake before its checklist and record are there; the investigator signs in,
// finds the case, reads both reports through it (the confidential reporter's
// identity too), ticks off the intake's required checklist items, writes the
// intake summary and moves the case to the decision, and is refused moving it
// on from there (not a mover of that phase); the coordinator completes the
// decision phase and moves the case into the investigation; the investigator
// adds the person concerned and records that they were informed; "Due and
// overdue" and the case list show the case's investigation term, for both of
// them, and the coordinator also under the department. Every page reached is
// checked against WCAG 2.1 A and AA (browser.mjs), every step fails on a
// console error or a request to another host, and at the end neither the
// database file nor the server's log holds any text the test typed or sent.
//
// The pages are used in English (the language switch, pressed as a user
// would), as in report.test.mjs. Each mode works in its own department with its
// own coordinator and investigator, so that each one's lists hold that mode's
// case and reports only.
import { storedBytes } from './server.mjs';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { artifactsDir, assertClean, screenshot, navigate } from './browser.mjs';
import { PASSWORD, browserSuite, facts, follow, h1, notice, press, squash, where } from './steps.mjs';

const MODES = [
	{ javaScript: false, tag: 'js-off', org: 'FIN', orgName: 'Financiën' },
	{ javaScript: true, tag: 'js-on', org: 'BZK', orgName: 'Binnenlandse Zaken' },
].map((m) => ({ ...m, coordinator: `ivo.${m.tag.replace('js-', '')}`, investigator: `olga.${m.tag.replace('js-', '')}` }));
const COORDINATOR_NAME = 'Ivo Integer';
const INVESTIGATOR_NAME = 'Olga Onderzoek';

// The protocol's texts the pages show (data/protocols/onderzoeksprotocol-v1.json).
const PHASE = {
	intake: 'Intake and preliminary inquiry',
	decision: 'Decision whether to investigate',
	investigation: 'Investigation',
};
const INTAKE_REQUIRED = [
	'Checked whether the report falls under this protocol',
	'Checked that no one on the case team is involved in the report',
	'Available facts and documents gathered',
	'Considered whether a report to the police is needed',
];
const DECISION_REQUIRED = [
	'The competent authority has decided whether to investigate',
	'Reporter told about the follow-up, as far as possible',
];
const RECORD = {
	intake: { id: 'intake_summary', title: 'Summary of the intake and preliminary inquiry' },
	decision: { id: 'decision_memo', title: 'Decision on whether to investigate' },
};

// Texts no page shows unless the test typed them: found in the database or
// the log, they would be plaintext that must never be stored or logged.
const MARK = randomBytes(6).toString('hex');
const markers = [];
const secret = (label) => {
	const m = `${label}-${MARK}-${markers.length}`;
	markers.push(m);
	return m;
};


const users = [];
for (const m of MODES) {
	users.push({ username: m.coordinator, name: COORDINATOR_NAME, role: 'integrity_coordinator', org: m.org, password: PASSWORD });
	users.push({ username: m.investigator, name: INVESTIGATOR_NAME, role: 'investigator', org: m.org, password: PASSWORD });
}
const suite = browserSuite({
	orgs: [
		{ code: 'RIJK', name: 'Rijksoverheid', kind: 'government' },
		...MODES.map((m) => ({ code: m.org, name: m.orgName, parent: 'RIJK' })),
	],
	users,
}, {
	checkLog: (stderr) => {
		for (const m of markers)
			assert.ok(!stderr.includes(m), `the server's log holds a text the test typed (${m.split('-')[0]})`);
	},
});
const { a11y } = suite;
// each test's users are first-time users of roles that need two steps
const signIn = (page, username) => suite.signIn(page, username, { mustEnrol: true });

// Dates as the server counts them: calendar days of the local time zone.
function addDays(date, n) {
	const [y, m, d] = date.split('-').map(Number);
	const x = new Date(y, m - 1, d + n);
	const p = (k) => String(k).padStart(2, '0');
	return `${x.getFullYear()}-${p(x.getMonth() + 1)}-${p(x.getDate())}`;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const nav = (page) => page.getByRole('navigation', { name: 'Main navigation' });
// The texts of a list of <li> (squashed) under a heading of the case page.
async function listAfter(page, heading) {
	return (await page.locator(`h3:text-is("${heading}") + ul > li`).allInnerTexts()).map(squash);
}

// The case page's checklist as [{text, done, required}].
async function checklist(page) {
	return page.locator('#checklist + ul > li').evaluateAll((lis) => lis.map((li) => {
		const text = li.cloneNode(true);
		for (const x of text.querySelectorAll('form, strong, .probity-optional'))
			x.remove();
		return {
			text: text.textContent.replace(/\s+/g, ' ').trim(),
			done: li.querySelector('strong').textContent.trim() === 'Done:',
			required: !!li.querySelector('.probity-optional'),
		};
	}));
}

// Ticks off the given items of the current phase's checklist, one form each.
async function tick(page, items) {
	for (const item of items) {
		await press(page, `Mark as done: ${item}`);
		assert.match(where(page), /^\/zaken\/\d+\?done=check$/);
		assert.equal(await notice(page), 'The checklist was updated.');
	}
	const done = (await checklist(page)).filter((c) => c.done).map((c) => c.text);
	for (const item of items)
		assert.ok(done.includes(item), `"${item}" is not ticked off: ${done}`);
}

async function addRecord(page, record, text) {
	await page.getByLabel('Kind of record').selectOption(record.id);
	await page.getByRole('textbox', { name: 'Text of the record' }).fill(text);
	await press(page, 'Add record');
	assert.match(where(page), /^\/zaken\/\d+\?done=record$/);
	assert.equal(await notice(page), 'The record was added.');
	const article = page.locator('#records ~ article.probity-message', { hasText: text });
	assert.equal(await article.count(), 1, 'the record is not listed');
	assert.match(squash(await article.locator('.probity-message__meta').innerText()),
		new RegExp(`^${escapeRe(record.title)}, `));
	assert.equal(squash(await article.locator('.probity-pre').innerText()), text);
	assert.ok((await listAfter(page, 'Records this phase requires')).includes(`${record.title}: in the case`));
}

// The phase the case page says the case is in.
const phaseHeading = async (page) => squash(await page.locator('h2#phase').innerText());

for (const mode of MODES) {
	describe(`case handling with JavaScript ${mode.javaScript ? 'on' : 'off'}`, { timeout: 240000 }, () => {
		const open = () => suite.open(mode.javaScript);
		// whole pages with JavaScript off; with it on only what the window
		// shows: the documents are the same (browser.mjs checks that they
		// have no script), and a whole case page (6,000 pixels high) costs
		// a second or more to take, which for both modes would take the test
		// past its time budget
		const shot = async (t, page, name) => {
			const file = `cases-${name}.${mode.tag}`;
			let saved;
			if (mode.javaScript) {
				saved = path.join(artifactsDir(), `${file}.png`);
				await page.screenshot({ path: saved });
			} else {
				saved = await screenshot(page, file);
			}
			t.diagnostic(`screenshot: ${saved}`);
		};
		const s = {
			// report A: confidential, with the reporter's identity; B: anonymous
			descriptionA: `Declaraties worden dubbel uitbetaald; ${secret('descriptionA')}.`,
			identityA: `Jan Jansen, 06-12345678, ${secret('identity')}`,
			descriptionB: `Dezelfde declaraties, ook in april; ${secret('descriptionB')}.`,
			intakeSummary: `De melding valt onder het protocol; ${secret('intake')}.`,
			decisionMemo: `Het bevoegd gezag besluit tot onderzoek; ${secret('decision')}.`,
			personName: `Piet Betrokken ${secret('person')}`,
			personFunction: `Teamleider ${secret('function')}`,
			personContact: `p.betrokken@example.org ${secret('contact')}`,
		};
		let coordinator = null; // {context, page, log}, kept signed in across the steps
		let investigator = null;

		after(async () => {
			await coordinator?.context.close();
			await investigator?.context.close();
		});

		it('two reports arrive through the API: one confidential, one anonymous', async () => {
			const send = async (body) => {
				const r = await fetch(`${suite.server.base}/api/v1/reports`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				});
				const json = await r.json();
				assert.equal(r.status, 201, `POST /api/v1/reports: ${JSON.stringify(json)}`);
				assert.match(json.receipt, /^[0-9a-z]{4}(-[0-9a-z]{4}){4}-[0-9a-z]{2}$/);
				return json;
			};
			const a = await send({
				organisation: mode.org, kind: 'integrity_violation', mode: 'confidential', identity: s.identityA,
				answers: { kind: 'integrity_violation', description: s.descriptionA, when: '2024-03-01', contact: 'messages' },
			});
			await send({
				organisation: mode.org, kind: 'integrity_violation', mode: 'anonymous',
				answers: { kind: 'integrity_violation', description: s.descriptionB, contact: 'messages' },
			});
			s.received = a.received_on;
		});

		it('the coordinator signs in, acknowledges a report, opens a case from it, adds the other report and the investigator', async (t) => {
			assert.ok(s.received, 'no report was sent');
			coordinator = await open();
			const { page, log } = coordinator;
			await signIn(page, mode.coordinator);
			assert.equal(where(page), '/start/integrity-coordinator');
			await shot(t, page, 'c0-start');
			await a11y(t, page, 'the integrity coordinator\'s start page');

			// the inbox: both reports, neither acknowledged; the older is A
			await navigate(page, 'Inbox');
			const rows = page.locator('table.probity-inbox tbody tr');
			assert.equal(await rows.count(), 2, 'the inbox should hold exactly this mode\'s two reports');
			const numbers = (await rows.getByRole('link').allInnerTexts()).map((x) => Number(x.replace(/^Report /, '')));
			[s.reportA, s.reportB] = numbers.sort((x, y) => x - y);
			for (const r of await rows.allInnerTexts())
				assert.match(squash(r), /Received; not yet acknowledged/);
			await shot(t, page, 'c1-inbox');
			await a11y(t, page, 'the inbox');

			// report A: acknowledge it
			await follow(page, `Report ${s.reportA}`, rows);
			assert.equal(where(page), `/meldingen/${s.reportA}`);
			const answers = await facts(page.locator('dl.probity-answers'));
			assert.equal(answers['Describe what happened'], s.descriptionA);
			await shot(t, page, 'c2-report');
			await a11y(t, page, 'the report page');
			await press(page, 'Record acknowledgement of receipt');
			assert.equal(where(page), `/meldingen/${s.reportA}?done=ack`);
			const clocks = await facts(page.locator('main dl.probity-facts').nth(1));
			assert.match(clocks['Acknowledgement of receipt'], /^Done on \d{4}-\d{2}-\d{2}$/);
			assert.equal(clocks['Case handling'], 'not handed over yet');
			await shot(t, page, 'c2-report-acknowledged');
			await a11y(t, page, 'the report page after the acknowledgement');

			// open a case from the report's page: handed over on the way
			await press(page, 'Open a case, or add to the case');
			const opened = /^\/zaken\/(\d+)\?done=opened$/.exec(where(page));
			assert.ok(opened, `not on a new case's page: ${where(page)}`);
			s.case = Number(opened[1]);
			s.caseUrl = `/zaken/${s.case}`;
			assert.equal(await h1(page), `Case ${s.case}`);
			assert.equal(await notice(page), 'The case was opened. Add the investigators to the team.');
			let f = await facts(page.locator('main dl.probity-facts').first());
			assert.equal(f['Organisation'], `${mode.orgName} (${mode.org})`);
			assert.equal(f['Protocol'], 'Investigation protocol for suspected integrity violations, revision 1');
			assert.equal(f['Opened'], s.received);
			assert.equal(f['Your role'], 'Coordinator of the case');
			assert.equal(f['Reports'], `Report ${s.reportA}`);
			assert.equal(await phaseHeading(page), `Current phase: ${PHASE.intake}`);
			const phase = await facts(page.locator('#phase ~ dl.probity-facts').first());
			assert.equal(phase['Term'], '14 days');
			assert.equal(phase['Due'], `14 days left (${addDays(s.received, 14)})`);
			assert.equal(phase['Who may move the case on'], 'Integrity coordinator, Investigator');
			const items = await checklist(page);
			assert.deepEqual(items.filter((c) => c.required).map((c) => c.text), INTAKE_REQUIRED);
			assert.ok(items.every((c) => !c.done), 'a checklist item of a new case is ticked off');
			assert.deepEqual(await listAfter(page, 'Records this phase requires'), [`${RECORD.intake.title}: missing`]);
			await shot(t, page, 'c3-case-opened');
			await a11y(t, page, 'a new case');

			// the report's page now says it was handed over
			await follow(page, `Report ${s.reportA}`, page.locator('main dl.probity-facts').first());
			assert.equal(where(page), `/zaken/${s.case}/meldingen/${s.reportA}`);
			await page.goto(`${suite.server.base}/meldingen/${s.reportA}`);
			assert.equal((await facts(page.locator('main dl.probity-facts').nth(1)))['Case handling'], `handed over on ${s.received}`);

			// report B joins the case through its number
			await page.goto(`${suite.server.base}/meldingen/${s.reportB}`);
			await shot(t, page, 'c4-report-b');
			await a11y(t, page, 'the other report\'s page');
			await page.getByRole('textbox', { name: /^Add to case number/ }).fill(String(s.case));
			await press(page, 'Open a case, or add to the case');
			assert.equal(where(page), `${s.caseUrl}?done=joined`);
			assert.equal(await notice(page), 'The report was added to the case.');
			f = await facts(page.locator('main dl.probity-facts').first());
			assert.equal(f['Reports'], `Report ${s.reportA}, Report ${s.reportB}`);
			await shot(t, page, 'c4-case-joined');
			await a11y(t, page, 'the case with a report joined');

			// the investigator joins the team
			await page.getByRole('textbox', { name: 'Add to the team (user name)' }).fill(mode.investigator);
			await page.getByLabel('Role in the case').selectOption('investigator');
			await press(page, 'Add to the team');
			assert.equal(where(page), `${s.caseUrl}?done=team`);
			assert.equal(await notice(page), 'The team was changed.');
			const team = (await page.locator('h2#team + .utrecht-table-container tbody tr').allInnerTexts()).map(squash);
			assert.equal(team.length, 2, `team: ${team}`);
			assert.match(team[0], new RegExp(`^${COORDINATOR_NAME} \\(${escapeRe(mode.coordinator)}\\) Coordinator of the case ${s.received}`));
			assert.match(team[1], new RegExp(`^${INVESTIGATOR_NAME} \\(${escapeRe(mode.investigator)}\\) Investigator ${s.received} Remove from the team$`));
			await shot(t, page, 'c5-team');
			await a11y(t, page, 'the case with its team');

			// moving on before the intake is done: refused, with what is open
			await press(page, `Move to: ${PHASE.decision}`);
			assert.equal(where(page), `${s.caseUrl}/fase`);
			const alert = page.locator('#phase + [role=alert]');
			assert.equal(squash(await alert.locator('p').innerText()), 'Some required checklist items of this phase are not done yet.');
			assert.deepEqual((await alert.locator('li').allInnerTexts()).map(squash), [
				...INTAKE_REQUIRED.map((x) => `Checklist: ${x}`),
				`Record missing: ${RECORD.intake.title}`,
			]);
			assert.equal(await phaseHeading(page), `Current phase: ${PHASE.intake}`);
			await shot(t, page, 'c6-move-refused');
			await a11y(t, page, 'the case with a refused move');
			assertClean(log, [/^status 409 for POST .*\/zaken\/\d+\/fase$/, /^console: .*status of 409/]);
			log.errors.length = 0;
		});

		it('the investigator signs in, finds the case and reads both reports through it', async (t) => {
			assert.ok(s.case, 'no case was opened');
			investigator = await open();
			const { page, log } = investigator;
			await signIn(page, mode.investigator);
			assert.equal(where(page), '/start/investigator');
			await shot(t, page, 'i0-start');
			await a11y(t, page, 'the investigator\'s start page');
			// no inbox: the reports are read through the case only
			assert.equal(await nav(page).getByRole('link', { name: 'Inbox', exact: true }).count(), 0);
			await navigate(page, 'Cases');
			assert.equal(where(page), '/zaken');
			assert.equal(await h1(page), 'Cases');
			assert.equal(await page.getByRole('navigation', { name: 'Section navigation' })
				.getByRole('link', { name: 'Inbox', exact: true }).count(), 0);
			const rows = page.locator('table.probity-inbox tbody tr');
			assert.equal(await rows.count(), 1);
			assert.match(squash(await rows.first().innerText()),
				new RegExp(`^Case ${s.case} ${escapeRe(mode.orgName)} \\(${mode.org}\\) ${PHASE.intake} 14 days left due ${addDays(s.received, 14)} ${s.received} Investigator$`));
			assert.equal(await page.getByRole('heading', { name: 'Reports waiting to become a case' }).count(), 0);
			await shot(t, page, 'i1-cases');
			await a11y(t, page, 'the investigator\'s case list');

			await follow(page, `Case ${s.case}`, rows);
			assert.equal(where(page), s.caseUrl);
			assert.equal((await facts(page.locator('main dl.probity-facts').first()))['Your role'], 'Investigator');
			// not the coordinator's: no team changes, no summary for the authority
			assert.equal(await page.getByRole('button', { name: 'Add to the team' }).count(), 0);
			assert.equal(await page.getByLabel('Kind of record').locator('option[value=authority_summary]').count(), 0);
			await shot(t, page, 'i2-case');
			await a11y(t, page, 'the case as the investigator sees it');

			// report A through the case: answers and the confidential identity
			await follow(page, `Report ${s.reportA}`, page.locator('main dl.probity-facts').first());
			assert.equal(where(page), `${s.caseUrl}/meldingen/${s.reportA}`);
			assert.equal(await h1(page), `Report ${s.reportA}`);
			let f = await facts(page.locator('main dl.probity-facts').first());
			assert.equal(f['How reported'], 'Confidentially');
			let answers = await facts(page.locator('main dl.probity-facts').nth(1));
			assert.equal(answers['Describe what happened'], s.descriptionA);
			assert.equal(answers['When did it happen?'], '2024-03-01');
			const identity = page.locator('h2:text-is("Who reported") + [role=note]');
			assert.match(squash(await identity.innerText()), /^Confidential\. The reporter reported confidentially\./);
			assert.equal(squash(await identity.locator('.probity-pre').innerText()), s.identityA);
			await shot(t, page, 'i3-report-a');
			await a11y(t, page, 'a confidential report read through the case');

			// report B, the one joined to the case: anonymous
			await follow(page, 'Back to the case');
			await follow(page, `Report ${s.reportB}`, page.locator('main dl.probity-facts').first());
			assert.equal(where(page), `${s.caseUrl}/meldingen/${s.reportB}`);
			f = await facts(page.locator('main dl.probity-facts').first());
			assert.equal(f['How reported'], 'Anonymously');
			answers = await facts(page.locator('main dl.probity-facts').nth(1));
			assert.equal(answers['Describe what happened'], s.descriptionB);
			assert.equal(await page.getByRole('heading', { name: 'Who reported' }).count(), 0, 'an anonymous report shows who reported');
			assert.equal(squash(await page.locator('h2:text-is("Attachments") + p').innerText()), 'The report has no files.');
			await shot(t, page, 'i4-report-b');
			await a11y(t, page, 'the joined anonymous report read through the case');
			assertClean(log);
		});

		it('the investigator completes the intake and moves the case to the decision, but may not move it on from there', async (t) => {
			assert.ok(investigator, 'the investigator is not signed in');
			const { page, log } = investigator;
			await page.goto(`${suite.server.base}${s.caseUrl}`);
			await tick(page, INTAKE_REQUIRED);
			await addRecord(page, RECORD.intake, s.intakeSummary);
			// nothing open any more: no list of what must be done
			assert.equal(await page.getByText('Before the case can move on normally, these must be done:').count(), 0);
			await shot(t, page, 'i5-intake-done');
			await a11y(t, page, 'the intake with its checklist and record complete');

			await press(page, `Move to: ${PHASE.decision}`);
			assert.equal(where(page), `${s.caseUrl}?done=moved`);
			assert.equal(await notice(page), 'The case moved to its next phase.');
			assert.equal(await phaseHeading(page), `Current phase: ${PHASE.decision}`);
			const phase = await facts(page.locator('#phase ~ dl.probity-facts').first());
			assert.equal(phase['Who may move the case on'], 'Integrity coordinator, Competent authority');
			assert.deepEqual((await checklist(page)).filter((c) => c.required).map((c) => c.text), DECISION_REQUIRED);
			// the history: one move, by the investigator
			const history = (await page.locator('h2#history + .utrecht-table-container tbody tr').allInnerTexts()).map(squash);
			assert.equal(history.length, 1);
			assert.match(history[0], new RegExp(`^\\d{4}-\\d{2}-\\d{2} ${PHASE.intake} ${PHASE.decision} ${INVESTIGATOR_NAME} no$`));
			await shot(t, page, 'i6-decision');
			await a11y(t, page, 'the case in the decision phase');

			// the decision phase is not the investigator's to leave: the page
			// offers its moves to every member (saying who may make them), the
			// phase machine refuses this one in words, and the case stays
			await press(page, `Move to: ${PHASE.investigation}`);
			assert.equal(where(page), `${s.caseUrl}/fase`);
			const alert = page.locator('#phase + [role=alert]');
			assert.equal(squash(await alert.innerText()), 'Your role does not allow you to move this case on from this phase.');
			assert.equal(await phaseHeading(page), `Current phase: ${PHASE.decision}`);
			assert.equal(await page.locator('h2#history + .utrecht-table-container tbody tr').count(), 1);
			await shot(t, page, 'i7-move-refused');
			await a11y(t, page, 'the case with a move refused to the investigator');
			assertClean(log, [/^status 403 for POST .*\/zaken\/\d+\/fase$/, /^console: .*status of 403/]);
			log.errors.length = 0;
		});

		it('the coordinator completes the decision phase and moves the case into the investigation', async (t) => {
			assert.ok(coordinator, 'the coordinator is not signed in');
			const { page, log } = coordinator;
			await page.goto(`${suite.server.base}${s.caseUrl}`);
			assert.equal(await phaseHeading(page), `Current phase: ${PHASE.decision}`);
			// the investigator's intake summary is there for the coordinator
			const intake = page.locator('#records ~ article.probity-message', { hasText: s.intakeSummary });
			assert.match(squash(await intake.locator('.probity-message__meta').innerText()),
				new RegExp(`^${escapeRe(RECORD.intake.title)}, ${INVESTIGATOR_NAME}, `));
			await tick(page, DECISION_REQUIRED);
			await addRecord(page, RECORD.decision, s.decisionMemo);
			await press(page, `Move to: ${PHASE.investigation}`);
			assert.equal(where(page), `${s.caseUrl}?done=moved`);
			assert.equal(await phaseHeading(page), `Current phase: ${PHASE.investigation}`);
			const phase = await facts(page.locator('#phase ~ dl.probity-facts').first());
			s.today = phase['In this phase since'];
			assert.equal(phase['Term'], '90 days');
			assert.equal(phase['Due'], `90 days left (${addDays(s.today, 90)})`);
			assert.equal(phase['Who may move the case on'], 'Integrity coordinator, Investigator');
			// the rights that fall due now, for whom
			const rights = await facts(page.locator('h3:text-is("Rights of the people involved in this phase") + dl'));
			assert.match(rights['To be informed'], /^Person concerned, Witness/);
			assert.match(rights['To be heard'], /^Person concerned, Witness; term: 14 days/);
			const history = (await page.locator('h2#history + .utrecht-table-container tbody tr').allInnerTexts()).map(squash);
			assert.equal(history.length, 2);
			assert.match(history[1], new RegExp(`^${s.today} ${PHASE.decision} ${PHASE.investigation} ${COORDINATOR_NAME} no$`));
			// the next phase's departure from the protocol is a form of its own
			assert.equal(await page.getByRole('group', { name: /^Departure from the protocol: / }).count(), 2);
			await shot(t, page, 'c7-investigation');
			await a11y(t, page, 'the case in the investigation phase');
			assertClean(log);
		});

		it('the investigator adds the person concerned and records that they were informed', async (t) => {
			const { page, log } = investigator;
			await page.goto(`${suite.server.base}${s.caseUrl}`);
			assert.equal(await phaseHeading(page), `Current phase: ${PHASE.investigation}`);
			await page.getByLabel('Involved as').selectOption('person_concerned');
			await page.getByRole('textbox', { name: 'Name', exact: true }).fill(s.personName);
			await page.getByRole('textbox', { name: 'Function (optional)' }).fill(s.personFunction);
			await page.getByRole('textbox', { name: 'Contact details (optional)' }).fill(s.personContact);
			await press(page, 'Add the person');
			assert.equal(where(page), `${s.caseUrl}?done=person`);
			assert.equal(await notice(page), 'The person was added.');
			const person = page.locator('#people ~ article.probity-message', { hasText: s.personName });
			assert.equal(await person.count(), 1);
			assert.equal(squash(await person.locator('.probity-message__meta').innerText()),
				`${s.personName}, Person concerned, ${s.personFunction}; added on ${s.today}`);
			assert.equal(squash(await person.locator('.probity-pre').innerText()), s.personContact);
			assert.equal(await person.locator('dl dt').count(), 0, 'a step is recorded for a new person');
			await shot(t, page, 'i8-person');
			await a11y(t, page, 'the case with a person involved');

			// the first step of their rights: informed, today (the date left empty)
			await person.getByLabel('Step', { exact: true }).selectOption('informed');
			await press(page, `Record the step for ${s.personName}`, person);
			assert.equal(where(page), `${s.caseUrl}?done=step`);
			assert.equal(await notice(page), 'The step was recorded.');
			const steps = await facts(page.locator('#people ~ article.probity-message', { hasText: s.personName }).locator('dl'));
			assert.deepEqual(steps, { 'Informed about the investigation': s.today });
			// recorded once: the step is no longer offered
			const offered = await page.locator('#people ~ article.probity-message', { hasText: s.personName })
				.getByLabel('Step', { exact: true }).locator('option').evaluateAll((os) => os.map((o) => o.value));
			assert.ok(!offered.includes('informed') && offered.includes('heard'), `steps offered: ${offered}`);
			await shot(t, page, 'i9-informed');
			await a11y(t, page, 'the case with the person informed');
			assertClean(log);
		});

		it('"Due and overdue" and the case lists show the investigation\'s term, to both of them', async (t) => {
			const due = addDays(s.today, 90);
			const what = `Case ${s.case}: ${PHASE.investigation}`;
			const row = new RegExp(`^${due} ${escapeRe(what)} ${escapeRe(mode.orgName)} \\(${mode.org}\\) 90 days left$`);
			const tableAfter = (page, heading) =>
				page.locator(`h2:text-is("${heading}") + .utrecht-table-container tbody tr`);

			// the coordinator: their own, and under the department
			{
				const { page, log } = coordinator;
				await page.goto(`${suite.server.base}/start`);
				await navigate(page, 'Due and overdue');
				assert.equal(where(page), '/termijnen');
				assert.equal(await h1(page), 'Due and overdue');
				assert.match(await page.locator('main p').first().innerText(), new RegExp(`Today is ${s.today}\\.$`));
				const mine = (await tableAfter(page, 'Yours').allInnerTexts()).map(squash);
				assert.equal(mine.filter((r) => row.test(r)).length, 1, `"Yours" does not list the case: ${mine.join(' | ')}`);
				// the reports' legal clocks are there too: B's acknowledgement, A's feedback
				assert.ok(mine.some((r) => r.startsWith(`${addDays(s.received, 7)} Report ${s.reportB}: acknowledgement of receipt `)),
					`"Yours" lacks report B's acknowledgement: ${mine.join(' | ')}`);
				assert.ok(mine.some((r) => r.includes(`Report ${s.reportA}: feedback to the reporter`)));
				assert.ok(!mine.some((r) => r.includes(`Report ${s.reportA}: acknowledgement`)), 'a met deadline is listed');
				const dept = (await tableAfter(page, `Open cases of ${mode.orgName} (${mode.org})`).allInnerTexts()).map(squash);
				assert.equal(dept.filter((r) => row.test(r)).length, 1, `the department does not list the case: ${dept.join(' | ')}`);
				await shot(t, page, 'c8-due');
				await a11y(t, page, 'the coordinator\'s "Due and overdue"');
				await follow(page, what, tableAfter(page, 'Yours'));
				assert.equal(where(page), s.caseUrl);

				await navigate(page, 'Cases');
				const rows = (await page.locator('table.probity-inbox').first().locator('tbody tr').allInnerTexts()).map(squash);
				assert.deepEqual(rows, [`Case ${s.case} ${mode.orgName} (${mode.org}) ${PHASE.investigation} 90 days left due ${due} ${s.received} Coordinator of the case`]);
				assert.equal(squash(await page.locator('h2#waiting + p + p').innerText()), 'No reports are waiting.');
				await shot(t, page, 'c9-cases');
				await a11y(t, page, 'the coordinator\'s case list');
				assertClean(log);
			}
			// the investigator: their own only, no reports, no department
			{
				const { page, log } = investigator;
				await navigate(page, 'Due and overdue');
				const mine = (await tableAfter(page, 'Yours').allInnerTexts()).map(squash);
				assert.equal(mine.length, 1, `"Yours": ${mine.join(' | ')}`);
				assert.match(mine[0], row);
				assert.equal(await page.locator('h2', { hasText: /^Open cases of / }).count(), 0);
				await shot(t, page, 'i10-due');
				await a11y(t, page, 'the investigator\'s "Due and overdue"');
				assertClean(log);
			}
		});

		it('nothing typed or sent is in the database file in plaintext', () => {
			assert.ok(s.today, 'the flow did not get this far');
			const stored = storedBytes(suite.server);
			// a control: what is stored in the clear by design is found, so the
			// search below looks at the right bytes
			assert.notEqual(stored.indexOf(mode.investigator), -1, 'the investigator\'s username is not in the database files read');
			for (const text of Object.values(s).filter((v) => typeof v === 'string' && v.includes(MARK))) {
				const m = markers.find((x) => text.includes(x));
				for (const enc of ['utf8', 'utf16le'])
					assert.equal(stored.indexOf(Buffer.from(m, enc)), -1, `the database holds a text the test typed (${m.split('-')[0]}, ${enc})`);
			}
		});
	});
}
