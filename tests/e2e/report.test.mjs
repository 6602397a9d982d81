// report.test.mjs: the reporter's whole path in a real browser (Debian's
// chromium), once with JavaScript off and once with it on: an anonymous report
// made screen by screen from the home page with a PDF attached, the receipt
// read off the result page; a handler who signs in with two steps, finds the
// report in the inbox, reads it, downloads the attachment and writes to the
// reporter; the reporter, in a fresh browser, signs in with the receipt typed
// loosely, reads the message and answers it; the handler reads the answer.
// Every page reached is checked against WCAG 2.1 A and AA (browser.mjs), every
// step fails on a console error or a request to another host, and at the end
// neither the database file nor the server's log holds any of the texts typed.
//
// The pages are used in English (the language switch, pressed as a visitor
// would): the Dutch of new texts follows later, and English msgids are what
// the code fixes. Each mode reports to its own department with its own
// handlers, so each handler's inbox holds exactly that mode's report.
import { storedBytes } from './server.mjs';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { assertClean, screenshot, navigate } from './browser.mjs';
import { PASSWORD, browserSuite, follow, h1, press, squash, toEnglish, where } from './steps.mjs';

const MODES = [
	{ javaScript: false, tag: 'js-off', org: 'FIN', orgName: 'Financiën' },
	{ javaScript: true, tag: 'js-on', org: 'BZK', orgName: 'Binnenlandse Zaken' },
].map((m) => ({ ...m, handler: `ivo.${m.tag.replace('js-', '')}`, adviser: `vera.${m.tag.replace('js-', '')}` }));
const HANDLER_NAME = 'Ivo Integer';
const ADVISER_NAME = 'Vera Vertrouwen';
const PDF_NAME = 'bewijs.pdf';

// Texts no page shows unless the test typed them: found in the database or
// the log, they would be plaintext that must never be stored or logged.
const MARK = randomBytes(6).toString('hex');
const markers = [];
const secret = (label) => {
	const m = `${label}-${MARK}-${markers.length}`;
	markers.push(m);
	return m;
};

let tmp;

const users = [];
for (const m of MODES) {
	users.push({ username: m.handler, name: HANDLER_NAME, role: 'integrity_coordinator', org: m.org, password: PASSWORD });
	users.push({ username: m.adviser, name: ADVISER_NAME, role: 'confidential_adviser', org: m.org, password: PASSWORD });
}
const suite = browserSuite({
	orgs: [
		{ code: 'RIJK', name: 'Rijksoverheid', kind: 'government' },
		...MODES.map((m) => ({ code: m.org, name: m.orgName, parent: 'RIJK' })),
	],
	users,
}, {
	prepare: () => {
		tmp = mkdtempSync(path.join(tmpdir(), 'probity-e2e-files-'));
	},
	cleanup: () => {
		if (tmp)
			rmSync(tmp, { recursive: true, force: true });
	},
	checkLog: (stderr) => {
		for (const m of markers)
			assert.ok(!stderr.includes(m), `the server's log holds a text the test typed (${m.split('-')[0]})`);
	},
});
const { a11y } = suite;

