/*
 * A worker that has lost a thread ends, so that Kore starts another: see
 * web/sentinel.c for why a lost thread would otherwise hang the server.
 */
#ifndef FELLOW_WEB_SENTINEL_H
#define FELLOW_WEB_SENTINEL_H

/*
 * From the event loop (kore_worker_configure): watches the calling
 * thread and starts the thread that watches. 0, or -1 when the watching
 * thread could not start (the worker then runs unwatched).
 */
int web_sentinel_start(void);

/* From a thread the worker cannot lose (a task thread, once): 0, or -1
 * when every place is taken (the thread then goes unwatched). */
int web_sentinel_watch(void);

#endif
