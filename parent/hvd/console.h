/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `virsh console`: relays between a libvirt stream of one client
 * connection (opened by DOMAIN_OPEN_CONSOLE) and a domain's console pty
 * (the worker's emulated 16550).  Stream packets as libvirt's daemon sends
 * them: type STREAM, the call's procedure and serial, raw bytes with
 * status CONTINUE both ways; an empty OK is end of file (from hvd, when
 * the pty hangs up) or a finish (from the client, confirmed with an empty
 * OK); an ERROR from the client aborts (also confirmed with an empty OK).
 * One console per domain (pty) and per client connection.
 */
#ifndef MKHV_HVD_CONSOLE_H
#define MKHV_HVD_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvd.h"

struct rpc_client;
struct hvd_msg_header;

/* Above this many queued reply bytes, the pty is not read. */
#define CONSOLE_OUT_HIGH (256u << 10)
#define CONSOLE_READ_MAX 65536

/*
 * console_attach() - open @pty and relay it to stream @serial of @c.
 * @force takes the pty from another client (its stream gets an error).
 * Return: 0 or -1 with @err.
 */
int console_attach(struct rpc_client *c, unsigned int serial, const char *pty,
		   bool force, struct hvd_err *err);

/* console_stream() - a STREAM message @data/@len the client sent. */
void console_stream(struct rpc_client *c, const struct hvd_msg_header *hdr,
		    const uint8_t *data, size_t len);

/* console_detach() - the client is going away: drop its console. */
void console_detach(struct rpc_client *c);

/* console_flushed() - @c's output drained: read its pty again. */
void console_flushed(struct rpc_client *c);

#endif /* MKHV_HVD_CONSOLE_H */