// A small PDF that is a real one (objects, cross-reference table with exact
// offsets, trailer), with text in its page; libmagic and any reader take it.
function minimalPdf(text) {
	const content = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((o, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets)
		out += `${String(off).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

// Dates as the server counts them: calendar days of the local time zone.
function localDate(d = new Date()) {
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
function addDays(date, n) {
	const [y, m, d] = date.split('-').map(Number);
	return localDate(new Date(y, m - 1, d + n));
}
// as date_add_months: the same day n months on, or that month's last day
function addMonths(date, n) {
	const [y, m, d] = date.split('-').map(Number);
	const last = new Date(y, m - 1 + n + 1, 0).getDate();
	return localDate(new Date(y, m - 1 + n, Math.min(d, last)));
}

// A description list as [[term, details], ...], whitespace squashed and the
// review's "Change" buttons left out.
async function facts(list) {
	return list.evaluate((dl) => [...dl.querySelectorAll(':scope > dt')].map((dt) => {
		const dd = dt.nextElementSibling.cloneNode(true);
		for (const b of dd.querySelectorAll('button'))
			b.remove();
		return [dt.textContent, dd.textContent].map((s) => s.replace(/\s+/g, ' ').trim());
	}));
}
// The text of the screen's progress line, "Step 3 / 8".
const progress = async (page) => squash(await page.locator('.probity-progress').innerText());

for (const mode of MODES) {
	describe(`the reporter's path with JavaScript ${mode.javaScript ? 'on' : 'off'}`, { timeout: 240000 }, () => {
		const open = () => suite.open(mode.javaScript);
		const shot = async (t, page, name) => t.diagnostic(`screenshot: ${await screenshot(page, `report-${name}.${mode.tag}`)}`);
		const s = {
			description: `Declaraties worden dubbel uitbetaald; ${secret('description')}.`,
			place: `Kantoor Den Haag, ${secret('where')}`,
			persons: `Een teamleider, ${secret('persons')}`,
			question: `Dank voor uw melding. Om welke maanden gaat het? ${secret('question')}`,
			answer: `Januari tot en met maart; ${secret('answer')}.`,
			pdfText: secret('pdf'),
		};
		let handler = null; // {context, page, log}, kept signed in across the steps

		after(async () => {
			await handler?.context.close();
		});

		it('reports anonymously from the home page, screen by screen, with a PDF, and gets a receipt', async (t) => {
			const pdf = minimalPdf(`Bewijs ${s.pdfText}`);
			// the name the browser sends is the file's own: one folder per mode
			mkdirSync(path.join(tmp, mode.tag));
			const pdfFile = path.join(tmp, mode.tag, PDF_NAME);
			writeFileSync(pdfFile, pdf);
			s.pdf = pdf;
			const { context, page, log } = await open();
			try {
				await page.goto(`${suite.server.base}/`);
				assert.equal(where(page), '/');
				await toEnglish(page);
				assert.equal(where(page), '/');
				assert.equal(await h1(page), 'Report suspected wrongdoing safely');
				await shot(t, page, 'home');
				await a11y(t, page, 'the home page');
				await follow(page, 'Make a report', page.getByRole('main'));
				assert.equal(where(page), '/melden');

				// the organisation
				assert.equal(await h1(page), 'Where do you want to report?');
				assert.equal(await progress(page), 'Step 1 / 8');
				await shot(t, page, '1-org');
				await a11y(t, page, 'the organisation screen');
				await page.locator('#org').selectOption(mode.org);
				await press(page, 'Next');

				// how openly: anonymously, no identity
				assert.equal(await h1(page), 'Who may know that you reported?');
				await shot(t, page, '2-mode');
				await a11y(t, page, 'the mode screen');
				await page.getByRole('radio', { name: 'Anonymously' }).check();
				await press(page, 'Next');

				// the questionnaire: the kind
				assert.equal(await h1(page), 'What do you want to report?');
				await shot(t, page, '3-kind');
				await a11y(t, page, 'the kind screen');
				await page.getByRole('radio', { name: 'A suspected integrity violation' }).check();
				await press(page, 'Next');

				// what happened; first without the required description: the
				// error beside the field and in the summary, what was typed kept
				assert.equal(await h1(page), 'What happened?');
				assert.equal(await progress(page), 'Step 4 / 8');
				await a11y(t, page, 'the "what happened" screen');
				await page.locator('#q-where').fill(s.place);
				await page.getByRole('group', { name: /Is it still going on\?/ }).getByRole('radio', { name: 'No' }).check();
				await press(page, 'Next');
				assert.equal(await h1(page), 'What happened?', 'moved on without the required description');
				const fieldError = page.locator('#q-description-error');
				assert.equal(await fieldError.innerText(), 'Please answer this question.');
				const summary = page.getByRole('alert');
				assert.match(await summary.innerText(), /Please check the following:/);
				const summaryLinks = summary.getByRole('link');
				assert.equal(await summaryLinks.count(), 1);
				// the link names its question, so that several can be told apart
				assert.equal(await summaryLinks.first().innerText(), 'Describe what happened: Please answer this question.');
				assert.equal(await summaryLinks.first().getAttribute('href'), '#q-description');
				const description = page.getByRole('textbox', { name: 'Describe what happened' });
				assert.equal(await description.getAttribute('aria-invalid'), 'true');
				assert.match(await description.getAttribute('aria-describedby'), /\bq-description-error\b/);
				assert.equal(await page.locator('#q-where').inputValue(), s.place, 'the typed place was lost');
				assert.ok(await page.locator('#q-ongoing-no').isChecked(), 'the chosen "No" was lost');
				await shot(t, page, '4-happened-error');
				await a11y(t, page, 'the "what happened" screen with an error');
				// the summary's link leads to the field
				await summaryLinks.first().click();
				assert.equal(new URL(page.url()).hash, '#q-description');
				await description.fill(s.description);
				await page.locator('#q-when').fill('2024-03-01');
				await press(page, 'Next');

				// who is involved (the next applicable screen: the public
				// interest applies to whistleblower reports only, the evidence
				// step has only files, which come on the review)
				assert.equal(await h1(page), 'Who is involved?');
				await shot(t, page, '5-involved');
				await a11y(t, page, 'the "who is involved" screen');
				await page.getByRole('textbox', { name: /Names and positions of the people involved/ }).fill(s.persons);
				await press(page, 'Next');

				assert.equal(await h1(page), 'How would you like to keep in touch?');
				await shot(t, page, '6-contact');
				await a11y(t, page, 'the contact screen');
				await page.getByRole('radio', { name: 'Through messages on this website, with my report code' }).check();
				await press(page, 'Next');

				// who receives it: both handlers listed, nobody ticked
				assert.equal(await h1(page), 'Who receives your report?');
				assert.equal(await progress(page), 'Step 7 / 8');
				const recipients = page.getByRole('group', { name: 'Is there anyone here who must not see your report?' }).getByRole('checkbox');
				assert.equal(await recipients.count(), 2);
				const names = (await recipients.evaluateAll((els) => els.map((e) => e.labels[0].textContent)))
					.map(squash).sort();
				assert.equal(names.length, 2);
				assert.match(names[0], new RegExp(`^${HANDLER_NAME} \\(Integrity coordinator\\)$`, 'i'));
				assert.match(names[1], new RegExp(`^${ADVISER_NAME} \\(Confidential adviser\\)$`, 'i'));
				for (let i = 0; i < 2; i++)
					assert.equal(await recipients.nth(i).isChecked(), false);
				await shot(t, page, '7-recusal');
				await a11y(t, page, 'the recusal screen');
				await press(page, 'Next');

				// the review: every answer shown, the file added here
				assert.equal(await h1(page), 'Check and send your report');
				assert.equal(await progress(page), 'Step 8 / 8');
				const review = Object.fromEntries(await facts(page.locator('dl.probity-review')));
				assert.equal(review['Organisation'], mode.orgName);
				assert.equal(review['How you report'], 'Anonymously');
				assert.equal(review['Your name and contact details'], undefined, 'an anonymous report shows an identity');
				assert.equal(review['Kind of report'], 'A suspected integrity violation');
				assert.equal(review['Describe what happened'], s.description);
				assert.equal(review['When did it happen?'], '2024-03-01');
				assert.equal(review['Where did it happen?'], s.place);
				assert.equal(review['Is it still going on?'], 'No');
				assert.equal(review['Have you reported this before, here or elsewhere?'], '(not answered)');
				assert.equal(review['Names and positions of the people involved'], s.persons);
				assert.equal(review['Contact'], 'Through messages on this website, with my report code');
				assert.equal(review['Must not see your report'], 'nobody');
				assert.equal(review['Did this happen to you?'], undefined, 'a question for another kind of report is shown');
				await page.getByLabel('Add files (optional)').setInputFiles(pdfFile);
				await shot(t, page, '8-review');
				await a11y(t, page, 'the review');
				await press(page, 'Send report');

				// the receipt, this once
				assert.equal(where(page), '/melden/verzenden');
				assert.equal(await h1(page), 'Your report has been received');
				s.receipt = await page.locator('code#receipt').innerText();
				assert.match(s.receipt, /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){4}-[0-9a-hjkmnp-tv-z]{2}$/,
					`the receipt's shape: ${s.receipt}`);
				const due = Object.fromEntries(await facts(page.locator('main dl.probity-facts')));
				s.ackDue = due['Acknowledgement of receipt, at the latest'];
				s.feedbackDue = due['Feedback on what is done with your report, at the latest'];
				assert.match(await page.getByRole('main').innerText(), /You reported anonymously/);
				await shot(t, page, '9-receipt');
				await a11y(t, page, 'the receipt page');
				// what the error path answered: a 422, which the console notes too
				assertClean(log, [/^status 422 for POST .*\/melden$/, /^console: .*status of 422/]);
			} finally {
				await context.close();
			}
			// the legal dates, from the day it was received
			const today = localDate();
			assert.ok([today, addDays(today, -1)].includes(addDays(s.ackDue, -7)),
				`acknowledgement due ${s.ackDue}, not 7 days after today (${today})`);
			s.received = addDays(s.ackDue, -7);
			assert.equal(s.feedbackDue, addMonths(s.ackDue, 3));
		});

		it('the handler signs in with two steps, finds the report, reads it and its PDF, and writes to the reporter', async (t) => {
			assert.ok(s.receipt, 'no report was sent');
			handler = await open();
			const { page, log } = handler;
			// first sign-in of an integrity coordinator: set up the second step
			await suite.signIn(page, mode.handler, { mustEnrol: true });
			assert.equal(where(page), '/start/integrity-coordinator');

			await navigate(page, 'Inbox');
			assert.equal(where(page), '/meldingen');
			assert.equal(await h1(page), 'Inbox');
			const rows = page.locator('table.probity-inbox tbody tr');
			assert.equal(await rows.count(), 1, 'the inbox should hold exactly this mode\'s report');
			const row = squash(await rows.first().innerText());
			assert.match(row, new RegExp(`${s.received}.*${mode.orgName} \\(${mode.org}\\).*A suspected integrity violation.*Anonymously`));
			assert.match(row, /Received; not yet acknowledged/);
			await shot(t, page, 'h1-inbox');
			await a11y(t, page, 'the inbox');
			const link = rows.first().getByRole('link');
			s.number = (await link.innerText()).replace(/^Report /, '');
			assert.match(s.number, /^\d+$/);
			await Promise.all([page.waitForEvent('load'), link.click()]);
			assert.equal(where(page), `/meldingen/${s.number}`);
			assert.equal(await h1(page), `Report ${s.number}`);

			const answers = Object.fromEntries(await facts(page.locator('dl.probity-answers')));
			assert.equal(answers['Describe what happened'], s.description);
			assert.equal(answers['Where did it happen?'], s.place);
			assert.equal(answers['Names and positions of the people involved'], s.persons);
			assert.equal(await page.getByRole('heading', { name: 'Who reported' }).count(), 0, 'an anonymous report shows who reported');
			const attachment = page.getByRole('link', { name: PDF_NAME, exact: true });
			assert.equal(await attachment.count(), 1, 'the PDF is not listed');
			const item = squash(await page.locator('li', { has: attachment }).innerText());
			assert.match(item, new RegExp(`^${PDF_NAME.replace('.', '\\.')} \\(application/pdf, ${s.pdf.length} bytes\\) — from the reporter, `));
			await shot(t, page, 'h2-report');
			await a11y(t, page, 'the handler\'s report page');
			// the file comes back as it was sent, through its encryption
			const [download] = await Promise.all([page.waitForEvent('download'), attachment.click()]);
			assert.equal(download.suggestedFilename(), PDF_NAME);
			assert.ok(readFileSync(await download.path()).equals(s.pdf), 'the downloaded PDF differs from the one sent');

			await page.getByRole('textbox', { name: 'Message to the reporter' }).fill(s.question);
			await press(page, 'Send message');
			assert.equal(where(page), `/meldingen/${s.number}?done=message`);
			assert.match(await page.getByRole('status').first().innerText(), /Your message was sent to the reporter\./);
			const thread = page.locator('article.probity-message');
			assert.equal(await thread.count(), 1);
			assert.equal(squash(await thread.locator('.probity-pre').innerText()), s.question);
			assert.match(await thread.locator('.probity-message__meta').innerText(), new RegExp(`^${HANDLER_NAME}, `));
			await shot(t, page, 'h3-message-sent');
			await a11y(t, page, 'the report page after a message');
			assertClean(log);
		});

		it('the reporter, in a fresh browser, signs in with the receipt typed loosely, reads the message and answers it', async (t) => {
			assert.ok(s.number, 'the handler did not write');
			const { context, page, log } = await open();
			try {
				await page.goto(`${suite.server.base}/`);
				await toEnglish(page);
				await follow(page, 'Follow your report', page.getByRole('main'));
				assert.equal(where(page), '/melding');
				assert.equal(await h1(page), 'Follow your report');
				await shot(t, page, 'f1-signin');
				await a11y(t, page, 'the receipt sign-in');

				// one symbol wrong: the check symbols catch it, "look again"
				const sym = '0123456789abcdefghjkmnpqrstvwxyz';
				const wrong = s.receipt.replace(/^./, (c) => sym[(sym.indexOf(c) + 1) % sym.length]);
				await page.locator('#receipt').fill(wrong);
				await press(page, 'Open my report');
				assert.equal(where(page), '/melding');
				assert.match(await page.getByRole('alert').innerText(), /This code has a typing error/);
				assert.equal(await page.locator('#receipt').getAttribute('aria-invalid'), 'true');
				await a11y(t, page, 'the receipt sign-in with an error');

				// capitals and spaces where the receipt has small letters and dashes
				const typed = s.receipt.toUpperCase().replaceAll('-', ' ');
				assert.notEqual(typed, s.receipt);
				await page.locator('#receipt').fill(typed);
				await press(page, 'Open my report');
				assert.equal(where(page), '/melding/overzicht');
				assert.equal(await h1(page), 'Your report');
				const f = Object.fromEntries(await facts(page.locator('main dl.probity-facts').first()));
				assert.equal(f['Status'], 'Received; not yet acknowledged');
				assert.equal(f['Received'], s.received);
				assert.equal(f['Acknowledgement of receipt'], `due at the latest on ${s.ackDue}`);
				assert.equal(f['Feedback on what is done with your report'], `due at the latest on ${s.feedbackDue}`);
				const messages = page.locator('article.probity-message');
				assert.equal(await messages.count(), 1);
				assert.match(await messages.first().locator('.probity-message__meta').innerText(), /^The handler, /);
				assert.equal(squash(await messages.first().locator('.probity-pre').innerText()), s.question);
				const reportedList = await facts(page.locator('dl.probity-review'));
				const terms = reportedList.map(([term]) => term);
				assert.deepEqual(terms.filter((x, i) => terms.indexOf(x) !== i), [], 'a line of the report is shown twice');
				const reported = Object.fromEntries(reportedList);
				assert.equal(reported['Kind of report'], 'A suspected integrity violation');
				assert.equal(reported['Describe what happened'], s.description);
				assert.equal(reported['How you report'], 'Anonymously');
				const files = await page.getByRole('main').getByRole('listitem').allInnerTexts();
				assert.ok(files.some((x) => x.startsWith(`${PDF_NAME} (${s.pdf.length} bytes, `)), `the PDF is not listed: ${files}`);
				await shot(t, page, 'f2-report');
				await a11y(t, page, 'the reporter\'s report page');

				await page.getByRole('textbox', { name: 'Your message' }).fill(s.answer);
				await press(page, 'Send message');
				assert.equal(where(page), '/melding/overzicht?sent=1');
				assert.equal(await page.getByRole('status').innerText(), 'Your message was sent.');
				assert.equal(await messages.count(), 2);
				const own = page.locator('article.probity-message--own');
				assert.equal(await own.count(), 1);
				assert.match(await own.locator('.probity-message__meta').innerText(), /^You, /);
				assert.equal(squash(await own.locator('.probity-pre').innerText()), s.answer);
				await shot(t, page, 'f3-answered');
				await a11y(t, page, 'the reporter\'s report page after answering');

				// closing ends the receipt session
				await press(page, 'Sign out of my report');
				assert.equal(await h1(page), 'Follow your report');
				await page.goto(`${suite.server.base}/melding/overzicht`);
				assert.equal(where(page), '/melding');
				// the mistyped code's answer is a 400, which the console notes too
				assertClean(log, [/^status 400 for POST .*\/melding$/, /^console: .*status of 400/]);
			} finally {
				await context.close();
			}
		});

		it('the handler reads the reporter\'s answer', async (t) => {
			assert.ok(handler, 'the handler is not signed in');
			const { page, log } = handler;
			await page.goto(`${suite.server.base}/meldingen/${s.number}`);
			const thread = page.locator('article.probity-message');
			assert.equal(await thread.count(), 2);
			assert.match(await thread.nth(0).locator('.probity-message__meta').innerText(), new RegExp(`^${HANDLER_NAME}, `));
			const answer = page.locator('article.probity-message--reporter');
			assert.equal(await answer.count(), 1);
			assert.match(await answer.locator('.probity-message__meta').innerText(), /^The reporter, /);
			assert.equal(squash(await answer.locator('.probity-pre').innerText()), s.answer);
			await shot(t, page, 'h4-answer');
			await a11y(t, page, 'the report page with the answer');
			assertClean(log);
		});

		it('nothing typed or attached is in the database file in plaintext', () => {
			assert.ok(s.number, 'the flow did not get this far');
			const stored = storedBytes(suite.server);
			// a control: what is stored in the clear by design is found, so the
			// search below looks at the right bytes
			assert.notEqual(stored.indexOf(mode.handler), -1, 'the handler\'s username is not in the database files read');
			const own = [s.description, s.place, s.persons, s.question, s.answer, s.pdfText];
			for (const text of own) {
				const m = markers.find((x) => text.includes(x));
				for (const enc of ['utf8', 'utf16le'])
					assert.equal(stored.indexOf(Buffer.from(m, enc)), -1, `the database holds a text the test typed (${m.split('-')[0]}, ${enc})`);
			}
			assert.equal(stored.indexOf(s.receipt), -1, 'the database holds the receipt');
			assert.equal(stored.indexOf(s.receipt.replaceAll('-', '')), -1, 'the database holds the receipt');
		});
	});
}
