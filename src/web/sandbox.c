/*
 * The worker's seccomp filter, added to Kore's own list. Kore 4.1's list
 * predates Debian 12's glibc and SQLite; each line below is a system call
 * this stack was seen to make, with why. Anything else kills the thread
 * that makes it (Kore's SECCOMP_RET_KILL is per thread), and web/sentinel.c
 * then ends the worker ("sandbox violation" in the log, which fails the
 * tests). Find the list again with "seccomp_tracing yes" whenever a
 * dependency changes, and exercise the rare paths: a call made only when
 * two threads contend for a lock shows up once in many thousand requests.
 */
#include <errno.h>

#include <kore/kore.h>
#include <kore/seccomp.h>

#pragma GCC visibility push(default)
/* clang-format off */
KORE_SECCOMP_FILTER("fellowship",
	/* glibc's stat family and access() on Debian 12. */
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(faccessat2),
	/* SQLite page I/O and durability. */
	KORE_SYSCALL_ALLOW(pread64),
	KORE_SYSCALL_ALLOW(pwrite64),
	KORE_SYSCALL_ALLOW(fsync),
	KORE_SYSCALL_ALLOW(fdatasync),
	KORE_SYSCALL_ALLOW(ftruncate),
	/* SQLite WAL checkpoints and journal clean-up, stored uploads. */
	KORE_SYSCALL_ALLOW(unlinkat),
	KORE_SYSCALL_ALLOW(rename),
	KORE_SYSCALL_ALLOW(mkdir),
	KORE_SYSCALL_ALLOW(fchmod),
	/* An upload's time is the program's clock (futimens, store/files.c). */
	KORE_SYSCALL_ALLOW(utimensat),
	/* glibc realloc of large blocks, Argon2id memory. */
	KORE_SYSCALL_ALLOW(mremap),
	/* Task threads on Debian 12's glibc. */
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	/* Task threads lower their own priority (web/offload.c); the
	 * sanitizer runtime (tests) registers each new thread. */
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(setpriority),
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	/* A PDF check goes to the check process (ops/pdfcheck.c): a
	 * reply socket, and the request message with the upload's and the
	 * reply socket's descriptors. */
	KORE_SYSCALL_ALLOW(socketpair),
	KORE_SYSCALL_ALLOW(sendmsg),
	/* Waiting for a lock another thread holds: the sanitizer runtime's
	 * spin locks (tests: a worker's event loop was killed for it while
	 * hashes ran), and jansson while another thread seeds its hashes. */
	KORE_SYSCALL_ALLOW(sched_yield),
	/* Each thread names the word the kernel clears when it ends
	 * (web/sentinel.c). */
	KORE_SYSCALL_ALLOW(set_tid_address),
	/* SQLite tries fchown on new journal files as root; refusing is fine. */
	KORE_SYSCALL_DENY(fchown, EPERM),
);
/* clang-format on */
#pragma GCC visibility pop
