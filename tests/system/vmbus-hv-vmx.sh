#!/bin/bash
# vmbus-hv-vmx: vmbus-hv.sh's SynIC messaging checks (ports, connections,
# the pull, VP inboxes, a real-mode child's HvPostMessage/HvSignalEvent and
# the msg_pending/EOM handshake) on Intel VMX+EPT under Bochs, so the
# vendor-neutral child platform is proven on both backends.
MKHV_VMX=1 exec "$(dirname "$0")/vmbus-hv.sh"
