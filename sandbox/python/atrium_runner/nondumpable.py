"""prctl(PR_SET_DUMPABLE, 0) before the channel key arrives (why: sandbox/README.md, "The key")."""

import ctypes

PR_SET_DUMPABLE = 4


def make_non_dumpable() -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")
