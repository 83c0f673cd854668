/* SPDX-License-Identifier: GPL-2.0 */
/* hvloader internals shared by its files (firmware side only). */
#ifndef MKHV_LOADER_H
#define MKHV_LOADER_H

#include <efi.h>
#include <efilib.h>

#include "cfg.h"

#define MKHV_DIR     L"\\EFI\\mkhv"
#define CFG_PATH     MKHV_DIR L"\\mkhv.cfg"
#define KERNEL_PATH  MKHV_DIR L"\\vmlinuz"
#define INITRD_PATH  MKHV_DIR L"\\initrd.img"
#define HV_PATH      MKHV_DIR L"\\hv.elf"

/* Where file_read() puts a file. */
enum file_dest {
	FILE_POOL,	/* pool memory, anywhere */
	FILE_LOW,	/* whole pages below 4 GiB (data the hv or parent uses) */
};

/*
 * file_read() - read all of @path (at most @max bytes) from @root.
 * Prints nothing; returns EFI_BAD_BUFFER_SIZE when the file is too big.
 */
EFI_STATUS file_read(EFI_FILE_HANDLE root, CHAR16 *path, UINTN max,
		     enum file_dest dest, void **out, UINTN *size);

/* alloc_low() - @pages zeroed pages wholly below @limit (inclusive). */
EFI_STATUS alloc_low(UINTN pages, UINT64 limit, UINT64 *addr);

/*
 * mpacpi_build() - RSDP/RSDT/MADT from MP Services, for firmware without
 * ACPI tables (OVMF under Bochs).  Returns the RSDP address or 0.
 */
UINT64 mpacpi_build(void);

/*
 * hv_boot() - load hv.elf and hand the machine to it; returns only on
 * failure, after printing why (before ExitBootServices).
 */
EFI_STATUS hv_boot(EFI_HANDLE image, EFI_FILE_HANDLE root,
		   const struct mkhv_cfg *cfg);

#endif /* MKHV_LOADER_H */
