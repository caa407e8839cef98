/*
 * The server's side of the PDF check process (ops/pdfcheck.h).
 */
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ops/pdfcheck.h"

/* The descriptor the check process reads its requests from, in it. */
#define PDFCHECK_CHANNEL_FD 3

/* This process's end of the request socket; inherited by workers. */
static int channel = -1;

pid_t
pdfcheck_spawn(const char *program, uid_t uid, gid_t gid)
{
	char *const argv[] = { (char *)"fellow-pdfcheck", NULL };
	char *const envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	pid_t	    pid;
	int	    sv[2], sig, sndbuf = 16 * 1024;

	if (access(program, X_OK) == -1)
		return (-1);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return (-1);
	/* A short queue: past a few dozen requests waiting, an upload is
	 * answered "try again" at once rather than after a long wait. */
	(void)setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if ((pid = fork()) == -1) {
		(void)close(sv[0]);
		(void)close(sv[1]);
		return (-1);
	}
	if (pid != 0) {
		/* Only the check process holds the other end: when it
		 * dies, a worker's request fails at once. */
		(void)close(sv[1]);
		channel = sv[0];
		return (pid);
	}

	/* The child: no privileges, no inherited descriptors but its end
	 * of the socket (as descriptor 3), no environment (the server's
	 * may preload a sanitizer runtime). */
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	if (getuid() == 0 && uid != 0) {
		if (setgroups(0, NULL) == -1 || setgid(gid) == -1 ||
		    setuid(uid) == -1) {
			fprintf(stderr, "pdfcheck: cannot drop privileges\n");
			_exit(1);
		}
	}
	/* After the change of user, which clears it; a session of its own,
	 * with no terminal. */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	(void)setsid();
	if (dup2(sv[1], PDFCHECK_CHANNEL_FD) == -1)
		_exit(1);
	closefrom(PDFCHECK_CHANNEL_FD + 1);
	execve(program, argv, envp);
	fprintf(
	    stderr, "pdfcheck: cannot run %s: %s\n", program, strerror(errno));
	_exit(1);
}

void
pdfcheck_message(
    struct msghdr *msg, struct iovec *iov, unsigned char *byte, void *control)
{
	memset(msg, 0, sizeof(*msg));
	memset(control, 0, PDFCHECK_CONTROL_LEN);
	iov->iov_base = byte;
	iov->iov_len = 1;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = control;
	msg->msg_controllen = PDFCHECK_CONTROL_LEN;
}

int
pdfcheck_send(const char *path)
{
	union {
		struct cmsghdr hdr;
		char	       buf[PDFCHECK_CONTROL_LEN];
	} control;
	struct msghdr	msg;
	struct cmsghdr *cm;
	struct iovec	iov;
	unsigned char	byte = 'C';
	int		fds[2], reply[2], fd;

	if (channel == -1)
		return (-1);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
		0, reply) == -1) {
		(void)close(fd);
		return (-1);
	}
	pdfcheck_message(&msg, &iov, &byte, control.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
	fds[0] = fd;
	fds[1] = reply[1];
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	/* A full queue is a busy check process: say so rather than wait. */
	if (sendmsg(channel, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) {
		(void)close(reply[0]);
		reply[0] = -1;
	}
	(void)close(fd);
	(void)close(reply[1]);
	return (reply[0]);
}

int
pdfcheck_receive(int fd)
{
	unsigned char byte;
	ssize_t	      n;

	n = recv(fd, &byte, 1, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return (-1);
	if (n != 1 || byte >= PDF__MAX)
		return (PDF_UNCHECKED);
	return (byte);
}
