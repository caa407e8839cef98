/*
 * Validation of the small text fields every part of the product shares:
 * e-mail addresses and people's names.
 */
#ifndef FELLOW_CORE_TEXT_H
#define FELLOW_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_EMAIL_MAX 254
#define TEXT_NAME_MAX  200

/*
 * Returns 1 when s looks like a deliverable address: one '@', a non-empty
 * local part without spaces or control characters, a domain of dot-separated
 * labels of letters, digits and hyphens, at most 254 bytes. Deliberately
 * narrower than RFC 5322 (no quoted local parts, no address literals).
 */
int text_email_valid(const char *s);

/*
 * Returns 1 when s is a usable display name: valid UTF-8, 1 to 200 bytes,
 * no control characters, not only spaces.
 */
int text_name_valid(const char *s);

/*
 * Returns 1 when s is a plain personal name, as a name put into mail to
 * someone else must be: 1 to 100 characters of letters (any script),
 * spaces and the punctuation of names (. , ' ’ - ( )), not only spaces,
 * and nothing that reads as an address ("example.com": a dot followed by
 * two or more letters; no digits, ':', '/' or '@').
 */
int text_person_name_valid(const char *s);

/*
 * Checks s as user text of at most max characters: valid UTF-8, not only
 * spaces, no control characters (newlines and tabs allowed when multiline).
 * Returns 0, or -1 with a sentence for the user in *msg.
 */
int text_plain(const char *s, int multiline, size_t max, const char **msg);

/*
 * Returns the id that follows prefix in path: 1 to 18 decimal digits, no
 * sign or space, ending the path or followed by '/', and not 0. Returns 0
 * for anything else (the routes only match such paths; this is the check
 * of last resort, and what the fuzz target exercises).
 */
int64_t text_path_id(const char *path, const char *prefix);

#endif
