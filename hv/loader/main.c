// SPDX-License-Identifier: GPL-2.0
/*
 * hvloader.efi: mkhv's UEFI boot loader.
 *
 * Reads \EFI\mkhv\mkhv.cfg from the volume it was loaded from, checks that
 * the parent kernel and initrd are there, then either
 *  - (hypervisor = on, the default) loads hv.elf and hands the machine to
 *    it (hvboot.c); the hv boots the parent as its first guest, or
 *  - (hypervisor = off) starts the parent kernel natively through its EFI
 *    stub (LoadImage/StartImage, initrd passed with the stub's `initrd=`
 *    option): the reference boot the hv's overhead is measured against.
 *
 * Every message goes through the firmware console (ConOut), which OVMF and
 * most PC firmware mirror on the serial port.
 */
#include "loader.h"

#ifndef MKHV_VERSION
#define MKHV_VERSION "unknown"
#endif


/* Seconds an error stays on screen before control returns to firmware. */
#define ERROR_PAUSE_S 5

static EFI_STATUS stop(EFI_STATUS status)
{
	Print(L"mkhv: boot stopped (%r); returning to firmware in %d s\n",
	      status, ERROR_PAUSE_S);
	uefi_call_wrapper(BS->Stall, 1, ERROR_PAUSE_S * 1000000UL);
	return status;
}

static EFI_STATUS require_file(EFI_FILE_HANDLE root, CHAR16 *path)
{
	EFI_FILE_HANDLE f;
	EFI_STATUS st;

	st = uefi_call_wrapper(root->Open, 5, root, &f, path,
			       EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st)) {
		Print(L"mkhv: error: %s: cannot open (%r)\n", path, st);
		return st;
	}
	uefi_call_wrapper(f->Close, 1, f);
	return EFI_SUCCESS;
}

