/*
 * What every fuzz target shares: libFuzzer's entry points, declared so
 * that the targets build with the project's warnings, and small helpers
 * to turn the fuzzer's bytes into the C strings and JSON documents the
 * product's parsers take. A broken invariant calls fuzz_fail(), which
 * aborts, so that libFuzzer keeps the input as a crash.
 */
#ifndef FELLOW_FUZZ_H
#define FELLOW_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Aborts with why (and where) when an invariant of the product fails. */
#define fuzz_fail(why)                                                         \
	do {                                                                   \
		fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, why); \
		abort();                                                       \
	} while (0)

#define fuzz_assert(cond)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_fail("invariant failed: " #cond);                 \
	} while (0)

/* Returns data as a NUL-terminated string (cut at its first NUL, as the
 * web layer's strings are), which the caller frees. Never NULL. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return (s);
}

/* Parses data as the web layer parses a request body; NULL when it is
 * not JSON. The caller owns the result. */
static inline json_t *
fuzz_json(const uint8_t *data, size_t size)
{
	json_error_t err;

	return (
	    json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err));
}

#endif
