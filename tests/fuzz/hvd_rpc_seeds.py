#!/usr/bin/env python3
"""Write a seed corpus for fuzz_hvd_rpc: well-formed libvirt frames."""
import os
import struct
import sys

PROG, KA = 0x20008086, 0x6B656570


def s(text):
    b = text.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def frame(proc, payload=b"", prog=PROG, typ=0, serial=1):
    body = struct.pack(">IIiIII", prog, 1, proc, typ, serial, 0) + payload
    return struct.pack(">I", len(body) + 4) + body


DOM = ("<domain type='hyperv'><name>f1</name><memory unit='MiB'>64</memory>"
       "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type>"
       "<kernel>/boot/vmlinuz</kernel></os></domain>")
NDOM = s("f1") + b"\x11" * 16 + struct.pack(">i", -1)
seeds = {
    "open": frame(66) + frame(1, struct.pack(">II", 0, 0)),
    "define": frame(11, s(DOM)),
    "define_flags": frame(350, s(DOM) + struct.pack(">I", 1)),
    "lookup": frame(23, s("f1")),
    "list_all": frame(273, struct.pack(">iI", 1, 0)),
    "info": frame(16, NDOM),
    "start": frame(196, NDOM + struct.pack(">I", 0)),
    "autostart": frame(29, NDOM + struct.pack(">i", 1)),
    "ping": frame(1, prog=KA, typ=2, serial=0),
    "domifaddr": frame(353, NDOM + struct.pack(">II", 1, 0)),
    "guestinfo": frame(418, NDOM + struct.pack(">II", 0, 0)),
    "domstats": frame(344, struct.pack(">I", 1) + NDOM + struct.pack(">II", 0, 0)),
    "domtime": frame(338, NDOM + struct.pack(">qII", 0, 0, 1)),
}
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x01" + data)
