// SPDX-License-Identifier: GPL-2.0
/* hvloader: reading files from the boot volume and low allocations. */
#include "loader.h"

EFI_STATUS alloc_low(UINTN pages, UINT64 limit, UINT64 *addr)
{
	EFI_PHYSICAL_ADDRESS a = limit;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
			       EfiLoaderData, pages, &a);
	if (EFI_ERROR(st))
		return st;
	ZeroMem((void *)(UINTN)a, pages * EFI_PAGE_SIZE);
	*addr = a;
	return EFI_SUCCESS;
}

static void *alloc_for(enum file_dest dest, UINTN n)
{
	UINT64 a;

	if (dest == FILE_POOL)
		return AllocatePool(n + 1);
	if (EFI_ERROR(alloc_low(EFI_SIZE_TO_PAGES(n + 1), 0xffffffffull, &a)))
		return NULL;
	return (void *)(UINTN)a;
}

static void free_for(enum file_dest dest, void *p, UINTN n)
{
	if (dest == FILE_POOL)
		FreePool(p);
	else
		uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)(UINTN)p,
				  EFI_SIZE_TO_PAGES(n + 1));
}

EFI_STATUS file_read(EFI_FILE_HANDLE root, CHAR16 *path, UINTN max,
		     enum file_dest dest, void **out, UINTN *size)
{
	EFI_FILE_HANDLE f;
	EFI_FILE_INFO *info;
	EFI_STATUS st;
	UINTN n, got;
	void *buf;

	st = uefi_call_wrapper(root->Open, 5, root, &f, path,
			       EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(f);
	if (!info) {
		uefi_call_wrapper(f->Close, 1, f);
		return EFI_DEVICE_ERROR;
	}
	n = info->FileSize;
	FreePool(info);
	if (n > max) {
		uefi_call_wrapper(f->Close, 1, f);
		return EFI_BAD_BUFFER_SIZE;
	}
	buf = alloc_for(dest, n);
	if (!buf) {
		uefi_call_wrapper(f->Close, 1, f);
		return EFI_OUT_OF_RESOURCES;
	}
	got = n;
	st = uefi_call_wrapper(f->Read, 3, f, &got, buf);
	uefi_call_wrapper(f->Close, 1, f);
	if (!EFI_ERROR(st) && got != n)
		st = EFI_END_OF_FILE;
	if (EFI_ERROR(st)) {
		free_for(dest, buf, n);
		return st;
	}
	((UINT8 *)buf)[n] = 0;
	*out = buf;
	*size = n;
	return EFI_SUCCESS;
}
