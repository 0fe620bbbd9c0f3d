"""Whether a process still runs, told apart from a later one that reused its pid.

Autosave uses this to tell a crashed session's files from a live one's. psutil is
used when installed; otherwise ``os.kill(pid, 0)`` (POSIX) or the Win32 API.
"""

from __future__ import annotations

import os


def process_start_time(pid: int) -> float | None:
    """When ``pid`` started (epoch seconds), if psutil is installed; tells a reused pid apart."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def pid_alive(pid: int, started: float | None = None) -> bool:
    """Whether process ``pid`` still runs (and, if ``started`` is known, is the same process)."""
    if pid <= 0:
        return False
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            proc = psutil.Process(pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                return False
            return started is None or abs(proc.create_time() - started) < 2.0
        except psutil.NoSuchProcess:
            return False
        except psutil.Error:  # access denied: it exists
            return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return False
    return True


def _windows_pid_alive(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
