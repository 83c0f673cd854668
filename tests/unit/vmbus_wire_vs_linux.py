#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks include/vmbus/wire.h against the Linux 6.1 headers installed on
this machine (linux-headers-*-common/include/linux/hyperv.h): the struct
definitions are cut out of hyperv.h, compiled beside ours, and every size
and field offset listed below must agree.

usage: vmbus_wire_vs_linux.py INCLUDE_DIR WORK_DIR [HYPERV_H]
Exits 0 (and says so) when no Linux header is installed."""
import glob
import os
import re
import subprocess
import sys

# (Linux struct, our struct, fields compared by offset, compare sizeof)
PAIRS = [
    ('hv_ring_buffer', 'vmbus_ring_header',
     ['write_index', 'read_index', 'interrupt_mask', 'pending_send_sz',
      'feature_bits'], True),
    ('vmpacket_descriptor', 'vmbus_packet_desc',
     ['type', 'offset8', 'len8', 'flags', 'trans_id'], True),
    ('vmtransfer_page_range', 'vmbus_xfer_page_range',
     ['byte_count', 'byte_offset'], True),
    # Linux declares ranges[1] here, so only the offsets are compared.
    ('vmtransfer_page_packet_header', 'vmbus_xfer_page_header',
     ['xfer_pageset_id', 'sender_owns_set', 'range_cnt'], False),
    ('vmgpadl_packet_header', 'vmbus_gpadl_packet_header', ['gpadl'], True),
    ('gpa_range', 'vmbus_gpa_range',
     ['byte_count', 'byte_offset', 'pfn_array'], True),
    ('vmbus_channel_message_header', 'vmbus_channel_message_header',
     ['msgtype', 'padding'], True),
    ('vmbus_channel_offer', 'vmbus_channel_offer',
     ['if_type', 'if_instance', 'reserved1', 'reserved2', 'chn_flags',
      'mmio_megabytes', 'sub_channel_index', 'reserved3'], True),
    ('vmbus_channel_offer_channel', 'vmbus_channel_offer_channel',
     ['offer', 'child_relid', 'monitorid', 'connection_id'], True),
    ('vmbus_channel_rescind_offer', 'vmbus_channel_rescind_offer',
     ['child_relid'], True),
    ('vmbus_channel_open_channel', 'vmbus_channel_open_channel',
     ['child_relid', 'openid', 'ringbuffer_gpadlhandle', 'target_vp',
      'downstream_ringbuffer_pageoffset', 'userdata'], True),
    ('vmbus_channel_open_result', 'vmbus_channel_open_result',
     ['child_relid', 'openid', 'status'], True),
    ('vmbus_channel_close_channel', 'vmbus_channel_close_channel',
     ['child_relid'], True),
    ('vmbus_channel_gpadl_header', 'vmbus_channel_gpadl_header',
     ['child_relid', 'gpadl', 'range_buflen', 'rangecount'], True),
    ('vmbus_channel_gpadl_body', 'vmbus_channel_gpadl_body',
     ['msgnumber', 'gpadl', 'pfn'], True),
    ('vmbus_channel_gpadl_created', 'vmbus_channel_gpadl_created',
     ['child_relid', 'gpadl', 'creation_status'], True),
    ('vmbus_channel_gpadl_teardown', 'vmbus_channel_gpadl_teardown',
     ['child_relid', 'gpadl'], True),
    ('vmbus_channel_gpadl_torndown', 'vmbus_channel_gpadl_torndown',
     ['gpadl'], True),
    ('vmbus_channel_relid_released', 'vmbus_channel_relid_released',
     ['child_relid'], True),
    ('vmbus_channel_initiate_contact', 'vmbus_channel_initiate_contact',
     ['vmbus_version_requested', 'target_vcpu', 'interrupt_page', 'msg_sint',
      'monitor_page1', 'monitor_page2'], True),
    ('vmbus_channel_version_response', 'vmbus_channel_version_response',
     ['version_supported', 'connection_state', 'padding', 'msg_conn_id'],
     True),
    ('vmbus_channel_modifychannel', 'vmbus_channel_modifychannel',
     ['child_relid', 'target_vp'], True),
    ('vmbus_channel_modifychannel_response',
     'vmbus_channel_modifychannel_response', ['child_relid', 'status'], True),
]

# Constants that must have the same value in both headers.
CONSTANTS = [('VERSION_WIN8', 'VERSION_WIN8'), ('VERSION_WIN8_1', 'VERSION_WIN8_1'),
             ('VERSION_WIN10', 'VERSION_WIN10'),
             ('VERSION_WIN10_V4_1', 'VERSION_WIN10_V4_1'),
             ('VERSION_WIN10_V5', 'VERSION_WIN10_V5'),
             ('VERSION_WIN10_V5_1', 'VERSION_WIN10_V5_1'),
             ('VERSION_WIN10_V5_2', 'VERSION_WIN10_V5_2'),
             ('VERSION_WIN10_V5_3', 'VERSION_WIN10_V5_3'),
             ('VM_PKT_DATA_INBAND', 'VM_PKT_DATA_INBAND'),
             ('VM_PKT_DATA_USING_XFER_PAGES', 'VM_PKT_DATA_USING_XFER_PAGES'),
             ('VM_PKT_DATA_USING_GPA_DIRECT', 'VM_PKT_DATA_USING_GPA_DIRECT'),
             ('VM_PKT_COMP', 'VM_PKT_COMP'),
             ('CHANNELMSG_OFFERCHANNEL', 'CHANNELMSG_OFFERCHANNEL'),
             ('CHANNELMSG_INITIATE_CONTACT', 'CHANNELMSG_INITIATE_CONTACT'),
             ('CHANNELMSG_UNLOAD_RESPONSE', 'CHANNELMSG_UNLOAD_RESPONSE'),
             ('CHANNELMSG_MODIFYCHANNEL_RESPONSE',
              'CHANNELMSG_MODIFYCHANNEL_RESPONSE'),
             ('CHANNELMSG_COUNT', 'CHANNELMSG_COUNT')]

PRELUDE = """#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
typedef uint8_t u8; typedef uint16_t u16; typedef uint32_t u32;
typedef uint64_t u64; typedef struct { u8 b[16]; } guid_t;
#define __packed __attribute__((packed))
#define PAGE_SIZE 4096
#define MAX_USER_DEFINED_BYTES 120
#define MAX_PIPE_USER_DEFINED_BYTES 116
"""


def cut(src, pattern, what):
    m = re.search(pattern, src, re.S)
    if not m:
        sys.exit('vmbus_wire_vs_linux: %s not found in hyperv.h' % what)
    return m.group(0)


def program(decls, prefix_pairs, const_names):
    lines = [decls, 'int main(void)', '{']
    for st, fields, size in prefix_pairs:
        if size:
            lines.append('printf("%s size %%zu\\n", sizeof(struct %s));' % (st[1], st[0]))
        for f in fields:
            lines.append('printf("%s.%s %%zu\\n", offsetof(struct %s, %s));'
                         % (st[1], f, st[0], f))
    for c in const_names:
        lines.append('printf("%s %%lu\\n", (unsigned long)(%s));' % (c, c))
    lines += ['return 0;', '}']
    return '\n'.join(lines) + '\n'


def run(cc, src, path, inc):
    with open(path + '.c', 'w') as f:
        f.write(src)
    subprocess.check_call([cc, '-w', '-I', inc, path + '.c', '-o', path])
    return subprocess.check_output([path]).decode()


def main():
    inc, work = sys.argv[1], sys.argv[2]
    hdr = sys.argv[3] if len(sys.argv) > 3 else \
        (sorted(glob.glob('/usr/src/linux-headers-*-common/include/linux/hyperv.h')) or [None])[-1]
    if not hdr or not os.path.exists(hdr):
        print('vmbus_wire_vs_linux: no Linux hyperv.h installed, skipped')
        return 0
    src = open(hdr).read()
    decls = [PRELUDE]
    decls.append(cut(src, r'#define VERSION_WS2008.*?#define VERSION_WIN10_V5_3[^\n]*', 'versions'))
    decls.append(cut(src, r'enum vmbus_packet_type \{.*?\};', 'packet types'))
    decls.append(cut(src, r'enum vmbus_channel_message_type \{.*?\};', 'message types'))
    for lin, _, _, _ in PAIRS:
        decls.append(cut(src, r'struct %s \{.*?\n\}( __packed)?;' % lin, lin))
    os.makedirs(work, exist_ok=True)
    cc = os.environ.get('CC', 'cc')
    linux = run(cc, program('\n'.join(decls),
                            [((l, m), f, s) for l, m, f, s in PAIRS],
                            [c[0] for c in CONSTANTS]),
                os.path.join(work, 'wire_linux'), inc)
    ours = run(cc, program('#include <stdio.h>\n#include <vmbus/wire.h>\n',
                           [((m, m), f, s) for _, m, f, s in PAIRS],
                           [c[1] for c in CONSTANTS]),
               os.path.join(work, 'wire_ours'), inc)
    if linux != ours:
        for a, b in zip(linux.splitlines(), ours.splitlines()):
            if a != b:
                print('MISMATCH linux "%s" ours "%s"' % (a, b))
        return 1
    print('vmbus_wire_vs_linux: %d sizes, offsets and constants match %s'
          % (len(ours.splitlines()), hdr))
    return 0


if __name__ == '__main__':
    sys.exit(main())
