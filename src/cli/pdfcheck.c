/*
 * fellow-pdfcheck: checks uploaded PDFs (core/pdf.h) for the server, in
 * processes of their own. The server's parent starts it (ops/pdfcheck.c)
 * with the request socket as descriptor 3. Each request is one message
 * carrying two descriptors: the upload, open for reading, and the socket
 * the verdict goes back on, as one byte.
 *
 * At most PDFCHECK_RUNNING checks run at once; the others wait in the
 * socket, which is this process's queue (a worker that finds it full
 * answers "try again" at once). Each check runs in a child with:
 *   - 512 MiB of address space, 10 s of CPU, no file it may write or
 *     grow, no core dump, a handful of descriptors;
 *   - a seccomp filter that refuses sockets, new processes and programs,
 *     and opening, creating, renaming or removing files for writing: the
 *     upload is all it can touch, and only for reading;
 *   - the lowest priority, so sign-ins and pages come first;
 *   - a kill after PDFCHECK_WALL_SECONDS of wall-clock time.
 * The verdict is the child's exit status; a child that was killed, ran
 * out of memory or crashed gives "too complex". A decompression bomb
 * costs that child, never a worker.
 *
 * The process ends when the server is gone: its parent's death sends
 * SIGTERM, and the socket reads end-of-file once no worker holds it.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/pdf.h"
#include "ops/pdfcheck.h"

#define CHANNEL		 3
#define PDFCHECK_RUNNING 2
#define CHECK_MEMORY	 (512L * 1024 * 1024)
#define CHECK_CPU	 10

struct check {
	pid_t	pid;	 /* 0: free */
	int	reply;	 /* where the verdict goes */
	int64_t started; /* monotonic milliseconds */
};

static struct check running[PDFCHECK_RUNNING];

static int64_t
now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Refuses, with EPERM, what a check never needs. */
static int
confine(void)
{
	static const int denied[] = { SCMP_SYS(socket), SCMP_SYS(socketpair),
		SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(listen),
		SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(sendto),
		SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg), SCMP_SYS(execve),
		SCMP_SYS(execveat), SCMP_SYS(fork), SCMP_SYS(vfork),
		SCMP_SYS(clone), SCMP_SYS(clone3), SCMP_SYS(ptrace),
		SCMP_SYS(kill), SCMP_SYS(tkill), SCMP_SYS(creat),
		SCMP_SYS(unlink), SCMP_SYS(unlinkat), SCMP_SYS(rename),
		SCMP_SYS(renameat), SCMP_SYS(renameat2), SCMP_SYS(mkdir),
		SCMP_SYS(mkdirat), SCMP_SYS(rmdir), SCMP_SYS(link),
		SCMP_SYS(linkat), SCMP_SYS(symlink), SCMP_SYS(symlinkat),
		SCMP_SYS(truncate), SCMP_SYS(ftruncate), SCMP_SYS(chmod),
		SCMP_SYS(fchmod), SCMP_SYS(fchmodat), SCMP_SYS(chown),
		SCMP_SYS(fchown), SCMP_SYS(fchownat), SCMP_SYS(lchown),
		SCMP_SYS(mknod), SCMP_SYS(mknodat), SCMP_SYS(setxattr),
		SCMP_SYS(fsetxattr), SCMP_SYS(utimensat), SCMP_SYS(openat2),
		SCMP_SYS(io_uring_setup), SCMP_SYS(io_uring_enter),
		SCMP_SYS(io_uring_register), SCMP_SYS(process_vm_readv),
		SCMP_SYS(process_vm_writev), SCMP_SYS(pidfd_open),
		SCMP_SYS(pidfd_getfd), SCMP_SYS(pidfd_send_signal),
		SCMP_SYS(tgkill), SCMP_SYS(rt_sigqueueinfo),
		SCMP_SYS(rt_tgsigqueueinfo), SCMP_SYS(unshare), SCMP_SYS(setns),
		SCMP_SYS(ioctl), SCMP_SYS(mount), SCMP_SYS(umount2),
		SCMP_SYS(chroot), SCMP_SYS(pivot_root), SCMP_SYS(bpf),
		SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd),
		SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key),
		SCMP_SYS(memfd_create), SCMP_SYS(fallocate),
		SCMP_SYS(copy_file_range), SCMP_SYS(splice), SCMP_SYS(tee),
		SCMP_SYS(vmsplice), SCMP_SYS(sendfile), SCMP_SYS(setxattr),
		SCMP_SYS(lsetxattr), SCMP_SYS(removexattr),
		SCMP_SYS(fremovexattr), SCMP_SYS(lremovexattr) };
	/* (mask, value) of the flags that refuse an open. */
	static const scmp_datum_t open_refused[4][2] = {
		{ O_ACCMODE, O_WRONLY }, { O_ACCMODE, O_RDWR },
		{ O_CREAT, O_CREAT }, { O_TRUNC, O_TRUNC }
	};
	scmp_filter_ctx ctx;
	size_t		i;
	int		rc = 0;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return (-1);
	for (i = 0; rc == 0 && i < sizeof(denied) / sizeof(denied[0]); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
	/* open and openat: reading only, never creating or truncating
	 * (O_TRUNC empties a file even when opened for reading). */
	for (i = 0; rc == 0 && i < 8; i++) /* 4 for open, 4 for openat */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		    i < 4 ? SCMP_SYS(open) : SCMP_SYS(openat), 1,
		    SCMP_CMP(i < 4 ? 1 : 2, SCMP_CMP_MASKED_EQ,
			open_refused[i % 4][0], open_refused[i % 4][1]));
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return (rc == 0 ? 0 : -1);
}

