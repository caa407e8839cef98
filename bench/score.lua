-- wrk script: the same PUT over and over (BENCH_BODY to BENCH_PATH, with
-- BENCH_COOKIE and BENCH_CSRF from the environment): a faculty member
-- saving their submitted score sheet with the same values (every request
-- a full write transaction: access checks, rubric validation, the
-- sheet's update and its audit record), or the director saving the rank
-- list as it is. Non-200 answers are counted and printed.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	failures = 0
end

function request()
	return wrk.format("PUT", os.getenv("BENCH_PATH"), {
		["Content-Type"] = "application/json",
		["Cookie"] = os.getenv("BENCH_COOKIE"),
		["X-CSRF-Token"] = os.getenv("BENCH_CSRF"),
	}, os.getenv("BENCH_BODY"))
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
	io.write(string.format("refused: %d\n", f))
end
