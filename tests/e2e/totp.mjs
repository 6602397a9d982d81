// totp.mjs: the authenticator app's side of two-step sign-in, for the browser
// tests: RFC 4648 base32 and RFC 6238 TOTP (HMAC-SHA1, 30-second steps, six
// digits), written out here rather than taken from the server so that the test
// checks the server against the standard, not against itself.
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// The bytes of a base32 text; spaces (the page shows the key in groups),
// case and '=' padding are ignored. Throws on any other character.
export function base32Decode(text) {
	const clean = text.replace(/[\s=]/g, '').toUpperCase();
	const out = [];
	let bits = 0;
	let value = 0;
	for (const ch of clean) {
		const v = ALPHABET.indexOf(ch);
		if (v < 0)
			throw new Error(`not base32: '${ch}' in '${text}'`);
		value = (value << 5) | v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out.push((value >>> bits) & 0xff);
		}
	}
	return Buffer.from(out);
}

// The code for key (bytes) at unixSeconds: HOTP (RFC 4226) over the step count.
export function totp(key, unixSeconds, { step = 30, digits = 6 } = {}) {
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / step)));
	const mac = createHmac('sha1', key).update(counter).digest();
	const offset = mac[mac.length - 1] & 0x0f;
	const bin = mac.readUInt32BE(offset) & 0x7fffffff;
	return String(bin % 10 ** digits).padStart(digits, '0');
}
