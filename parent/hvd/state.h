/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvd's state directory: one file per persistent domain, <name>.xml, holding
 * the canonical domain XML, plus an empty <name>.autostart marker for
 * domains that start with hvd.  Every change is atomic: write a temp file
 * (.<name>.xml.tmp), fdatasync it, rename it over the old file, fsync the
 * directory.  A crash leaves the old or the new file, never a torn one;
 * leftover temp files are removed at load.
 */
#ifndef MKHV_HVD_STATE_H
#define MKHV_HVD_STATE_H

#include <stdbool.h>
#include <stddef.h>

/* state_dir_prepare() - create @dir (0700) if missing; 0 or -errno. */
int state_dir_prepare(const char *dir);

/* state_name_ok() - @name is safe as a file name (no '/', no leading '.'). */
bool state_name_ok(const char *name);

/* state_save() - atomically replace <dir>/<name>.xml with @xml. */
int state_save(const char *dir, const char *name, const char *xml, size_t len);
/* state_remove() - remove <name>.xml and <name>.autostart, durably. */
int state_remove(const char *dir, const char *name);
/* state_set_autostart() - create or remove <name>.autostart, durably. */
int state_set_autostart(const char *dir, const char *name, bool on);
bool state_get_autostart(const char *dir, const char *name);

/*
 * state_load() - call @cb for each <name>.xml in @dir (sorted by name).
 * @cb returns 0 to accept the file or -errno with @msg filled to reject it;
 * rejected and unreadable files are reported through @report and skipped,
 * never fatal.  Return: number of accepted files, or -errno if @dir cannot
 * be read.
 */
typedef int (*state_load_cb)(void *opaque, const char *name, const char *xml,
			     size_t len, char *msg, size_t msglen);
int state_load(const char *dir, state_load_cb cb, void *opaque,
	       void (*report)(const char *msg));

#endif /* MKHV_HVD_STATE_H */
