// SPDX-License-Identifier: GPL-2.0
/* hvworker: one VM's life (worker.h). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "worker_vmbus.h"
#include "guest.h"
#include "linux_loader.h"
#include "multiboot.h"
#include "worker.h"

#define KICK_SIGNAL	SIGUSR1

static void usage(FILE *out)
{
	fprintf(out,
		"usage: hvworker --name NAME --memory MiB --vcpus N --kernel KERNEL\n"
		"                [--initrd FILE] [--cmdline STRING] [--console-log FILE]\n"
		"                [--console-pty] [--weight N] [--cap PERMILLE]\n"
		"                [--control-fd N]\n"
		"                [--nic bridge=BR|network=default[,mac=xx:xx:xx:xx:xx:xx]]...\n"
		"                [--disk PATH[,format=raw|qcow2][,readonly][,cache=MODE]]...\n"
		"                [--vmbus-poll-us N]\n"
		"Runs one child partition of mkhv (through /dev/mkhv) until it\n"
		"shuts down, reboots or dies; prints 'hvworker: state ...' lines.\n"
		"KERNEL: a Linux bzImage or a Multiboot v1 kernel (--initrd is its\n"
		"module 0, --cmdline its command line).\n"
		"Each --disk is a LUN (in order) of the VM's synthetic SCSI\n"
		"controller (hv_storvsc): a raw file or block device, or a qcow2\n"
		"image (served by qemu-storage-daemon).\n"
		"--vmbus-poll-us: after a storage request the VMBus thread spins\n"
		"for the next one (adaptive window, at most N us; default 1000,\n"
		"0 = never) instead of waiting for the guest's signal.\n");
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x < min || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

static int bad(char *err, size_t errlen, const char *what, const char *val)
{
	snprintf(err, errlen, "%s: '%s' is not valid", what, val ? val : "");
	return -EINVAL;
}

int worker_parse_args(int argc, char **argv, struct worker_opts *o,
		      FILE *out, char *err, size_t errlen)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "memory", required_argument, NULL, 'm' },
		{ "vcpus", required_argument, NULL, 'c' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'a' },
		{ "console-log", required_argument, NULL, 'l' },
		{ "console-pty", no_argument, NULL, 'p' },
		{ "weight", required_argument, NULL, 'w' },
		{ "cap", required_argument, NULL, 'C' },
		{ "control-fd", required_argument, NULL, 'f' },
		{ "nic", required_argument, NULL, 'N' },
		{ "disk", required_argument, NULL, 'D' },
		{ "vmbus-poll-us", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->control_fd = -1;
	o->vmbus_poll_us = WORKER_POLL_US_DEFAULT;
	optind = 0;	/* full re-initialisation (tests call us repeatedly) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!*optarg || strlen(optarg) > WORKER_NAME_MAX)
				return bad(err, errlen, "--name", optarg);
			strcpy(o->name, optarg);
			break;
		case 'm':
			if (parse_u64(optarg, GUEST_MEM_MIN >> 20,
				      GUEST_MEM_MAX >> 20, &v))
				return bad(err, errlen, "--memory (MiB, 32-16384)",
					   optarg);
			o->memory_mib = v;
			break;
		case 'c':
			if (parse_u64(optarg, 1, ACPI_MAX_VCPUS, &v))
				return bad(err, errlen, "--vcpus (1-16)", optarg);
			o->vcpus = (uint32_t)v;
			break;
		case 'k':
			o->kernel = optarg;
			break;
		case 'i':
			o->initrd = optarg;
			break;
		case 'a':
			o->cmdline = optarg;
			break;
		case 'l':
			o->console_log = optarg;
			break;
		case 'p':
			o->console_pty = true;
			break;
		case 'w':
			if (parse_u64(optarg, 1, 262144, &v))
				return bad(err, errlen, "--weight (1-262144)", optarg);
			o->weight = (uint32_t)v;
			break;
		case 'C':
			if (parse_u64(optarg, 1, 16000, &v))
				return bad(err, errlen, "--cap (permille, 1-16000)",
					   optarg);
			o->cap_permille = (uint32_t)v;
			break;
		case 'f':
			if (parse_u64(optarg, 3, INT_MAX, &v) ||
			    fcntl((int)v, F_GETFD) < 0)
				return bad(err, errlen, "--control-fd (an open fd >= 3)",
					   optarg);
			o->control_fd = (int)v;
			break;
		case 'N':
			if (o->nnics == NIC_MAX ||
			    nic_parse_spec(optarg, &o->nics[o->nnics]))
				return bad(err, errlen, "--nic (bridge=BR|network=default[,mac=..], at most 8)",
					   optarg);
			o->nnics++;
			break;
		case 'D':
			if (o->ndisks == DISK_MAX_DISKS) {
				snprintf(err, errlen, "--disk: at most %d disks",
					 DISK_MAX_DISKS);
				return -EINVAL;
			}
			if (disk_spec_parse(optarg, &o->disks[o->ndisks], err, errlen))
				return -EINVAL;
			o->ndisks++;
			break;
		case 'P':
			if (parse_u64(optarg, 0, WORKER_POLL_US_MAX, &v))
				return bad(err, errlen, "--vmbus-poll-us (0-100000)", optarg);
			o->vmbus_poll_us = (uint32_t)v;
			break;
		case 'h':
			usage(out);
			return 1;
		default:
			snprintf(err, errlen, "unknown or incomplete option '%s'",
				 argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (!o->name[0] || !o->memory_mib || !o->vcpus || !o->kernel) {
		snprintf(err, errlen,
			 "--name, --memory, --vcpus and --kernel are required");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < o->nnics; i++)
		if (!o->nics[i].mac_set)
			nic_default_mac(o->name, i, o->nics[i].mac);
	if (o->cap_permille > 1000u * o->vcpus) {
		snprintf(err, errlen, "--cap %u is more than %u vCPUs can use",
			 o->cap_permille, o->vcpus);
		return -EINVAL;
	}
	return 0;
}

/* Read a whole regular file of at most @max bytes. */
static int read_file(const char *path, uint64_t max, uint8_t **buf,
		     size_t *len, char *err, size_t errlen)
{
	struct stat st;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > max) {
		snprintf(err, errlen, "%s: not a regular file of 1 to %llu bytes",
			 path, (unsigned long long)max);
		close(fd);
		return -EINVAL;
	}
	*buf = malloc((size_t)st.st_size);
	if (!*buf) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, *buf + done, (size_t)st.st_size - done);

		if (n <= 0) {
			snprintf(err, errlen, "%s: short read", path);
			free(*buf);
			close(fd);
			return -EIO;
		}
		done += (size_t)n;
	}
	close(fd);
	*len = done;
	return 0;
}

