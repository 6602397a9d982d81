-- submit.lua: a complete anonymous submission per iteration, as a browser
-- makes it: GET /melden (the form and its CSRF cookie and token, a new
-- visitor each time), then POST /melden/verzenden with the filled-in form
-- (multipart, as the form's enctype says). The wizard's screens in between
-- only carry the answers back and forth in hidden fields and store nothing,
-- so they are left out. Run with as many threads as connections (-t = -c):
-- wrk tells a response's connection only by its thread, and the two steps
-- must share a visitor. Each thread appends the receipts it got to
-- <prefix><thread>.txt (wrk's first script argument) for bench/run to
-- check; the second names the department reported to (default BZK: not the
-- department whose 50-report inbox is measured afterwards).
-- done() prints "submit: ok N errors N" for bench/run.
local threads = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("id", counter)
	table.insert(threads, thread)
end

local state, cookie, csrf, out
local org = "BZK"
ok, errors = 0, 0
local boundary = "----probitybench7MA4YWxkTrZu0gW"

function init(args)
	state = "get"
	if args[1] then
		out = io.open(args[1] .. id .. ".txt", "a")
	end
	org = args[2] or org
end

local function field(name, value)
	return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name ..
		"\"\r\n\r\n" .. value .. "\r\n"
end

local function form()
	return field("csrf", csrf) .. field("screen", "9") .. field("org", org) ..
		field("mode", "anonymous") .. field("a.kind", "integrity_violation") ..
		field("a.description", "BENCHMARK-PLAINTEXT-7Q Er verdwijnt geld uit de kas van de afdeling; " ..
			"declaraties worden dubbel ingediend en goedgekeurd zonder controle.") ..
		field("a.contact", "messages") .. "--" .. boundary .. "--\r\n"
end

function request()
	if state == "get" then
		return wrk.format("GET", "/melden", {["Cookie"] = "probity_lang=nl"})
	end
	return wrk.format("POST", "/melden/verzenden", {
		["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
		["Cookie"] = "probity_lang=nl; " .. cookie,
	}, form())
end

function response(status, headers, body)
	if state == "get" then
		local set = headers["Set-Cookie"] or ""
		cookie = set:match("(probity_csrf=[^;]+)")
		csrf = body:match('name="csrf" value="([^"]+)"')
		if status == 200 and cookie and csrf then
			state = "post"
		else
			errors = errors + 1
		end
		return
	end
	state = "get"
	local receipt = status == 200 and body:match('id="receipt">([^<]+)<')
	if receipt then
		ok = ok + 1
		if out then
			out:write(receipt, "\n")
			out:flush()
		end
	else
		errors = errors + 1
	end
end

function done(summary, latency, requests)
	local n, e = 0, 0
	for _, t in ipairs(threads) do
		n = n + t:get("ok")
		e = e + t:get("errors")
	end
	io.write(string.format("submit: ok %d errors %d\n", n, e))
end
