// server.mjs: a real `probity serve` for the browser tests, as tests/http's
// harness.c does it: a fresh database in a temporary folder, organisations and
// users added through the command line (passwords on standard input), the
// server on a free loopback port read from its "serving http://..." line, and
// SIGTERM at the end, which must end it with exit status 0 (under the
// sanitizer build that also means no leak and no error report).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const START_TIMEOUT_MS = 30000; // a sanitizer build starts slowly on a busy machine
const STOP_TIMEOUT_MS = 15000;

export function probityBinary() {
	const bin = process.env.PROBITY;
	if (!bin)
		throw new Error('PROBITY is not set: run these tests with `meson test --suite browser`');
	return bin;
}

// With PROBITY_TEST_PG set (scripts/pg-test-cluster run), each server gets a
// PostgreSQL database of its own on that cluster, as tests/http/harness.c
// does: CREATE DATABASE t_<random>, dropped when the server stops. The
// signing key then has no file to sit beside: PROBITY_SIGNING_KEY puts it in
// the server's temporary folder (serverEnv).
const PG = process.env.PROBITY_TEST_PG || '';

function psql(sql) {
	const r = spawnSync('psql', ['-qX', '-v', 'ON_ERROR_STOP=1', PG, '-c', sql], { encoding: 'utf8', timeout: 60000 });
	if (r.status !== 0)
		throw new Error(`psql ${sql}: ${r.stderr}`);
}

// The environment for a probity command against server's database.
export function serverEnv(server) {
	return { ...process.env, PROBITY_SIGNING_KEY: path.join(server.dir, 'test.key') };
}

// The bytes the database holds, for the "no plaintext at rest" checks: the
// SQLite file and its logs; on PostgreSQL a plain pg_dump of the test's
// database with every bytea value ('\x...' in hex) decoded and appended, so
// that a sealed blob is searched as the bytes it is.
export function storedBytes(server) {
	if (!server.pg)
		return Buffer.concat(['', '-wal', '-journal']
			.map((x) => server.db + x)
			.filter((f) => existsSync(f))
			.map((f) => readFileSync(f)));
	const r = spawnSync('pg_dump', ['--data-only', server.db], { maxBuffer: 1 << 30, timeout: 120000 });
	if (r.status !== 0)
		throw new Error(`pg_dump: ${r.stderr}`);
	const dump = r.stdout;
	const blobs = [...dump.toString('latin1').matchAll(/\\x([0-9a-f]+)/g)].map((m) => Buffer.from(m[1], 'hex'));
	return Buffer.concat([dump, ...blobs]);
}

// Runs `probity ARGS --db DB`, with input on standard input; throws with the
// command's output unless it exits 0.
function cli(db, args, input, env) {
	const r = spawnSync(probityBinary(), [...args, '--db', db], {
		input: input ?? '',
		encoding: 'utf8',
		timeout: 60000,
		env,
	});
	if (r.status !== 0)
		throw new Error(`probity ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}${r.stdout}`);
	return r.stdout;
}

// Creates the database with orgs ([{code, name, kind?, parent?, outsideScope?}]) and users
// ([{username, name, role, org, password}]), starts the server and returns
// {base, db, stop}: db is the database file's path, for tests that look at
// what was stored (read it, never write it while the server runs). stop() is
// safe to call twice and when start failed half-way; it resolves to the
// server's exit status and the tail of what it wrote to standard error.
export async function startServer({ orgs = [], users = [] } = {}) {
	const dir = mkdtempSync(path.join(tmpdir(), 'probity-e2e-'));
	const pgName = PG ? `t_${randomBytes(6).toString('hex')}` : null;
	const db = PG ? `${PG.replace(/\/[^/]*$/, '')}/${pgName}` : path.join(dir, 'test.db');
	const env = serverEnv({ dir });
	let created = false;
	let child = null;
	let stderr = '';
	let exited = null; // {code, signal} once the process has gone
	let exitWaiters = [];
	const removeDir = () => rmSync(dir, { recursive: true, force: true });
	// should the test process die without running its after() hooks, take the
	// server along instead of leaving it listening
	const onExit = () => {
		if (child && !exited)
			child.kill('SIGKILL');
		removeDir();
	};
	process.on('exit', onExit);

	const stop = async () => {
		process.removeListener('exit', onExit);
		let status = null;
		if (child && !exited) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
			await new Promise((resolve) => exitWaiters.push(resolve));
			clearTimeout(timer);
		}
		if (exited)
			status = exited.signal ? `signal ${exited.signal}` : exited.code;
		if (created) {
			created = false;
			psql(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
		}
		removeDir();
		return { status, stderr };
	};

	try {
		if (PG) {
			psql(`CREATE DATABASE ${pgName}`);
			created = true;
		}
		cli(db, ['init'], '', env);
		for (const o of orgs) {
			const args = ['org', 'add', o.code, '--name', o.name, '--from', '2020-01-01'];
			if (o.kind)
				args.push('--kind', o.kind);
			if (o.parent)
				args.push('--parent', o.parent);
			if (o.outsideScope)
				args.push('--outside-scope');
			cli(db, args, '', env);
		}
		for (const u of users)
			cli(db, ['user', 'add', u.username, '--name', u.name, '--role', u.role, '--org', u.org],
			    `${u.password}\n`, env);

		child = spawn(probityBinary(), ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env,
		});
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (d) => {
			stderr += d;
		});
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			for (const w of exitWaiters)
				w();
			exitWaiters = [];
		});
		const port = await new Promise((resolve, reject) => {
			let out = '';
			const timer = setTimeout(() => reject(new Error(`no "serving" line within ${START_TIMEOUT_MS} ms: ${out}${stderr}`)), START_TIMEOUT_MS);
			child.stdout.setEncoding('utf8');
			child.stdout.on('data', (d) => {
				out += d;
				const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				}
			});
			child.on('exit', (code, signal) => {
				clearTimeout(timer);
				reject(new Error(`probity serve exited ${code ?? signal} before serving: ${out}${stderr}`));
			});
		});
		// keep reading its output (the "stopping" line), so it never blocks on a full pipe
		child.stdout.resume();
		return { base: `http://127.0.0.1:${port}`, db, dir, pg: !!PG, stop };
	} catch (e) {
		await stop();
		throw e;
	}
}
