/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the hvd RPC suites: encode a frame as libvirt's client does. */
#ifndef MKHV_TESTS_HVD_RPC_UTIL_H
#define MKHV_TESTS_HVD_RPC_UTIL_H

#include <check.h>
#include <string.h>

#include "rpc.h"

/*
 * Length word, @hdr, @args encoded by @fn (if any), then @raw bytes as
 * they are (stream data) into @buf; returns the frame's length.
 */
static inline size_t test_frame(uint8_t *buf, size_t size,
				const struct hvd_msg_header *hdr, rpc_xdr_fn fn,
				void *args, const void *raw, size_t rawlen)
{
	struct hvd_msg_header h = *hdr;
	u_int len = 0;
	size_t n;
	XDR x;

	xdrmem_create(&x, (char *)buf, (u_int)size, XDR_ENCODE);
	ck_assert(xdr_u_int(&x, &len));
	ck_assert(xdr_hvd_msg_header(&x, &h));
	if (fn)
		ck_assert(fn(&x, args));
	n = xdr_getpos(&x);
	xdr_destroy(&x);
	ck_assert_uint_le(n + rawlen, size);
	if (rawlen)
		memcpy(buf + n, raw, rawlen);
	n += rawlen;
	buf[0] = n >> 24;
	buf[1] = n >> 16;
	buf[2] = n >> 8;
	buf[3] = n;
	return n;
}

#endif
