"""A LanguageTool server on a loopback port, started, watched and stopped by us.

language-tool-python can start a server itself, but when one is not ready within
15 s it moves to another port without stopping the first java process. Here there
is at most one server per (java, jar) in the process, started on a free loopback
port in a background thread, waited for with a bounded timeout, and killed with
its process group on :meth:`LocalServer.release` or at interpreter exit; on POSIX a
watchdog also stops it when this process is killed or crashes. Nothing here
downloads anything.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, ClassVar

from companion.core.grammar.errors import GrammarServerError, format_seconds

log = logging.getLogger(__name__)

SERVER_CLASS = "org.languagetool.server.HTTPServer"
_LOOPBACK = "127.0.0.1"

#: POSIX: a shell (one process, builtins only) in java's process group that stops java
#: when our end of its stdin pipe closes, which happens however this process ends
#: (even killed or crashed, when atexit cannot run).
_WATCHDOG = 'read -r _; kill "$1" 2>/dev/null'


# -- the server process ---------------------------------------------------------------------------


def free_loopback_port() -> int:
    """A port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_LOOPBACK, 0))
        return int(sock.getsockname()[1])


class LocalServer:
    """One LanguageTool HTTP server on 127.0.0.1, shared per (java, jar) in this process.

    Use :meth:`acquire` / :meth:`release` (reference counted); :meth:`start` returns
    at once and :meth:`wait_ready` waits, boundedly, for the server to answer.
    """

    _shared: ClassVar[dict[tuple[str, str], LocalServer]] = {}
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, java: str, jar: Path, *, start_timeout_s: float = 60.0) -> None:
        self.java = java
        self.jar = jar
        self.start_timeout_s = start_timeout_s
        self._users = 0
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self._url: str | None = None
        self._error = ""
        self._stopping = False
        self._retired = False  # released by its last user: never starts again

    @classmethod
    def acquire(cls, java: str, jar: Path, *, start_timeout_s: float = 60.0) -> LocalServer:
        """The process's server for this java and jar (created, not started, if new)."""
        key = (java, str(jar))
        with cls._shared_lock:
            server = cls._shared.get(key)
            if server is None:
                server = cls._shared[key] = LocalServer(java, jar, start_timeout_s=start_timeout_s)
            server._users += 1
            return server

    def release(self) -> None:
        """Drop one user; the last one stops the server."""
        with self._shared_lock:
            self._users -= 1
            if self._users > 0:
                return
            key = (self.java, str(self.jar))
            if self._shared.get(key) is self:
                del self._shared[key]
            self._retired = True
        self.stop()

    @property
    def pid(self) -> int | None:
        """The java process's id while it runs."""
        proc = self._proc
        return proc.pid if proc is not None and self._returncode(proc) is None else None

    def alive(self) -> bool:
        """True while the server process runs (ready or still starting)."""
        return self.pid is not None

    def starting(self) -> bool:
        """True from :meth:`start` until the server answers or fails to."""
        thread = self._thread
        return thread is not None and thread.is_alive() and not self._done.is_set()

    def start(self) -> None:
        """Start the server in a background thread unless it runs or is starting."""
        with self._lock:
            if self._retired or (self._thread is not None and self._thread.is_alive()):
                return
            if self._done.is_set() and self._url is not None and self.alive():
                return
            self._stop_process()  # a dead or failed server: reap it before a new one
            self._done.clear()
            self._url = None
            self._error = ""
            self._stopping = False
            self._thread = threading.Thread(target=self._start, name="languagetool-start", daemon=True)
            self._thread.start()

    def wait_ready(self, timeout_s: float | None = None) -> str:
        """The server's base URL once it answers; raises :class:`GrammarServerError` if it cannot."""
        timeout_s = self.start_timeout_s + 5 if timeout_s is None else timeout_s
        if self._retired:
            raise GrammarServerError("LanguageTool server stopped")
        if not self._done.wait(timeout_s):
            raise GrammarServerError("LanguageTool is still starting")
        if self._url is None:
            raise GrammarServerError(self._error or "LanguageTool server did not start")
        if not self.alive():
            raise GrammarServerError(self.stopped_reason())
        return self._url

    def exited(self, wait_s: float = 0.0) -> bool:
        """True if the process we started has ended (waiting up to ``wait_s`` for it to)."""
        proc = self._proc
        if proc is None:
            return False
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait_s)
        return self._returncode(proc) is not None

    def stopped_reason(self) -> str:
        """Why a server that ran is gone (its exit code and last error line)."""
        return self._exit_reason("stopped")

    def stop(self) -> None:
        """Kill the server (its whole process group) and wait for it."""
        with self._lock:
            self._stopping = True
            self._stop_process()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    # -- internals --

    def _returncode(self, proc: subprocess.Popen[bytes]) -> int | None:
        """``proc.poll()``; once java is reaped its pid may be reused, so its watchdog goes too."""
        code = proc.poll()
        if code is not None and proc is self._proc:
            watchdog, self._watchdog = self._watchdog, None
            if watchdog is not None:
                _end_watchdog(watchdog)
        return code

    def _start(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        try:
            for attempt in range(2):  # a second port if another program took the first
                port = free_loopback_port()
                if not self._launch(port):
                    return
                url = f"http://{_LOOPBACK}:{port}/"
                if self._poll_ready(url, deadline):
                    self._url = url
                    log.info("LanguageTool server ready at %s (pid %s)", url, self.pid)
                    return
                if self._stopping:
                    self._error = "LanguageTool server stopped"
                    return
                early_exit = self._proc is not None and self._returncode(self._proc) is not None
                reason = self._exit_reason("exited early") if early_exit else ""
                with self._lock:
                    self._stop_process()
                if not early_exit or attempt == 1 or time.monotonic() >= deadline:
                    limit = format_seconds(self.start_timeout_s)
                    self._error = reason or f"LanguageTool server did not become ready within {limit}"
                    log.warning("%s", self._error)
                    return
                log.info("LanguageTool %s; trying another port", reason)
        except Exception as exc:  # never let the thread die silently
            log.exception("could not start LanguageTool")
            self._error = f"could not start LanguageTool ({exc})"
            with self._lock:
                self._stop_process()
        finally:
            self._done.set()

    def _launch(self, port: int) -> bool:
        cmd = [
            self.java,
            "-Djava.net.preferIPv4Stack=true",  # "localhost" binds 127.0.0.1, where we connect
            "-cp",
            str(self.jar),
            SERVER_CLASS,
            "--port",
            str(port),
        ]
        with self._lock:
            if self._stopping or _exiting:
                return False
            self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
            kwargs: dict[str, object] = {}
            if os.name == "posix":
                kwargs["process_group"] = 0  # its own process group, killed as one
            else:
                kwargs["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
            log.info("starting LanguageTool: %s", " ".join(cmd))
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._stderr,
                cwd=str(self.jar.parent),
                **kwargs,  # type: ignore[arg-type]
            )
            _register(self)
            if os.name == "posix":
                self._watchdog = _start_watchdog(self._proc.pid)
        return True

    def _poll_ready(self, url: str, deadline: float) -> bool:
        import requests

        languages = url + "v2/languages"
        with requests.Session() as session:
            session.trust_env = False  # never through a proxy
            while time.monotonic() < deadline:
                proc = self._proc
                if self._stopping or proc is None or self._returncode(proc) is not None:
                    return False
                with contextlib.suppress(requests.RequestException):
                    response = session.get(languages, timeout=2)
                    if response.ok:
                        return True
                time.sleep(0.1)
        return False

    def _exit_reason(self, what: str) -> str:
        proc = self._proc
        code = self._returncode(proc) if proc is not None else None
        tail = ""
        if self._stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                self._stderr.seek(0, os.SEEK_END)
                size = self._stderr.tell()
                self._stderr.seek(max(0, size - 2000))
                lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
                tail = lines[-1][:200] if lines else ""
        detail = f" with code {code}" if code is not None else ""
        return f"LanguageTool server {what}{detail}" + (f": {tail}" if tail else "")

    def _stop_process(self) -> None:
        """Kill and reap the process and its watchdog; the caller holds ``self._lock``."""
        proc, self._proc = self._proc, None
        watchdog, self._watchdog = self._watchdog, None
        if proc is not None:
            _kill(proc)
            _unregister(self)
        if watchdog is not None:
            _end_watchdog(watchdog)
        if self._stderr is not None and proc is not None:
            with contextlib.suppress(OSError):
                self._stderr.close()
            self._stderr = None


def _start_watchdog(pid: int) -> subprocess.Popen[bytes] | None:
    """A shell in java's process group that stops java if this process dies (POSIX)."""
    try:
        return subprocess.Popen(
            ["/bin/sh", "-c", _WATCHDOG, "languagetool-watchdog", str(pid)],
            stdin=subprocess.PIPE,  # never written to: it closes when we die
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            process_group=pid,
        )
    except (OSError, subprocess.SubprocessError) as exc:  # java already gone, no /bin/sh...
        log.warning("no watchdog for the LanguageTool server (pid %s): %s", pid, exc)
        return None


def _end_watchdog(watchdog: subprocess.Popen[bytes]) -> None:
    """Kill and reap the watchdog, then close its pipe (so it can never signal a reused pid)."""
    if watchdog.poll() is None:
        with contextlib.suppress(OSError):
            watchdog.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        watchdog.wait(timeout=5)
    if watchdog.stdin is not None:
        with contextlib.suppress(OSError):
            watchdog.stdin.close()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop java (its process group on POSIX: SIGTERM, then SIGKILL) and reap it."""
    if proc.poll() is None:
        log.info("stopping LanguageTool server (pid %s)", proc.pid)
    for force in (False, True):
        try:
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL if force else signal.SIGTERM)
            elif proc.poll() is None:
                proc.kill() if force else proc.terminate()
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


# -- every server we started dies with the interpreter ----------------------------------------------

_running: set[LocalServer] = set()
_running_lock = threading.Lock()
_exiting = False


def _register(server: LocalServer) -> None:
    with _running_lock:
        _running.add(server)


def _unregister(server: LocalServer) -> None:
    with _running_lock:
        _running.discard(server)


@atexit.register
def _stop_all() -> None:
    global _exiting
    with _running_lock:
        _exiting = True  # a start still under way launches nothing now
        servers = list(_running)
    for server in servers:
        with contextlib.suppress(Exception):
            server.stop()