static void
limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };

	if (setrlimit(resource, &rl) == -1)
		_exit(PDF_UNCHECKED);
}

/* The child: checks the upload on descriptor 0 and exits with the
 * verdict. */
static void
check_child(void)
{
	int null;

	/* qpdf may print; the server's log is no place for it, and with no
	 * file size allowed, writing to a file would kill the check. */
	if ((null = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1 ||
	    dup2(null, STDOUT_FILENO) == -1 || dup2(null, STDERR_FILENO) == -1)
		_exit(PDF_UNCHECKED);
	(void)close(null);
	(void)setpriority(PRIO_PROCESS, 0, 19);
	limit(RLIMIT_AS, CHECK_MEMORY, CHECK_MEMORY);
	limit(RLIMIT_CPU, CHECK_CPU, CHECK_CPU + 1);
	limit(RLIMIT_FSIZE, 0, 0);
	limit(RLIMIT_CORE, 0, 0);
	limit(RLIMIT_NOFILE, 16, 16);
	if (confine() != 0)
		_exit(PDF_UNCHECKED);
	_exit(pdf_check_fd(STDIN_FILENO));
}

static void
answer(int reply, enum pdf_verdict v)
{
	unsigned char b = (unsigned char)v;

	(void)send(reply, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)close(reply);
}

/* Starts a check of upload for reply in slot c. */
static void
start(struct check *c, int upload, int reply)
{
	pid_t pid;

	if ((pid = fork()) == -1) {
		answer(reply, PDF_UNCHECKED);
	} else if (pid == 0) {
		if (dup2(upload, STDIN_FILENO) == -1)
			_exit(PDF_UNCHECKED);
		closefrom(STDERR_FILENO + 1);
		check_child();
	} else {
		c->pid = pid;
		c->reply = reply;
		c->started = now_ms();
	}
	(void)close(upload);
}

/* Answers the checks that ended, kills the ones past their time. */
static int
reap(void)
{
	enum pdf_verdict v;
	size_t		 i;
	int		 status, n = 0;

	for (i = 0; i < PDFCHECK_RUNNING; i++) {
		if (running[i].pid == 0)
			continue;
		if (now_ms() - running[i].started >
		    PDFCHECK_WALL_SECONDS * 1000L)
			(void)kill(running[i].pid, SIGKILL);
		if (waitpid(running[i].pid, &status, WNOHANG) !=
		    running[i].pid) {
			n++;
			continue;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) < PDF__MAX)
			v = (enum pdf_verdict)WEXITSTATUS(status);
		else
			v = PDF_COMPLEX;
		answer(running[i].reply, v);
		running[i].pid = 0;
	}
	return (n);
}

/* Has the worker closed its end of the reply socket? */
static int
abandoned(int reply)
{
	struct pollfd p = { reply, POLLIN, 0 };

	return (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)));
}

