/*
 * Is this file a PDF we can accept? Strictly: nothing before the %PDF-
 * header, nothing but whitespace after the last %%EOF, no markup in the
 * file's own syntax (a PDF/HTML polyglot), then a real parse with qpdf.
 * Refused: encrypted files; JavaScript, XFA and launch actions; embedded
 * files, attachments and rich media; forms that submit or import data;
 * links that open other files; a dictionary with a key given twice (which
 * viewers may read differently). Links to web pages stay allowed.
 *
 * The server never runs this in a worker: the separate check process
 * (src/cli/pdfcheck.c, ops/pdfcheck.h) runs it with limits on memory, CPU
 * and time.
 */
#ifndef FELLOW_CORE_PDF_H
#define FELLOW_CORE_PDF_H

#include <stddef.h>

/* The verdicts travel between processes as numbers: append only. */
enum pdf_verdict {
	PDF_OK,
	PDF_NOT_PDF,   /* not a PDF, or damaged beyond repair */
	PDF_ENCRYPTED, /* password-protected or encrypted */
	PDF_ACTIVE,    /* JavaScript, XFA, or an action that launches */
	PDF_COMPLEX,   /* more objects, memory or time than a document needs */
	PDF_TRAILING,  /* bytes before the header or after the last %%EOF */
	PDF_MARKUP,    /* HTML or script markers outside the PDF's content */
	PDF_EMBEDDED,  /* embedded files, file attachments, rich media */
	PDF_FORM_DATA, /* a form action that submits or imports data */
	PDF_REMOTE,    /* an action that opens another file */
	PDF_AMBIGUOUS, /* a dictionary with the same key twice */
	PDF_UNCHECKED, /* the check could not run (busy or failed) */
	PDF__MAX
};

/* The largest file the check reads. */
#define PDF_MAX_BYTES (64L * 1024 * 1024)

/* Checks len bytes at buf. */
enum pdf_verdict pdf_check_buffer(const unsigned char *buf, size_t len);

/* Checks the file at path (read whole, at most PDF_MAX_BYTES). */
enum pdf_verdict pdf_check(const char *path);

/* Checks the file open at fd, read from its start. */
enum pdf_verdict pdf_check_fd(int fd);

/* A sentence for the user explaining a verdict. */
const char *pdf_verdict_message(enum pdf_verdict);

#endif
