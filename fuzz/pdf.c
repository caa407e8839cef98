/*
 * The PDF check (core/pdf.c, with qpdf) on any bytes as an uploaded
 * document. pdf_check() reads a file, so each input is written to one
 * temporary file (in /dev/shm when there is one) first. Whatever the
 * input, the check must end with a verdict: no crash, leak, hang or
 * sanitizer report in our walk or in qpdf, and nothing but PDF_NOT_PDF
 * for a file that does not start with %PDF-.
 */
#include <unistd.h>

#include "core/pdf.h"
#include "fuzz.h"

static char path[64];
static int  fd = -1;

static void
remove_file(void)
{
	if (fd != -1) {
		(void)unlink(path);
		(void)close(fd);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	(void)snprintf(path, sizeof(path), "%s/fellowship-fuzz-pdf.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		fuzz_fail("cannot create the temporary file");
	(void)atexit(remove_file);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum pdf_verdict v;

	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		fuzz_fail("cannot write the temporary file");
	v = pdf_check(path);
	fuzz_assert((unsigned int)v < PDF__MAX);
	fuzz_assert(pdf_verdict_message(v)[0] != '\0');
	if (size < 5 || memcmp(data, "%PDF-", 5) != 0)
		fuzz_assert(v == PDF_NOT_PDF);
	return (0);
}