/* ---- console ---- */

struct console {
	int log_fd;		/* -1 = none */
	int pty_fd;		/* pty master, -1 = none */
	pthread_t rx_thread;
	bool rx_running;
	struct vm *vm;
};

static void console_out(void *ctx, uint8_t c)
{
	struct console *con = ctx;

	/* A full pty (nobody reading) drops output; the log keeps it all. */
	if (con->log_fd >= 0 && write(con->log_fd, &c, 1) < 0)
		con->log_fd = -1;
	if (con->pty_fd >= 0 && write(con->pty_fd, &c, 1) < 0 &&
	    errno != EAGAIN && errno != EIO)
		con->pty_fd = -1;
}

static void *console_rx(void *arg)
{
	struct console *con = arg;
	uint8_t buf[64];
	ssize_t n;

	for (;;) {
		n = read(con->pty_fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EIO)) {
			/* No slave side open yet (EIO) or nothing to read. */
			struct timespec ts = { 0, 20 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			continue;
		}
		if (n <= 0)
			return NULL;
		vm_console_input(con->vm, (const uint8_t *)buf, (size_t)n);
	}
}

static int console_open(struct console *con, const struct worker_opts *o,
			FILE *status, char *err, size_t errlen)
{
	con->log_fd = con->pty_fd = -1;
	if (o->console_log) {
		con->log_fd = open(o->console_log,
				   O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		if (con->log_fd < 0) {
			snprintf(err, errlen, "%s: %s", o->console_log,
				 strerror(errno));
			return -errno;
		}
	}
	if (o->console_pty) {
		struct termios t;

		con->pty_fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC |
					   O_NONBLOCK);
		if (con->pty_fd < 0 || grantpt(con->pty_fd) ||
		    unlockpt(con->pty_fd)) {
			snprintf(err, errlen, "console pty: %s", strerror(errno));
			return -errno;
		}
		/*
		 * Raw, as a serial line: no echo of the guest's output back
		 * into its input, no line editing or CR/LF mapping (on a pty
		 * master, tcsetattr sets the slave side's modes).
		 */
		if (!tcgetattr(con->pty_fd, &t)) {
			cfmakeraw(&t);
			tcsetattr(con->pty_fd, TCSANOW, &t);
		}
		fprintf(status, "hvworker: console-pty %s\n", ptsname(con->pty_fd));
		fflush(status);
	}
	return 0;
}

