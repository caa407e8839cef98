-- 011: caps on the mail that letter requests send.
--
-- A letter request and a reminder each mail an address the applicant
-- typed. One row per such mail, at the program's clock, counts them over
-- a rolling day per applicant and per address (core/mailcap.h); the
-- address as counted is in lower case, without a +tag
-- (mailcap_address()). Rows older than a day count nothing: the mail
-- process purges them daily.
CREATE TABLE letter_mails (
	id		INTEGER PRIMARY KEY,
	applicant_id	INTEGER NOT NULL REFERENCES users (id),
	letter_id	INTEGER NOT NULL REFERENCES letters (id),
	address		TEXT NOT NULL COLLATE NOCASE,
	kind		TEXT NOT NULL CHECK (kind IN ('request', 'reminder')),
	sent_at		INTEGER NOT NULL
) STRICT;

CREATE INDEX letter_mails_applicant ON letter_mails (applicant_id, sent_at);
CREATE INDEX letter_mails_address ON letter_mails (address, sent_at);
