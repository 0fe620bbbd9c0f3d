"""``HostedEmbedder``: an ``Embedder`` whose model runs in the shared model host.

It connects to the host's socket, starting the host when none answers, and keeps one
connection open while it lives (the host stays up while a client is connected and
for ``idle_s`` after the last one leaves). A host that exits or crashes between two
requests is started again once, transparently. Vectors are cached here too, so
repeated texts never cross the socket.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from companion import __version__
from companion.core.embedder import Embedder, EmbedderUnavailable
from companion.core.model_host.protocol import ProtocolError, receive, send
from companion.core.paths import APP_NAME, user_cache_dir

log = logging.getLogger(__name__)

#: How long the host stays after its last client leaves (``HUMANIZE_MODEL_HOST_IDLE`` overrides).
IDLE_S = 600.0
#: How long a starting host may take to open its socket, and to load the model.
CONNECT_TIMEOUT_S = 30.0
LOAD_TIMEOUT_S = 300.0
_MAX_SOCKET_PATH = 100  # sun_path holds 104-108 bytes


def enabled() -> bool:
    """Whether the model runs in the host (else in-process): POSIX, unless ``HUMANIZE_MODEL_HOST=off``."""
    return (
        os.name == "posix"
        and hasattr(socket, "AF_UNIX")
        and os.environ.get("HUMANIZE_MODEL_HOST", "on").lower() not in ("off", "0", "no")
    )


def idle_seconds() -> float:
    try:
        return float(os.environ.get("HUMANIZE_MODEL_HOST_IDLE", IDLE_S))
    except ValueError:
        return IDLE_S


def runtime_dir() -> Path:
    """The per-user folder of the host's socket; ``HUMANIZE_RUNTIME_DIR`` overrides it.

    ``$XDG_RUNTIME_DIR/humanize`` where the session has one, else ``humanize-<uid>`` in
    the temporary folder (the host creates it private to the user, and refuses one that
    another user owns).
    """
    value = os.environ.get("HUMANIZE_RUNTIME_DIR")
    if value:
        return Path(value)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and Path(xdg).is_dir():
        return Path(xdg) / APP_NAME.lower()
    return Path(tempfile.gettempdir()) / f"{APP_NAME.lower()}-{os.getuid()}"


def socket_path(model_spec: str) -> Path:
    """The socket of the host for ``model_spec`` and this program (another version gets its own)."""
    key = hashlib.sha256(f"{__version__}|{model_spec}|{sys.executable}".encode()).hexdigest()[:12]
    path = runtime_dir() / f"model-{key}.sock"
    if len(os.fsencode(path)) > _MAX_SOCKET_PATH:
        path = Path(tempfile.gettempdir()) / f"humanize-{os.getuid()}" / path.name
    return path


class _Connection:
    """One open connection to the host, and what it said of itself."""

    def __init__(self, sock: socket.socket, hello: dict[str, Any]) -> None:
        self.sock = sock
        self.pid = int(hello["pid"])
        self.dimension = int(hello["dimension"])

    def close(self) -> None:
        self.sock.close()


class HostedEmbedder(Embedder):
    """Embeddings from the model host; the same interface and cache as ``Embedder``."""

    def __init__(self, model: str | None = None, threads: int | None = None, cache_size: int = 50000):
        super().__init__(model, threads, cache_size)
        self.path = socket_path(self.model_spec)
        self._spawn_lock = threading.Lock()

    @property
    def host_pid(self) -> int | None:
        """The host's process id once connected."""
        return self._model.pid if self._model is not None else None

    def close(self) -> None:
        """Leave the host (it exits after its idle time when no one else is connected)."""
        with self._lock:
            if self._model is not None:
                self._model.close()
                self._model = None

    # -- the Embedder seams ---------------------------------------------------------------
    def _open(self) -> _Connection:
        sock = self._connect()
        try:
            sock.settimeout(LOAD_TIMEOUT_S)
            send(sock, {"op": "hello"})
            hello, _ = receive(sock)
            sock.settimeout(None)
        except (OSError, ProtocolError) as exc:
            sock.close()
            raise EmbedderUnavailable(f"the model host did not answer: {exc}") from exc
        if "error" in hello:
            sock.close()
            raise EmbedderUnavailable(str(hello["error"]))
        log.info("model host pid %s at %s", hello.get("pid"), self.path)
        return _Connection(sock, hello)

    def _embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        try:
            return self._request(texts)
        except (OSError, ProtocolError) as exc:  # the host went away: start it again, once
            log.warning("model host connection lost (%s); reconnecting", exc)
            self._model.close()
            self._model = self._open()
            return self._request(texts)

    def _dimension(self) -> int:
        return int(self._model.dimension)

    # -- internals ------------------------------------------------------------------------
    def _request(self, texts: list[str]) -> np.ndarray:
        sock = self._model.sock
        send(sock, {"op": "encode", "texts": texts})
        header, payload = receive(sock)
        if "error" in header:
            raise EmbedderUnavailable(str(header["error"]))
        n, d = (int(x) for x in header["shape"])  # type: ignore[union-attr]
        if len(payload) != n * d * 4 or n != len(texts):
            raise ProtocolError("the host sent vectors of the wrong size")
        return np.frombuffer(payload, dtype="<f4").reshape(n, d).astype(np.float32)

    def _connect(self) -> socket.socket:
        """A connection to the host, starting one if none answers."""
        sock = _try_connect(self.path)
        if sock is not None:
            return sock
        with self._spawn_lock:
            self._spawn()
            deadline = time.monotonic() + CONNECT_TIMEOUT_S
            while time.monotonic() < deadline:
                sock = _try_connect(self.path)
                if sock is not None:
                    return sock
                time.sleep(0.05)
        raise EmbedderUnavailable(
            f"the model host did not start within {CONNECT_TIMEOUT_S:g} s (see {host_log()})"
        )

    def _spawn(self) -> None:
        import companion

        root = str(Path(companion.__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        cmd = [
            sys.executable,
            "-m",
            "companion.core.model_host.server",
            "--socket",
            str(self.path),
            "--model",
            self.model_spec,
            "--idle",
            str(idle_seconds()),
        ]
        if self.threads:
            cmd += ["--threads", str(self.threads)]
        logfile = host_log()
        logfile.parent.mkdir(parents=True, exist_ok=True)
        _rotate(logfile)
        with logfile.open("ab") as out:
            subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                env=env,
                start_new_session=True,  # not killed with a terminal's process group; idles out
                close_fds=True,
            )
        log.info("started the model host for %s", self.path)


def host_log() -> Path:
    """Where the host writes its log."""
    return user_cache_dir() / "model-host.log"


#: A host log over this size is moved to ``model-host.log.1`` (replacing it) before a start.
MAX_LOG_BYTES = 1 << 20


def _rotate(logfile: Path) -> None:
    try:
        if logfile.stat().st_size > MAX_LOG_BYTES:
            logfile.replace(logfile.with_name(logfile.name + ".1"))
    except OSError:  # none yet, or not ours to move: the host appends as before
        pass


def _try_connect(path: Path) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    return sock


def stop_host(model_spec: str, timeout_s: float = 10.0) -> bool:
    """Ask the host for ``model_spec`` to exit; True when one was running."""
    sock = _try_connect(socket_path(model_spec))
    if sock is None:
        return False
    with sock:
        sock.settimeout(timeout_s)
        try:
            send(sock, {"op": "stop"})
            receive(sock)
        except (OSError, ProtocolError):
            pass
    return True
