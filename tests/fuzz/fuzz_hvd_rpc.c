// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over hvd's RPC input path: the bytes a client sends go
 * through rpc_client_input() (framer, then dispatch of each whole frame),
 * exactly as hvd.c does, against a test-backend hvd whose
 * state dir is $HVD_FUZZ_DIR (created; make hvd-fuzz points it into build/).  The first input byte says whether the connection
 * counts as opened, so the fuzzer reaches the domain procedures too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "rpc.h"

static struct hvd h;
static struct backend be;

static void fuzz_init(void)
{
	const char *dir = getenv("HVD_FUZZ_DIR");
	struct hvd_err err;

	if (!dir || backend_open("test", &be, &err) ||
	    hvd_init(&h, dir, &be, &err)) {
		fprintf(stderr, "fuzz_hvd_rpc: set HVD_FUZZ_DIR to a writable directory\n");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct rpc_client c = { 0 };

	if (!ready) {
		fuzz_init();
		ready = 1;
	}
	if (!size)
		return 0;
	c.open = data[0] & 1;
	rpc_client_input(&h, &c, data + 1, size - 1);
	rpc_client_free(&c);
	return 0;
}
