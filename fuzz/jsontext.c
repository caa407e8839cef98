/*
 * The JSON text writer of the views served on the event loop
 * (core/jsontext.c): whatever bytes a name holds, the text written is
 * ASCII, parses as JSON, and gives back the same string when the bytes
 * were UTF-8 (core/utf8.c decides), or one with U+FFFD in place of what
 * was not. The input is cut at its first NUL, as the database's strings
 * are.
 */
#include "core/jsontext.h"
#include "core/utf8.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jtext t;
	json_t	    *v;
	char	    *s = fuzz_cstr(data, size), *text;
	size_t	     len, i;

	jtext_init(&t);
	jtext_raw(&t, "{\"name\":");
	jtext_str(&t, s);
	jtext_raw(&t, ",\"n\":");
	jtext_int(&t, (int64_t)size);
	jtext_raw(&t, "}");
	if ((text = jtext_finish(&t, &len)) == NULL)
		fuzz_fail("out of memory");
	fuzz_assert(strlen(text) == len);
	for (i = 0; i < len; i++)
		fuzz_assert((unsigned char)text[i] >= 0x20 &&
		    (unsigned char)text[i] < 0x80);
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	fuzz_assert(v != NULL);
	fuzz_assert(json_is_string(json_object_get(v, "name")));
	if (utf8_valid(s, strlen(s)))
		fuzz_assert(
		    strcmp(json_string_value(json_object_get(v, "name")), s) ==
		    0);
	fuzz_assert(
	    json_integer_value(json_object_get(v, "n")) == (json_int_t)size);
	json_decref(v);
	free(text);
	free(s);
	return (0);
}