static void console_close(struct console *con)
{
	if (con->rx_running) {
		pthread_cancel(con->rx_thread);
		pthread_join(con->rx_thread, NULL);
	}
	if (con->log_fd >= 0)
		close(con->log_fd);
	if (con->pty_fd >= 0)
		close(con->pty_fd);
}

/* ---- vCPU threads ---- */

struct vcpu_thread {
	struct vm *vm;
	uint32_t index;
	pthread_t thread;
	_Atomic bool done;
};

static void kick_handler(int sig)
{
	(void)sig;	/* only interrupts a blocking RUN */
}

/* SIGUSR2: print a stats line (for benchmarks and admins). */
static volatile sig_atomic_t stats_wanted;

static void stats_handler(int sig)
{
	(void)sig;
	stats_wanted = 1;
}

static void print_stats(struct vm *vm, uint32_t nr_vps, FILE *status)
{
	struct vm_stats st;
	int ret = vm_read_stats(vm, nr_vps, &st);

	if (ret)
		fprintf(status, "hvworker: stats unavailable (%s)\n", strerror(-ret));
	else
		fprintf(status, "hvworker: stats runtime_ns %llu exits %llu io_exits %llu\n",
			(unsigned long long)st.runtime_ns,
			(unsigned long long)st.exits,
			(unsigned long long)atomic_load(&vm->io_exits));
	fflush(status);
}

static void *vcpu_main(void *arg)
{
	struct vcpu_thread *t = arg;

	vm_vcpu_loop(t->vm, t->index);
	atomic_store(&t->done, true);
	return NULL;
}

/*
 * Wait for the VM to end (printing stats when asked), then kick every
 * vCPU out of RUN and join it.
 */
static void run_vcpus(struct vm *vm, struct vcpu_thread *t, uint32_t n,
		      struct worker_vmbus *wv, FILE *status)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	uint32_t alive = n;

	while (alive) {
		alive = 0;
		for (uint32_t i = 0; i < n; i++) {
			if (atomic_load(&t[i].done))
				continue;
			alive++;
			if (vm_exit_reason(vm) != VM_RUNNING)
				pthread_kill(t[i].thread, KICK_SIGNAL);
		}
		if (stats_wanted) {
			stats_wanted = 0;
			print_stats(vm, n, status);
		}
		worker_vmbus_tick(wv, status);
		if (alive)
			nanosleep(&tick, NULL);
	}
	for (uint32_t i = 0; i < n; i++)
		pthread_join(t[i].thread, NULL);
}

static int exit_status(enum vm_exit e)
{
	switch (e) {
	case VM_EXIT_SHUTDOWN:
		return WORKER_EXIT_SHUTDOWN;
	case VM_EXIT_REBOOT:
		return WORKER_EXIT_REBOOT;
	case VM_EXIT_HALTED:
	case VM_EXIT_CRASHED:
		return WORKER_EXIT_CRASHED;
	default:
		return WORKER_EXIT_ERROR;
	}
}

static int setup_fail(FILE *status, const char *what, const char *err)
{
	fprintf(status, "hvworker: state error\nhvworker: detail %s: %s\n",
		what, err);
	fflush(status);
	return WORKER_EXIT_ERROR;
}

