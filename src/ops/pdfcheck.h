/*
 * The PDF check process (src/cli/pdfcheck.c, installed beside the module
 * as fellow-pdfcheck), seen from the server. The server's parent starts it
 * once, before any worker exists, and keeps one end of a unix socket
 * (sequenced packets) that every worker inherits. A check sends the open
 * upload and a fresh reply socket as one message; the verdict comes back
 * on the reply socket as one byte. The process runs each check in a child
 * of its own with limits on memory, CPU and time, a few at a time, so a
 * hostile PDF costs that child, never a worker, and never the task threads
 * that sign-ins use for more than the wait.
 */
#ifndef FELLOW_OPS_PDFCHECK_H
#define FELLOW_OPS_PDFCHECK_H

#include <sys/socket.h>
#include <sys/types.h>

#include "core/pdf.h"

/* How long a check may take in the check process before it is killed,
 * and how long a worker waits for its verdict (queueing included). */
#define PDFCHECK_WALL_SECONDS 20
#define PDFCHECK_WAIT_SECONDS 60

/*
 * Starts program (the check process) as uid/gid when the caller is root
 * and they are not 0, with a clean environment; it ends with the caller.
 * Remembers the socket that pdfcheck_ask() uses in this process and in
 * every process forked from it. Returns its pid, or -1 (errno set).
 */
pid_t pdfcheck_spawn(const char *program, uid_t uid, gid_t gid);

/*
 * Asks the check process for the verdict on the file at path; blocks for
 * at most PDFCHECK_WAIT_SECONDS (run it on a task thread). PDF_UNCHECKED
 * when the process is not running, is too busy, or did not answer.
 */
enum pdf_verdict pdfcheck_ask(const char *path);

/* The control space of a request: two descriptors. */
#define PDFCHECK_CONTROL_LEN CMSG_SPACE(2 * sizeof(int))

/* Sets msg up for one request or reply byte at *byte with control (of
 * PDFCHECK_CONTROL_LEN bytes) as its control space; both sides use it. */
void pdfcheck_message(
    struct msghdr *msg, struct iovec *iov, unsigned char *byte, void *control);

#endif
