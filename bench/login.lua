-- wrk script: signs in the demo applicants in turn, each thread starting
-- at its own one (each sign-in a real Argon2id verification on the
-- server's task threads). Different accounts, so that the throttle does
-- not mistake the load for password guessing; non-200 answers are counted
-- and printed, so a bench that measured refusals cannot pass unnoticed.
local threads = {}
local next_id = 0

function setup(thread)
	thread:set("id", next_id)
	next_id = next_id + 1
	table.insert(threads, thread)
end

function init(args)
	n = id * 20
	failures = 0
end

function request()
	n = n + 1
	local body = string.format(
	    '{"email":"applicant%02d@demo.test","password":"fellowship-demo-2026"}',
	    (n % 80) + 1)
	return wrk.format("POST", nil,
	    { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
	if status ~= 200 then
		failures = failures + 1
	end
end

function done(summary, latency, requests)
	local f = 0
	for _, t in ipairs(threads) do
		f = f + t:get("failures")
	end
	io.write(string.format("sign-in failures: %d\n", f))
end