int worker_run(const struct worker_opts *o, const struct vm_backend_ops *ops,
	       void *ctx, FILE *status)
{
	struct linux_boot_cfg bc = { .cmdline = o->cmdline, .nr_vcpus = o->vcpus };
	struct hv_register_assoc regs[KERNEL_BOOT_NR_REGS];
	const uint32_t rwx = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
			     HV_MAP_GPA_EXECUTABLE;
	struct vcpu_thread threads[ACPI_MAX_VCPUS];
	struct sigaction sa;
	struct kernel_boot kb;
	struct console con = { .log_fd = -1, .pty_fd = -1 };
	struct control_stats stats;
	struct control ctl;
	struct worker_vmbus wv;
	struct guest_mem mem;
	struct vm vm;
	uint8_t *kernel = NULL, *initrd = NULL, *ram = MAP_FAILED;
	size_t klen = 0, ilen = 0;
	uint64_t size = o->memory_mib << 20;
	char err[256] = "";
	int ret = WORKER_EXIT_ERROR;
	uint32_t i, started = 0;
	unsigned int nregs;

	if (read_file(o->kernel, WORKER_KERNEL_MAX, &kernel, &klen, err,
		      sizeof(err))) {
		ret = setup_fail(status, "kernel", err);
		goto out;
	}
	if (o->initrd && read_file(o->initrd, size, &initrd, &ilen, err,
				   sizeof(err))) {
		ret = setup_fail(status, "initrd", err);
		goto out;
	}
	ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED || guest_mem_init(&mem, ram, size)) {
		ret = setup_fail(status, "memory", "cannot allocate guest RAM");
		goto out;
	}
	bc.kernel = kernel;
	bc.kernel_size = klen;
	bc.initrd = initrd;
	bc.initrd_size = ilen;
	if (kernel_boot_setup(&mem, &bc, o->initrd, &kb, err, sizeof(err))) {
		ret = setup_fail(status, "boot", err);
		goto out;
	}
	vm_init(&vm, ops, ctx, console_out, &con);
	con.vm = &vm;
	if (console_open(&con, o, status, err, sizeof(err))) {
		ret = setup_fail(status, "console", err);
		goto out_con;
	}
	if (con.pty_fd >= 0 &&
	    !pthread_create(&con.rx_thread, NULL, console_rx, &con))
		con.rx_running = true;

	ret = ops->map(ctx, mem.hva, mem.low_size, 0, rwx);
	if (!ret && mem.size > mem.low_size)
		ret = ops->map(ctx, mem.hva + mem.low_size, mem.size - mem.low_size,
			       GUEST_HIGH_BASE / GUEST_PAGE_SIZE, rwx);
	if (ret) {
		ret = setup_fail(status, "map memory", strerror(-ret));
		goto out_con;
	}
	for (i = 0; i < o->vcpus; i++) {
		ret = ops->create_vp(ctx, i);
		if (ret) {
			ret = setup_fail(status, "create vCPU", strerror(-ret));
			goto out_con;
		}
	}
	ret = vm_claim_ports(&vm);
	if (ret) {
		ret = setup_fail(status, "claim I/O ports", strerror(-ret));
		goto out_con;
	}
	nregs = kernel_boot_regs(&kb, regs);
	ret = ops->set_regs(ctx, 0, regs, nregs);
	if (ret) {
		ret = setup_fail(status, "vCPU 0 registers", strerror(-ret));
		goto out_con;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: RUN gets EINTR */
	sigaction(KICK_SIGNAL, &sa, NULL);
	sa.sa_handler = stats_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
	control_init(&ctl, o->control_fd);
	stats = (struct control_stats){ &vm, o->vcpus };
	control_set_hook(&ctl, CONTROL_STATS, control_stats_hook, &stats);
	ret = worker_vmbus_disks(&wv, o->disks, o->ndisks, err, sizeof(err));
	if (ret) {
		control_stop(&ctl);
		ret = setup_fail(status, "disk", err);
		goto out_con;
	}
	worker_vmbus_start(&wv, o->vmbus_ops, o->vmbus_ctx, &mem, o->vcpus,
			   o->vmbus_poll_us, &ctl, status);
	worker_vmbus_nics(&wv, o->nics, o->nnics, status);
	ret = control_start(&ctl);
	if (ret) {
		control_stop(&ctl);
		worker_vmbus_stop(&wv);
		ret = setup_fail(status, "control channel", strerror(-ret));
		goto out_con;
	}
	fprintf(status, "hvworker: state running\n");
	fflush(status);
	/*
	 * Every vCPU gets a thread that starts its VP; the hv keeps the APs
	 * in wait-for-SIPI until vCPU 0 starts them through its x2APIC.
	 */
	for (i = 0; i < o->vcpus; i++) {
		threads[i] = (struct vcpu_thread){ .vm = &vm, .index = i };
		if (pthread_create(&threads[i].thread, NULL, vcpu_main,
				   &threads[i])) {
			vm_request_exit(&vm, VM_EXIT_ERROR,
					"cannot start the thread of vCPU %u", i);
			break;
		}
		started++;
	}
	run_vcpus(&vm, threads, started, &wv, status);
	control_stop(&ctl);
	worker_vmbus_stop(&wv);
	fprintf(status, "hvworker: state %s\nhvworker: detail %s\n",
		vm_exit_name(vm_exit_reason(&vm)), vm.exit_detail);
	fflush(status);
	ret = exit_status(vm_exit_reason(&vm));
out_con:
	console_close(&con);
	vm_destroy(&vm);
out:
	if (ram != MAP_FAILED)
		munmap(ram, size);
	free(initrd);
	free(kernel);
	return ret;
}
