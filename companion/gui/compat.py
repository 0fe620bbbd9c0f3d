"""A guard against a reference-counting bug of PySide6 6.12 on CPython 3.10/3.11.

PySide6 6.12.0 (abi3 wheels) returns ``None`` from void calls (``QTimer.start``,
``processEvents``, ``QTextCursor.setPosition``, ``QTextBlock.userData`` when empty...)
and ``True`` from ``Signal.emit`` without taking a reference. From Python 3.12 those
objects are immortal and nothing happens; on 3.10/3.11 each call drops one reference
and after a few thousand calls the interpreter aborts with "Fatal Python error:
none_dealloc". PySide6 6.11.3 does not have the bug.

Until the dependency is pinned or fixed, :func:`apply` gives ``None``, ``True`` and
``False`` a very large reference count (what 3.12's immortal objects amount to), so
the lost references can never bring them to zero. It does nothing elsewhere.
"""

from __future__ import annotations

import sys

_PAD = 1 << 40
_applied = False


def affected() -> bool:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    try:
        import PySide6
    except ImportError:
        return False
    return tuple(PySide6.__version_info__[:2]) == (6, 12)


def apply() -> bool:
    """Pad the singletons' reference counts when the running PySide6 needs it; True if done."""
    global _applied
    if _applied or not affected():
        return _applied
    import ctypes

    for obj in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython < 3.12.
        ctypes.c_ssize_t.from_address(id(obj)).value += _PAD
    _applied = True
    return True
