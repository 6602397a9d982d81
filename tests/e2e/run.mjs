// run.mjs: the meson test 'browser' (suite browser). Skips (exit 77) when
// chromium or the npm test tools are not installed, saying what is missing;
// otherwise runs the given test files with node's own test runner and fails
// unless the runner exits 0 AND its summary counts at least one pass and no
// failure or cancellation: a file that crashes before it declares its tests
// or a hook that fails must not look like success.
import { spawn } from 'node:child_process';

import { missingPrerequisites } from './browser.mjs';

const files = process.argv.slice(2);
if (files.length === 0) {
	console.error('usage: node run.mjs TEST_FILE...');
	process.exit(2);
}
const missing = missingPrerequisites();
if (missing.length) {
	for (const m of missing)
		console.log(`SKIP browser tests: ${m}`);
	process.exit(77);
}
if (!process.env.PROBITY) {
	console.error('run.mjs: PROBITY (the probity binary to test) is not set');
	process.exit(1);
}

const started = Date.now();
const child = spawn(process.execPath, ['--test', '--test-reporter=tap', ...files], {
	stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (d) => {
	out += d;
	process.stdout.write(d);
});
// meson ends a test that runs too long with SIGTERM: pass it on
for (const sig of ['SIGTERM', 'SIGINT'])
	process.on(sig, () => child.kill(sig));
child.on('close', (code, signal) => {
	const count = (name) => {
		const m = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(out);
		return m ? Number(m[1]) : null;
	};
	const pass = count('pass'), fail = count('fail'), cancelled = count('cancelled');
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const ok = code === 0 && pass > 0 && fail === 0 && cancelled === 0;
	console.log(`# browser: ${pass ?? '?'} passed, ${fail ?? '?'} failed, ${cancelled ?? '?'} cancelled in ${seconds} s` +
		(ok ? '' : ` (test runner exit ${code ?? signal})`));
	process.exit(ok ? 0 : 1);
});
