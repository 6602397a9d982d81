// signin.test.mjs: the web shell in a real browser (Debian's chromium), every
// flow once with JavaScript off and once with it on: the sign-in page in the
// house style, signing in and out, a wrong password, the language switch, and
// setting up two-step sign-in with the key computed as an authenticator app
// does. Every page reached is checked against WCAG 2.1 A and AA with axe-core
// (browser.mjs says how, also with JavaScript off); every test fails on a
// console error or a request to another host than the server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertClean, screenshot } from './browser.mjs';
import { PASSWORD, browserSuite, h1, press, where } from './steps.mjs';
import { base32Decode, totp } from './totp.mjs';

const MODES = [
	{ javaScript: false, tag: 'js-off' },
	{ javaScript: true, tag: 'js-on' },
];
// one coordinator and one integrity coordinator per mode, so that enrolling
// in one run leaves the other's account as it was
const COORDINATOR_NAME = 'Anna <Coördinator>'; // shown escaped, read back as text
const coordinator = (m) => `anna.${m.tag.replace('js-', '')}`;
const integrity = (m) => `ivo.${m.tag.replace('js-', '')}`;

const users = [];
for (const m of MODES) {
	users.push({ username: coordinator(m), name: COORDINATOR_NAME, role: 'coordinator', org: 'RIJK', password: PASSWORD });
	users.push({ username: integrity(m), name: 'Ivo Integer', role: 'integrity_coordinator', org: 'FIN', password: PASSWORD });
}
const suite = browserSuite({
	orgs: [
		{ code: 'RIJK', name: 'Rijksoverheid', kind: 'government' },
		{ code: 'FIN', name: 'Financiën', parent: 'RIJK' },
	],
	users,
});
const { a11y } = suite;
const lang = (page) => page.locator('html').getAttribute('lang');

// Signs in in Dutch as a user does, with this password; no second step.
async function signIn(page, base, username, password) {
	await page.goto(`${base}/login`);
	await page.locator('#username').fill(username);
	await page.locator('#password').fill(password);
	await press(page, 'Inloggen');
}

