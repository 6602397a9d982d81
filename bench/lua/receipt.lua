-- receipt.lua: "follow your report" per iteration: GET /melding (CSRF cookie
-- and token), POST /melding with a receipt (a 303 and the receipt session's
-- cookie), GET /melding/overzicht (the report, decrypted with the key the
-- receipt opens). Receipts come from the file named by wrk's script
-- argument, one a line, each thread starting at its own place. Run with
-- -t = -c (see submit.lua). done() prints "receipt: ok N errors N".
local threads = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("id", counter)
	table.insert(threads, thread)
end

local state, csrf_cookie, csrf, session
local receipts = {}
local at
ok, errors = 0, 0

function init(args)
	for line in io.lines(args[1]) do
		if #line > 0 then
			table.insert(receipts, line)
		end
	end
	at = (id * 7919) % #receipts
	state = "form"
end

function request()
	if state == "form" then
		return wrk.format("GET", "/melding", {["Cookie"] = "probity_lang=nl"})
	elseif state == "signin" then
		at = at % #receipts + 1
		return wrk.format("POST", "/melding", {
			["Content-Type"] = "application/x-www-form-urlencoded",
			["Cookie"] = "probity_lang=nl; " .. csrf_cookie,
		}, "csrf=" .. csrf .. "&receipt=" .. receipts[at])
	end
	return wrk.format("GET", "/melding/overzicht", {["Cookie"] = "probity_lang=nl; " .. session})
end

function response(status, headers, body)
	if state == "form" then
		csrf_cookie = (headers["Set-Cookie"] or ""):match("(probity_csrf=[^;]+)")
		csrf = body:match('name="csrf" value="([^"]+)"')
		if status == 200 and csrf_cookie and csrf then
			state = "signin"
		else
			errors = errors + 1
		end
	elseif state == "signin" then
		session = (headers["Set-Cookie"] or ""):match("(probity_receipt=[^;]+)")
		if status == 303 and session then
			state = "read"
		else
			errors = errors + 1
			state = "form"
		end
	else
		if status == 200 then
			ok = ok + 1
		else
			errors = errors + 1
		end
		state = "form"
	end
end

function done(summary, latency, requests)
	local n, e = 0, 0
	for _, t in ipairs(threads) do
		n = n + t:get("ok")
		e = e + t:get("errors")
	end
	io.write(string.format("receipt: ok %d errors %d\n", n, e))
end
