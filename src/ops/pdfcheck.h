/*
 * The PDF check process (src/cli/pdfcheck.c, installed beside the module
 * as fellow-pdfcheck), seen from the server. The server's parent starts it
 * once, before any worker exists, and keeps one end of a unix socket
 * (sequenced packets) that every worker inherits. A check sends the open
 * upload and a fresh reply socket as one message; the verdict comes back
 * on the reply socket as one byte, which the worker's event loop waits
 * for (no thread waits). The process runs each check in a child of its
 * own with limits on memory, CPU and time, a few at a time, so a hostile
 * PDF costs that child, never a worker nor the task threads that sign-ins
 * hash on.
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
 * Sends the file at path to the check process without waiting: returns
 * the socket its verdict will arrive on (non-blocking; read it with
 * pdfcheck_receive() when it is readable, then close it), or -1 when the
 * process is not running or its queue is full (the verdict is then
 * PDF_UNCHECKED).
 */
int pdfcheck_send(const char *path);

/* Reads the verdict from a socket pdfcheck_send() gave: the verdict, or
 * -1 when it has not arrived yet. A closed or broken socket gives
 * PDF_UNCHECKED. */
int pdfcheck_receive(int fd);

/* The control space of a request: two descriptors. */
#define PDFCHECK_CONTROL_LEN CMSG_SPACE(2 * sizeof(int))

/* Sets msg up for one request or reply byte at *byte with control (of
 * PDFCHECK_CONTROL_LEN bytes) as its control space; both sides use it. */
void pdfcheck_message(
    struct msghdr *msg, struct iovec *iov, unsigned char *byte, void *control);

#endif
