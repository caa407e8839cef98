/* Tests for src/core/gzip.c: compression of kept views, and whether a
 * client takes it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "core/gzip.h"

static void
test_gzip_round_trips(void **state)
{
	char	 in[20000], back[20000], *gz;
	size_t	 gzlen, i;
	z_stream z;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = "{\"name\":\"Dr. Rater 1\",\"score\":4},"[i % 33];
	assert_int_equal(gzip_bytes(in, sizeof(in), &gz, &gzlen), 0);
	assert_non_null(gz);
	/* The gzip magic, and far smaller than the repetitive input. */
	assert_int_equal((unsigned char)gz[0], 0x1f);
	assert_int_equal((unsigned char)gz[1], 0x8b);
	assert_true(gzlen < sizeof(in) / 10);

	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)gz;
	z.avail_in = (uInt)gzlen;
	z.next_out = (Bytef *)back;
	z.avail_out = sizeof(back);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, sizeof(in));
	(void)inflateEnd(&z);
	assert_memory_equal(back, in, sizeof(in));
	free(gz);
}

static void
test_gzip_of_nothing_is_a_valid_stream(void **state)
{
	char  *gz;
	size_t gzlen;

	(void)state;
	assert_int_equal(gzip_bytes("", 0, &gz, &gzlen), 0);
	assert_true(gzlen >= 18); /* header and trailer */
	free(gz);
}

static void
test_accepted_reads_the_header_as_browsers_send_it(void **state)
{
	(void)state;
	assert_true(gzip_accepted("gzip, deflate, br"));
	assert_true(gzip_accepted("br;q=1.0, gzip;q=0.8, *;q=0.1"));
	assert_true(gzip_accepted("GZIP"));
	assert_true(gzip_accepted("x-gzip"));
	assert_true(gzip_accepted("*"));
	assert_true(gzip_accepted("  deflate ,gzip"));
}

static void
test_accepted_refuses_what_does_not_take_gzip(void **state)
{
	(void)state;
	assert_false(gzip_accepted(NULL));
	assert_false(gzip_accepted(""));
	assert_false(gzip_accepted("identity"));
	assert_false(gzip_accepted("deflate, br"));
	assert_false(gzip_accepted("gzip;q=0"));
	assert_false(gzip_accepted("gzip; q=0.000"));
	assert_false(gzip_accepted("gzipx"));
	assert_false(gzip_accepted("*;q=0"));
	/* A coding named outright decides over "*". */
	assert_false(gzip_accepted("gzip;q=0, *"));
	assert_true(gzip_accepted("*;q=0, gzip"));
	/* q after other parameters; a refusal of either name wins. */
	assert_false(gzip_accepted("gzip;level=1;q=0"));
	assert_true(gzip_accepted("gzip;level=1;q=0.5"));
	assert_false(gzip_accepted("x-gzip, gzip;q=0"));
	assert_false(gzip_accepted("gzip;q=0, x-gzip"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_round_trips),
		cmocka_unit_test(test_gzip_of_nothing_is_a_valid_stream),
		cmocka_unit_test(
		    test_accepted_reads_the_header_as_browsers_send_it),
		cmocka_unit_test(test_accepted_refuses_what_does_not_take_gzip),
	};

	return (cmocka_run_group_tests_name("core/gzip", tests, NULL, NULL));
}