it('computes TOTP codes as RFC 6238 says (its SHA-1 test vectors)', () => {
	const key = base32Decode('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
	assert.equal(key.toString(), '12345678901234567890');
	for (const [t, code] of [[59, '94287082'], [1111111109, '07081804'], [1234567890, '89005924'], [2000000000, '69279037']])
		assert.equal(totp(key, t, { digits: 8 }), code);
});

for (const mode of MODES) {
	describe(`with JavaScript ${mode.javaScript ? 'on' : 'off'}`, { timeout: 120000 }, () => {
		const open = () => suite.open(mode.javaScript);

		it('signed out, / links to the sign-in page: Dutch, in the house style, nothing from elsewhere', async (t) => {
			const { context, page, log } = await open();
			try {
				// visitors get the reporting channel's home page (report.test.mjs
				// tests it); staff find the sign-in page in the navigation
				await page.goto(`${suite.server.base}/`);
				assert.equal(where(page), '/');
				await Promise.all([page.waitForEvent('load'),
					page.getByRole('navigation').getByRole('link', { name: 'Inloggen', exact: true }).click()]);
				assert.equal(where(page), '/login');
				assert.equal(await lang(page), 'nl');
				assert.equal(await page.title(), 'Inloggen — Probity');
				assert.equal(await h1(page), 'Inloggen');
				// the theme's stylesheet came from the server and styles the
				// components: the primary button has the theme token's colour,
				// not the browser's grey
				const style = await page.evaluate(() => {
					const probe = (prop, value) => {
						const el = document.createElement('span');
						el.style.setProperty(prop, value);
						document.body.append(el);
						const v = getComputedStyle(el).getPropertyValue(prop);
						el.remove();
						return v;
					};
					const plain = document.createElement('button');
					document.body.append(plain);
					const browserButton = getComputedStyle(plain).backgroundColor;
					plain.remove();
					const button = document.querySelector('button.utrecht-button--primary-action');
					const sheets = [...document.styleSheets];
					return {
						button: getComputedStyle(button).backgroundColor,
						token: probe('background-color', 'var(--utrecht-button-primary-action-background-color)'),
						browserButton,
						font: getComputedStyle(document.body).fontFamily,
						fontToken: probe('font-family', 'var(--utrecht-document-font-family)'),
						sheets: sheets.map((s) => s.href),
						rules: sheets.reduce((n, s) => n + s.cssRules.length, 0),
						scriptingMedia: sheets.flatMap((s) => [...s.cssRules])
							.filter((r) => r.media && /scripting/.test(r.media.mediaText)).length,
					};
				});
				assert.equal(style.sheets.length, 1, `stylesheets: ${style.sheets}`);
				assert.match(style.sheets[0], new RegExp(`^${suite.server.base}/static/[0-9a-f]+/style\\.css$`));
				assert.ok(style.rules > 100, `only ${style.rules} CSS rules`);
				assert.notEqual(style.token, 'rgba(0, 0, 0, 0)', 'the theme sets no primary button colour');
				assert.equal(style.button, style.token, 'primary button colour');
				assert.notEqual(style.button, style.browserButton);
				assert.ok(style.fontToken, 'the theme sets no document font');
				assert.equal(style.font, style.fontToken);
				// with this, a page renders alike with JavaScript on and off (see browser.mjs)
				assert.equal(style.scriptingMedia, 0, 'the stylesheet has (scripting) media queries');
				t.diagnostic(`screenshot: ${await screenshot(page, `signin.${mode.tag}`)}`);
				await a11y(t, page, 'the sign-in page');
				// the footer's accessibility statement, public too
				await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Toegankelijkheidsverklaring' }).click()]);
				assert.equal(where(page), '/toegankelijkheid');
				await a11y(t, page, 'the accessibility statement');
				assertClean(log);
			} finally {
				await context.close();
			}
		});

		it('a coordinator (no second factor) signs in, sees the start and account pages, and signs out', async (t) => {
			const { context, page, log } = await open();
			try {
				await signIn(page, suite.server.base, coordinator(mode), PASSWORD);
				assert.equal(where(page), '/start/coordinator');
				assert.equal(await h1(page), 'Coördinerend ministerie');
				assert.equal(await page.locator('.probity-user strong').innerText(), COORDINATOR_NAME);
				assert.equal(await page.locator('main .utrecht-paragraph--lead').innerText(), `Welkom, ${COORDINATOR_NAME}.`);
				assert.match(await page.locator('main').innerText(), /Rijksoverheid/);
				t.diagnostic(`screenshot: ${await screenshot(page, `start-coordinator.${mode.tag}`)}`);
				await a11y(t, page, 'the coordinator\'s start page');

				await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Uw account' }).click()]);
				assert.equal(where(page), '/account');
				assert.equal(await h1(page), 'Uw account');
				const roles = await page.locator('main table tbody tr').allInnerTexts();
				assert.deepEqual(roles.map((r) => r.replace(/\s+/g, ' ').trim()), ['Coördinerend ministerie Rijksoverheid (RIJK)']);
				await a11y(t, page, 'the account page');

				await press(page, 'Uitloggen');
				assert.equal(where(page), '/login?signed_out=1');
				assert.equal(await page.getByRole('status').innerText(), 'U bent uitgelogd.');
				assert.equal(await page.locator('.probity-user').count(), 0);
				await a11y(t, page, 'the sign-in page after signing out');

				await page.goto(`${suite.server.base}/account`);
				assert.equal(where(page), '/login');
				await page.goto(`${suite.server.base}/start/coordinator`);
				assert.equal(where(page), '/login');
				assertClean(log);
			} finally {
				await context.close();
			}
		});

		it('a wrong password shows the Dutch error and keeps the username', async (t) => {
			const { context, page, log } = await open();
			try {
				await signIn(page, suite.server.base, coordinator(mode), 'niet het goede wachtwoord');
				assert.equal(where(page), '/login');
				assert.equal(await page.getByRole('alert').innerText(), 'De gebruikersnaam of het wachtwoord klopt niet.');
				assert.equal(await page.locator('#username').inputValue(), coordinator(mode));
				assert.equal(await page.locator('#password').inputValue(), '');
				assert.equal(await page.locator('.probity-user').count(), 0);
				await a11y(t, page, 'the sign-in page with an error');
				// the answer is a 401, which the browser also notes in the console
				assertClean(log, [/^status 401 for POST .*\/login$/, /^console: .*status of 401/]);
			} finally {
				await context.close();
			}
		});

		it('the language switch turns the page English on the same path, and back', async (t) => {
			const { context, page, log } = await open();
			try {
				await page.goto(`${suite.server.base}/login`);
				await press(page, 'English');
				assert.equal(where(page), '/login');
				assert.equal(await lang(page), 'en');
				assert.equal(await h1(page), 'Sign in');
				assert.equal(await page.title(), 'Sign in — Probity');
				assert.equal(await page.getByRole('button', { name: 'Nederlands' }).locator('span').getAttribute('lang'), 'nl');
				await a11y(t, page, 'the English sign-in page');
				// the choice is kept across pages, and switching back works elsewhere too
				await page.goto(`${suite.server.base}/toegankelijkheid`);
				assert.equal(await lang(page), 'en');
				await press(page, 'Nederlands');
				assert.equal(where(page), '/toegankelijkheid');
				assert.equal(await lang(page), 'nl');
				assert.equal(await page.getByRole('button', { name: 'English' }).locator('span').getAttribute('lang'), 'en');
				assertClean(log);
			} finally {
				await context.close();
			}
		});

		it('an integrity coordinator sets up two-step sign-in, then signs in with a recovery code', async (t) => {
			const { context, page, log } = await open();
			try {
				await signIn(page, suite.server.base, integrity(mode), PASSWORD);
				assert.equal(where(page), '/account/2fa');
				assert.equal(await h1(page), 'Inloggen in twee stappen instellen');
				const qr = page.locator('img.probity-qr');
				assert.equal(await qr.getAttribute('alt'), 'QR-code voor uw authenticator-app');
				const qrWidth = await qr.evaluate((img) => (img.complete ? img.naturalWidth : -1));
				assert.ok(qrWidth > 0, `the QR image did not load (naturalWidth ${qrWidth})`);
				// half signed in: no name in the header, but a way out
				assert.equal(await page.locator('.probity-user').count(), 0);
				assert.equal(await page.getByRole('button', { name: 'Uitloggen' }).count(), 1);
				t.diagnostic(`screenshot: ${await screenshot(page, `enrol.${mode.tag}`)}`);
				await a11y(t, page, 'the enrolment page');

				// a wrong code first: the error, and the same key offered again
				const key = base32Decode(await page.locator('main code.utrecht-code').innerText());
				assert.equal(key.length, 20, 'a 160-bit TOTP key');
				const now = Date.now() / 1000;
				const valid = [-30, 0, 30].map((d) => totp(key, now + d));
				const wrong = ['000000', '111111', '222222'].find((c) => !valid.includes(c));
				await page.locator('#password').fill(PASSWORD);
				await page.locator('#code').fill(wrong);
				await press(page, 'Inloggen in twee stappen aanzetten');
				assert.equal(where(page), '/account/2fa');
				assert.match(await page.getByRole('alert').innerText(), /^Die code klopt niet\./);
				await a11y(t, page, 'the enrolment page with an error');
				const again = base32Decode(await page.locator('main code.utrecht-code').innerText());
				assert.ok(again.equals(key), 'the key changed after a wrong code');

				await page.locator('#password').fill(PASSWORD);
				await page.locator('#code').fill(totp(key, Date.now() / 1000));
				await press(page, 'Inloggen in twee stappen aanzetten');
				assert.equal(await h1(page), 'Uw herstelcodes');
				const codes = await page.locator('main .probity-codes code').allInnerTexts();
				assert.equal(codes.length, 10, `recovery codes: ${codes}`);
				assert.equal(new Set(codes).size, 10, 'recovery codes repeat');
				t.diagnostic(`screenshot: ${await screenshot(page, `recovery-codes.${mode.tag}`)}`);
				await a11y(t, page, 'the recovery codes');

				await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Ik heb mijn codes bewaard: verder' }).click()]);
				assert.equal(where(page), '/start/integrity-coordinator');
				assert.equal(await h1(page), 'Integriteitscoördinator');
				assert.equal(await page.locator('.probity-user strong').innerText(), 'Ivo Integer');
				await a11y(t, page, 'the integrity coordinator\'s start page');

				// next time the second step is asked for; one can leave it
				await press(page, 'Uitloggen');
				await signIn(page, suite.server.base, integrity(mode), PASSWORD);
				assert.equal(where(page), '/login/2fa');
				assert.equal(await h1(page), 'Inloggen in twee stappen');
				await a11y(t, page, 'the second-step page');
				await press(page, 'Uitloggen');
				assert.equal(where(page), '/login?signed_out=1');
				await page.goto(`${suite.server.base}/login/2fa`);
				assert.equal(where(page), '/login');
				// or pass it with a recovery code
				await signIn(page, suite.server.base, integrity(mode), PASSWORD);
				assert.equal(where(page), '/login/2fa');
				await page.locator('#code').fill(codes[3]);
				await press(page, 'Verder');
				assert.equal(where(page), '/start/integrity-coordinator');
				// the wrong code's answer is a 400, which the browser also notes in the console
				assertClean(log, [/^status 400 for POST .*\/account\/2fa$/, /^console: .*status of 400/]);
			} finally {
				await context.close();
			}
		});
	});
}
