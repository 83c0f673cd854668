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

# $(BUILD)/version holds MKHV_VERSION and changes only when it does, so
# binaries that embed the version depend on it and tests can read it.
MKHV_VERSION_FILE := $(BUILD)/version
$(shell mkdir -p $(BUILD) && { echo '$(MKHV_VERSION)' | cmp -s - $(MKHV_VERSION_FILE) || echo '$(MKHV_VERSION)' > $(MKHV_VERSION_FILE); })
