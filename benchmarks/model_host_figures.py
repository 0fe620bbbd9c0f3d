"""The model host as the benchmarks see it: its peak memory, and stopping it.

Both work on the host of ``HUMANIZE_RUNTIME_DIR`` (each benchmark sets a private one)
and do nothing on code without the model host (comparisons with older commits).
"""

from __future__ import annotations

import socket
import time
from pathlib import Path


def stop_model_host() -> None:
    """Stop the benchmark's model host, if one runs, and let it remove its socket."""
    try:
        from companion.core.embedder import DEFAULT_MODEL
        from companion.core.model_host.client import stop_host
    except ImportError:
        return
    if stop_host(DEFAULT_MODEL):
        time.sleep(1.0)


def model_host_peak_mb() -> float | None:
    """Peak resident memory (VmHWM) of the benchmark's model host, or None without one."""
    try:
        from companion.core.embedder import DEFAULT_MODEL
        from companion.core.model_host.client import socket_path
        from companion.core.model_host.protocol import receive, send
    except ImportError:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(socket_path(DEFAULT_MODEL)))
            send(sock, {"op": "hello"})
            pid = receive(sock)[0].get("pid")
        except OSError:
            return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None
