/*
 * Is this file a PDF we can accept? Checked by content with qpdf (a real
 * parse, so a PDF/HTML polyglot or a renamed file fails), and refused when
 * encrypted or carrying JavaScript or launch actions. Reads the file: run
 * it on a task thread for anything but tiny files.
 */
#ifndef FELLOW_CORE_PDF_H
#define FELLOW_CORE_PDF_H

enum pdf_verdict {
	PDF_OK,
	PDF_NOT_PDF,   /* not a PDF, or damaged beyond repair */
	PDF_ENCRYPTED, /* password-protected or encrypted */
	PDF_ACTIVE,    /* JavaScript, XFA, or an action that launches */
	PDF_COMPLEX,   /* more objects or work than a document needs */
	PDF__MAX
};

/* Checks the file at path. */
enum pdf_verdict pdf_check(const char *path);

/* A sentence for the user explaining a verdict. */
const char *pdf_verdict_message(enum pdf_verdict);

#endif