/* Receives one request: 1 when it is started or answered, 0 when the
 * socket has nothing, -1 when the server is gone. */
static int
receive(struct check *slot)
{
	union {
		struct cmsghdr hdr;
		char	       buf[PDFCHECK_CONTROL_LEN];
	} control;
	struct msghdr	msg;
	struct cmsghdr *cm;
	struct iovec	iov;
	unsigned char	byte;
	ssize_t		n;
	int		fds[2];

	pdfcheck_message(&msg, &iov, &byte, control.buf);
	n = recvmsg(CHANNEL, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n == -1)
		return (errno == EAGAIN || errno == EINTR ? 0 : -1);
	if (n == 0)
		return (-1);
	cm = CMSG_FIRSTHDR(&msg);
	if (cm == NULL || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(2 * sizeof(int))) {
		/* Not a request: close whatever came with it. */
		for (; cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
			size_t k, nfd;

			if (cm->cmsg_type != SCM_RIGHTS)
				continue;
			nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (k = 0; k < nfd; k++) {
				int fd;

				memcpy(&fd, CMSG_DATA(cm) + k * sizeof(int),
				    sizeof(int));
				(void)close(fd);
			}
		}
		return (1);
	}
	memcpy(fds, CMSG_DATA(cm), sizeof(fds));
	if (abandoned(fds[1])) {
		/* The worker gave up waiting (or its client left): no
		 * check for no one. */
		(void)close(fds[0]);
		(void)close(fds[1]);
		return (1);
	}
	start(slot, fds[0], fds[1]);
	return (1);
}

/*
 * fellow-pdfcheck --self-test FILE: confines itself as a check is, then
 * tries what a hostile parse might (write, truncate or create FILE, a
 * socket, a process, a signal); exits 0 when all are refused and reading
 * FILE still works. For the tests.
 */
static int
self_test(const char *file)
{
	int fd, refused = 0, tries = 0;

#define TRY(what, call)                                                        \
	do {                                                                   \
		tries++;                                                       \
		if ((call) == -1 && errno == EPERM)                            \
			refused++;                                             \
		else                                                           \
			fprintf(stderr, "not refused: %s\n", what);            \
	} while (0)
	if (confine() != 0)
		return (2);
	TRY("open O_WRONLY", open(file, O_WRONLY));
	TRY("open O_RDWR", open(file, O_RDWR));
	TRY("open O_RDONLY|O_TRUNC", open(file, O_RDONLY | O_TRUNC));
	TRY("openat O_CREAT",
	    openat(AT_FDCWD, "new", O_RDONLY | O_CREAT, 0600));
	TRY("unlink", unlink(file));
	TRY("socket", socket(AF_INET, SOCK_STREAM, 0));
	TRY("fork", (int)fork());
	TRY("kill", kill(getppid(), 0));
#undef TRY
	if ((fd = open(file, O_RDONLY)) == -1)
		return (1);
	(void)close(fd);
	return (refused == tries ? 0 : 1);
}

int
main(int argc, char **argv)
{
	struct pollfd pfd = { CHANNEL, POLLIN, 0 };
	size_t	      i;
	int	      busy, r, gone = 0;

	if (argc == 3 && strcmp(argv[1], "--self-test") == 0)
		return (self_test(argv[2]));
	(void)signal(SIGPIPE, SIG_IGN);
	/* Not dumpable: no process of the same user may read or write this
	 * one's memory, nor its checks'. */
	(void)prctl(PR_SET_DUMPABLE, 0);
	if (fcntl(CHANNEL, F_GETFD) == -1) {
		fprintf(stderr, "fellow-pdfcheck is started by the server\n");
		return (2);
	}
	for (;;) {
		busy = reap();
		if (gone && busy == 0)
			return (0);
		if (gone || busy == PDFCHECK_RUNNING) {
			(void)poll(NULL, 0, 20);
			continue;
		}
		/* Wait for a request; while checks run, look at them
		 * every 20 ms. */
		r = poll(&pfd, 1, busy > 0 ? 20 : -1);
		if (r <= 0)
			continue;
		for (i = 0; running[i].pid != 0;)
			i++;
		if (receive(&running[i]) < 0)
			gone = 1;
	}
}
