/*
 * The browser front end, compiled into the module (core/embed.h) and served
 * with strong validators: every file has an ETag from a hash of its
 * content, so a browser revalidates cheaply and never runs stale code.
 */
#ifndef FELLOW_WEB_ASSETS_H
#define FELLOW_WEB_ASSETS_H

/* Computes the ETags; called once per worker. */
void web_assets_init(void);

#endif