static EFI_STATUS load_cfg(EFI_FILE_HANDLE root, struct mkhv_cfg *cfg)
{
	struct cfg_error err;
	EFI_STATUS st;
	CHAR8 *buf;
	UINTN len;
	int ret;

	st = file_read(root, CFG_PATH, CFG_FILE_MAX, FILE_POOL, (void **)&buf,
		       &len);
	if (st == EFI_BAD_BUFFER_SIZE) {
		Print(L"mkhv: error: %s: file is larger than 64 KiB\n", CFG_PATH);
		return EFI_LOAD_ERROR;
	}
	if (EFI_ERROR(st)) {
		Print(L"mkhv: error: %s: cannot read (%r)\n", CFG_PATH, st);
		return st;
	}
	ret = cfg_parse((const char *)buf, len, cfg, &err);
	FreePool(buf);
	if (ret) {
		if (err.line)
			Print(L"mkhv: error: %s line %d: %a\n", CFG_PATH,
			      err.line, err.msg);
		else
			Print(L"mkhv: error: %s: %a\n", CFG_PATH, err.msg);
		return EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}

static void show_cfg(const struct mkhv_cfg *cfg)
{
	Print(L"mkhv: cfg: cmdline=\"%a\"\n", cfg->cmdline);
	if (cfg->parent_memory)
		Print(L"mkhv: cfg: parent_memory=%ld MiB\n",
		      cfg->parent_memory >> 20);
	else
		Print(L"mkhv: cfg: parent_memory=all\n");
	Print(L"mkhv: cfg: log_level=%a\n", cfg_log_level_name(cfg->log_level));
	Print(L"mkhv: cfg: hypervisor=%a hv_serial=%a on_fatal=%a\n",
	      cfg->hypervisor ? "on" : "off", cfg_serial_name(cfg->hv_serial),
	      cfg_fatal_name(cfg->on_fatal));
}

/* Appends ASCII @s to the UCS-2 buffer @dst at *@pos (bounded by @cap). */
static void append(CHAR16 *dst, UINTN *pos, UINTN cap, const char *s)
{
	while (*s && *pos + 1 < cap)
		dst[(*pos)++] = (CHAR16)*s++;
	dst[*pos] = 0;
}

/*
 * The EFI stub's options: the initrd (loaded by the stub from this same
 * volume), the admin's cmdline and, until the hypervisor enforces it
 * through the parent's e820, parent_memory as the kernel's mem= limit.
 */
static CHAR16 *kernel_options(const struct mkhv_cfg *cfg, UINT32 *bytes)
{
	UINTN cap = CFG_CMDLINE_MAX + 128, pos = 0;
	CHAR16 *opt = AllocatePool(cap * sizeof(CHAR16));
	char mem[32];

	if (!opt)
		return NULL;
	opt[0] = 0;
	append(opt, &pos, cap, "initrd=\\EFI\\mkhv\\initrd.img ");
	append(opt, &pos, cap, cfg->cmdline);
	if (cfg->parent_memory) {
		UINT64 mib = cfg->parent_memory >> 20;
		int i = sizeof(mem) - 1;

		mem[i--] = 0;
		mem[i--] = 'M';
		do {
			mem[i--] = (char)('0' + mib % 10);
			mib /= 10;
		} while (mib && i > 5);
		mem[i--] = '=';
		mem[i--] = 'm';
		mem[i--] = 'e';
		mem[i--] = 'm';
		mem[i] = ' ';
		append(opt, &pos, cap, &mem[i]);
	}
	*bytes = (UINT32)((pos + 1) * sizeof(CHAR16));
	return opt;
}

static EFI_STATUS start_kernel(EFI_HANDLE image, EFI_HANDLE device,
			       const struct mkhv_cfg *cfg)
{
	EFI_DEVICE_PATH *path = FileDevicePath(device, KERNEL_PATH);
	EFI_LOADED_IMAGE *kimg;
	EFI_HANDLE kh;
	EFI_STATUS st;
	UINT32 optlen;
	CHAR16 *opt;

	if (!path)
		return EFI_OUT_OF_RESOURCES;
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, path, NULL, 0,
			       &kh);
	FreePool(path);
	if (EFI_ERROR(st)) {
		Print(L"mkhv: error: %s: not a loadable EFI-stub kernel (%r)\n",
		      KERNEL_PATH, st);
		return st;
	}
	st = uefi_call_wrapper(BS->HandleProtocol, 3, kh, &LoadedImageProtocol,
			       (void **)&kimg);
	opt = kernel_options(cfg, &optlen);
	if (EFI_ERROR(st) || !opt) {
		uefi_call_wrapper(BS->UnloadImage, 1, kh);
		return EFI_ERROR(st) ? st : EFI_OUT_OF_RESOURCES;
	}
	kimg->LoadOptions = opt;
	kimg->LoadOptionsSize = optlen;
	if (cfg->log_level >= CFG_LOG_DEBUG)
		Print(L"mkhv: kernel options: %s\n", opt);
	Print(L"mkhv: starting parent kernel (native EFI-stub handover)\n");
	st = uefi_call_wrapper(BS->StartImage, 3, kh, NULL, NULL);
	Print(L"mkhv: error: parent kernel returned (%r)\n", st);
	return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static struct mkhv_cfg cfg;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root;
	EFI_STATUS st;

	InitializeLib(image, systab);
	Print(L"\nmkhv hvloader %a\n", MKHV_VERSION);

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image,
			       &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return stop(st);
	root = LibOpenRoot(li->DeviceHandle);
	if (!root) {
		Print(L"mkhv: error: cannot open the boot volume\n");
		return stop(EFI_NOT_FOUND);
	}
	st = load_cfg(root, &cfg);
	if (EFI_ERROR(st))
		return stop(st);
	show_cfg(&cfg);
	st = require_file(root, KERNEL_PATH);
	if (!EFI_ERROR(st))
		st = require_file(root, INITRD_PATH);
	if (EFI_ERROR(st))
		return stop(st);
	if (cfg.hypervisor) {
		st = require_file(root, HV_PATH);
		if (!EFI_ERROR(st))
			st = hv_boot(image, root, &cfg);
	} else {
		st = start_kernel(image, li->DeviceHandle, &cfg);
	}
	return stop(st);
}
