-- 002: sessions, single-use tokens, login throttling and the mail outbox.
--
-- Times in these tables are Unix seconds (UTC): they are compared with
-- the clock on every request, and integers make that exact and cheap.

-- A signed-in browser. The cookie carries a random token; only its hash
-- is stored, so a copy of the database does not let anyone sign in.
CREATE TABLE sessions (
	id		INTEGER PRIMARY KEY,
	token_hash	BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	user_id		INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_token	TEXT NOT NULL,
	created_at	INTEGER NOT NULL,
	last_seen_at	INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);

-- Links sent by e-mail: invitations, password resets and the one-time
-- setup of the first director. Single use (used_at), expiring.
CREATE TABLE tokens (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL CHECK (kind IN ('invite', 'reset', 'setup')),
	token_hash	BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	user_id		INTEGER REFERENCES users (id) ON DELETE CASCADE,
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL,
	used_at		INTEGER
) STRICT;

CREATE INDEX tokens_user ON tokens (user_id, kind);

-- Failed sign-ins per account ("acct:<email>") and per client address
-- ("addr:<ip>"), shared by every worker.
CREATE TABLE login_throttle (
	key		TEXT PRIMARY KEY,
	failures	INTEGER NOT NULL DEFAULT 0,
	window_start	INTEGER NOT NULL,
	blocked_until	INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Mail waiting for delivery, delivered and failed. Delivery runs in a
-- separate process (src/ops/mailer.c), never on a worker.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	to_addr		TEXT NOT NULL,
	subject		TEXT NOT NULL,
	body		TEXT NOT NULL,
	created_at	INTEGER NOT NULL,
	status		TEXT NOT NULL DEFAULT 'pending'
			CHECK (status IN ('pending', 'sent', 'failed', 'held')),
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt_at	INTEGER NOT NULL,
	last_error	TEXT,
	sent_at		INTEGER
) STRICT;

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
