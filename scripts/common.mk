# Flags shared by every component.  Included by the top-level Makefile.

CC       ?= cc
HOSTCC   ?= $(CC)
MKHV_VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)

# Host (userspace) code: parent daemons, vmbus library, unit tests.
HOST_CFLAGS  := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
                -Iinclude -DMKHV_VERSION='"$(MKHV_VERSION)"'
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

# Freestanding code (hv, code shared with the hv or the loader).
FREESTANDING_CFLAGS := -std=c11 -ffreestanding -fno-stack-protector \
                -mno-red-zone -fno-builtin -nostdinc -O2 -g \
                -Wall -Wextra -Werror -Iinclude \
                -isystem $(shell $(CC) -print-file-name=include)

$(BUILD)/.dir:
	$(Q)mkdir -p $(BUILD) && touch $@
