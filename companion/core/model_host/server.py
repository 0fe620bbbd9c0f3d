"""The model host: loads the embedding model once and embeds texts for local clients.

    python -m companion.core.model_host.server --socket PATH [--model SPEC] [--idle SECONDS]

It binds its Unix socket before loading the model (so a client can connect and wait
at once), takes a lock beside the socket so only one host serves it, accepts
connections of the same user only, and exits when no client has been connected for
``--idle`` seconds (sooner when the model cannot load). Requests (``protocol.py``):

* ``{"op": "hello"}``: the host's pid, version, model and vector dimension, after the
  model has loaded, or ``{"error": ...}`` when it cannot;
* ``{"op": "encode", "texts": [...]}``: ``{"shape": [n, d]}`` and the float32 vectors;
* ``{"op": "stop"}``: the host exits.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import struct
import threading
import time
from pathlib import Path

from companion import __version__
from companion.core.embedder import Embedder, EmbedderUnavailable
from companion.core.model_host.protocol import ProtocolError, receive, send

log = logging.getLogger("humanize.model_host")
#: How long a host whose model failed to load stays to tell clients why.
FAILED_IDLE_S = 10.0


class Host:
    """The model, its loading state, and how long since a client was last connected."""

    def __init__(self, embedder: Embedder, idle_s: float) -> None:
        self.embedder = embedder
        self.idle_s = idle_s
        self.ready = threading.Event()
        self.error = ""
        self.stopping = threading.Event()
        self._clients = 0
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def load(self) -> None:
        try:
            self.embedder.load()
            log.info("model ready: %s (pid %d)", self.embedder.model_spec, os.getpid())
        except EmbedderUnavailable as exc:
            self.error = str(exc)
            self.idle_s = min(self.idle_s, FAILED_IDLE_S)
            log.error("model unavailable: %s", exc)
        finally:
            self.ready.set()

    def idle_for(self) -> float:
        with self._lock:
            return 0.0 if self._clients else time.monotonic() - self._last

    def serve_client(self, conn: socket.socket) -> None:
        with self._lock:
            self._clients += 1
        try:
            with conn:
                while not self.stopping.is_set():
                    try:
                        header, _ = receive(conn)
                    except (ProtocolError, OSError):
                        return
                    self._answer(conn, header)
        finally:
            with self._lock:
                self._clients -= 1
                self._last = time.monotonic()

    def _answer(self, conn: socket.socket, header: dict[str, object]) -> None:
        op = header.get("op")
        if op == "stop":
            send(conn, {"ok": True})
            self.stopping.set()
            return
        if op not in ("hello", "encode"):
            send(conn, {"error": f"unknown request {op!r}"})
            return
        self.ready.wait()
        if self.error:
            send(conn, {"error": self.error})
            return
        if op == "hello":
            send(
                conn,
                {
                    "pid": os.getpid(),
                    "version": __version__,
                    "model": self.embedder.model_spec,
                    "dimension": self.embedder.dimension,
                },
            )
            return
        texts = header.get("texts")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            send(conn, {"error": "texts must be a list of strings"})
            return
        try:
            vecs = self.embedder.encode(texts) if texts else None
        except Exception as exc:  # the model failed on this input: say so, keep serving
            log.exception("encode failed")
            send(conn, {"error": f"encoding failed: {type(exc).__name__}: {exc}"})
            return
        if vecs is None:
            send(conn, {"shape": [0, self.embedder.dimension]})
            return
        send(conn, {"shape": list(vecs.shape)}, vecs.astype("<f4").tobytes())


def same_user(conn: socket.socket) -> bool:
    """Whether the peer runs as this user (Linux says so; elsewhere the socket's mode guards it)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def private_dir(folder: Path) -> None:
    """Create ``folder`` readable by this user only; refuse one that someone else owns."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = folder.stat()
    if info.st_uid != os.getuid():
        raise PermissionError(f"{folder} belongs to another user")
    if info.st_mode & 0o077:
        folder.chmod(0o700)


def serve(path: Path, model: str | None, idle_s: float, threads: int | None = None) -> int:
    """Serve ``path`` until idle; 0 also when another host already serves it."""
    import fcntl

    private_dir(path.parent)
    lock = (path.parent / (path.name + ".lock")).open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        log.info("another host serves %s", path)
        return 0
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a host that died without cleaning up
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(16)
    listener.settimeout(0.5)
    host = Host(Embedder(model, threads=threads), idle_s)
    threading.Thread(target=host.load, name="model-load", daemon=True).start()
    try:
        while not host.stopping.is_set() and host.idle_for() < host.idle_s:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            if not same_user(conn):
                conn.close()
                continue
            conn.settimeout(None)
            threading.Thread(target=host.serve_client, args=(conn,), name="model-client", daemon=True).start()
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        listener.close()
        lock.close()
    log.info("model host exits (idle %.0f s)", host.idle_for())
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="humanize-model-host")
    ap.add_argument("--socket", type=Path, required=True)
    ap.add_argument("--model", default=None)
    ap.add_argument("--idle", type=float, default=600.0)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s model-host[%(process)d] %(message)s")
    for noisy in ("sentence_transformers", "transformers", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(logging.WARNING)  # no progress bars in the log
    return serve(args.socket, args.model, args.idle, args.threads)


if __name__ == "__main__":
    raise SystemExit(main())
