-- 017: the program an installation serves, with its name.
--
-- Every page says which program it is about. One installation serves one
-- program today, the row with id 1, which this migration creates; the
-- table is where the programs of a department will be kept, each with
-- its own cycles and people.

CREATE TABLE programs (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE
			CHECK (length(name) BETWEEN 1 AND 200),
	created_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ')),
	updated_at	TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ'))
) STRICT;

INSERT INTO programs (id, name) VALUES (1, 'Fellowship program');
