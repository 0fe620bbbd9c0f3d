"""The grammar analyzer: Harper in-process, or LanguageTool (a local server we own, or a remote one)."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.core.analyzer import Chunk
from companion.core.findings import AnalyzerStatus, Finding
from companion.core.grammar.discover import INSTALL_HINT, find_java, find_languagetool
from companion.core.grammar.errors import GrammarServerError
from companion.core.grammar.harper import HarperEngine, harper_installed, shared_engine, supports_language
from companion.core.grammar.local import LocalServer
from companion.core.grammar.lt_matches import languagetool_findings
from companion.core.settings import GRAMMAR_MODES as MODES

if TYPE_CHECKING:  # requests and language-tool-python load only when LanguageTool is used
    from companion.core.grammar.client import LanguageToolClient

log = logging.getLogger(__name__)

#: The engine that runs in each resolved mode (``analyzers.grammar.engine`` in the JSON).
ENGINES = {"harper": "harper", "local": "languagetool-local", "remote": "languagetool-remote", "off": ""}
HARPER_HINT = "pip install harper-py"

#: LanguageTool categories that repeat what our phrase library and style checks say.
DEFAULT_DROPPED_CATEGORIES = frozenset({"STYLE", "REDUNDANCY", "PLAIN_ENGLISH"})


class GrammarAnalyzer:
    """Grammar findings from Harper or LanguageTool (``name = "grammar"``).

    ``mode``: ``"harper"`` runs Harper in this process (English only; nothing leaves
    the machine); ``"local"`` runs LanguageTool on a loopback port (Java 17+ and an
    installed LanguageTool needed); ``"remote"`` uses ``server_url``; ``"auto"`` is
    local LanguageTool when it can run, else the configured ``server_url``, else
    Harper; ``"off"`` does nothing. Nothing loads or connects until the first
    :meth:`analyze`, which may block for Harper's load (about a second), the
    server's start (local) or one request (``timeout_s``): call it off the UI thread.
    With ``wait_for_server=False`` it returns no findings while the local server
    starts instead (call :meth:`start` early and watch :meth:`status`). After a
    failure the analyzer returns no findings and makes no request for
    ``retry_after_s``; :meth:`status` says why.
    """

    name = "grammar"

    def __init__(
        self,
        mode: str = "auto",
        server_url: str | None = None,
        language: str = "en-US",
        timeout_s: float = 5.0,
        retry_after_s: float = 60.0,
        *,
        languagetool_path: Path | None = None,
        start_timeout_s: float = 60.0,
        dropped_categories: Iterable[str] = DEFAULT_DROPPED_CATEGORIES,
        cache_size: int = 1024,
        wait_for_server: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown grammar mode {mode!r} (expected one of {', '.join(MODES)})")
        if mode == "remote":
            if not server_url:
                raise ValueError("grammar mode 'remote' needs a server URL")
            server_url = normalize_server_url(server_url)
        elif mode == "auto" and server_url:
            try:
                server_url = normalize_server_url(server_url)
            except ValueError as exc:  # a bad URL in the settings must not stop auto
                log.warning("grammar server ignored: %s", exc)
                server_url = None
        self.requested_mode = mode
        self.server_url = server_url if mode in ("remote", "auto") else None
        self.language = language
        self.timeout_s = timeout_s
        self.retry_after_s = retry_after_s
        self.start_timeout_s = start_timeout_s
        self.wait_for_server = wait_for_server
        self.dropped_categories = frozenset(c.upper() for c in dropped_categories)
        self._languagetool_path = languagetool_path
        self._clock = clock
        self._cache: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()
        self._cache_size = max(0, cache_size)
        self._state_lock = threading.Lock()  # short: state and cache
        self._request_lock = threading.Lock()  # held across a request: one at a time
        self._resolved: tuple[str, str] | None = None  # (mode that runs, why it cannot)
        self._java: str | None = None
        self._jar: Path | None = None
        self._server: LocalServer | None = None
        self._client: LanguageToolClient | None = None
        self._harper: HarperEngine | None = None
        self._fault = ""
        self._retry_at = 0.0
        self._closed = False

    # -- Analyzer protocol ---------------------------------------------------------------------

    def status(self) -> AnalyzerStatus:
        """Available or not, why, and which mode runs; never blocks on the network."""
        mode, reason = self._resolve()
        if reason:
            return AnalyzerStatus(False, reason, mode)
        with self._state_lock:
            if self._closed:
                return AnalyzerStatus(False, "grammar checking was closed", mode)
            server = self._server
            if server is not None and server.starting():
                return AnalyzerStatus(False, "LanguageTool is starting", mode)
            if self._fault:
                return AnalyzerStatus(False, self._fault, mode)
        return AnalyzerStatus(True, "", mode)

    @property
    def engine(self) -> str:
        """``"harper"``, ``"languagetool-local"``, ``"languagetool-remote"``, or ``""`` when off."""
        return ENGINES[self._resolve()[0]]

    def analyze(self, chunk: Chunk) -> list[Finding]:
        """Grammar findings in ``chunk`` (offsets in code points); never raises."""
        text = chunk.text
        if not text.strip():
            return []
        try:
            mode, reason = self._resolve()
            if reason or mode == "off":
                return []
            cached = self._cached(text)
            if cached is not None:
                return list(cached)
            if mode == "harper":
                return self._harper_findings([text])[0]
            with self._request_lock:
                cached = self._cached(text)  # another thread may just have checked it
                if cached is not None:
                    return list(cached)
                with self._state_lock:
                    if self._closed or (self._fault and self._clock() < self._retry_at):
                        return []
                try:
                    matches = self._client_for(mode).check_json(text)
                except _Starting:
                    return []
                except GrammarServerError as exc:
                    self._failed(self._local_death(exc.reason), exc.retry_after_s)
                    return []
                self._recovered()
            findings = tuple(self._findings(text, matches))
            self._remember(text, findings)
            return list(findings)
        except Exception as exc:  # a bug or an unexpected answer must not break the caller
            log.exception("grammar check failed")
            self._failed(f"grammar check failed ({type(exc).__name__})", None)
            return []

    def analyze_many(self, chunks: Sequence[Chunk]) -> list[list[Finding]]:
        """``analyze`` for each chunk; with Harper, the uncached ones go in one call."""
        mode, reason = self._resolve()
        if mode != "harper" or reason:
            return [self.analyze(c) for c in chunks]
        out: list[list[Finding]] = [[] for _ in chunks]
        todo: list[int] = []
        for i, chunk in enumerate(chunks):
            cached = self._cached(chunk.text) if chunk.text.strip() else ()
            if cached is not None:
                out[i] = list(cached)
            else:
                todo.append(i)
        try:
            found = self._harper_findings([chunks[i].text for i in todo])
        except Exception as exc:  # a bug or an unexpected answer must not break the caller
            log.exception("grammar check failed")
            self._failed(f"grammar check failed ({type(exc).__name__})", None)
            return out
        for i, findings in zip(todo, found, strict=True):
            out[i] = findings
        return out

    def close(self) -> None:
        """Close the connection and stop the local server if this was its last user."""
        with self._state_lock:
            self._closed = True
            server, self._server = self._server, None
            self._harper = None  # the engine is shared by the process: it stays loaded
        if server is not None:
            server.release()  # first: it also ends a start another thread is waiting for
        with self._request_lock:
            self._drop_client()

    def __enter__(self) -> GrammarAnalyzer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Begin starting the local server or loading Harper now (returns at once); else a no-op."""
        mode, reason = self._resolve()
        if mode == "local" and not reason:
            with contextlib.suppress(GrammarServerError):  # closed
                self._local_server().start()
        elif mode == "harper" and not reason:
            engine = self._harper_engine()
            if engine is not None and not engine.loaded:
                threading.Thread(target=self._load_harper, name="harper-load", daemon=True).start()

    # -- modes, server and client --------------------------------------------------------------

    def _resolve(self) -> tuple[str, str]:
        """The mode that runs and, if it cannot run, why (checked once; no network)."""
        if self._resolved is not None:
            return self._resolved
        mode = self.requested_mode
        if mode == "off":
            resolved = ("off", "grammar checking is off")
        elif mode == "remote":
            resolved = ("remote", "")
        elif mode == "harper":
            resolved = ("harper", self._harper_unavailable())
        else:
            # Look for LanguageTool first: without it, no java process is ever started.
            jar = find_languagetool(self._languagetool_path)
            reason = ""
            if jar is None:
                reason = f"LanguageTool is not installed ({INSTALL_HINT})"
            else:
                java = find_java()
                reason = java.reason
                self._java, self._jar = java.path, jar
            resolved = ("local", reason)
            if reason and mode == "auto":
                resolved = self._auto_fallback(reason)
        with self._state_lock:
            if self._resolved is None:
                self._resolved = resolved
                if resolved[1]:
                    log.info("grammar checking unavailable: %s", resolved[1])
            return self._resolved

    def _auto_fallback(self, languagetool_reason: str) -> tuple[str, str]:
        """Auto without a runnable local LanguageTool: the configured server, else Harper."""
        if self.server_url:
            return ("remote", "")
        harper_reason = self._harper_unavailable()
        if harper_reason:
            return ("off", f"{languagetool_reason}; {harper_reason}")
        return ("harper", "")

    def _harper_unavailable(self) -> str:
        """Why Harper cannot run here, or ``""``."""
        if not supports_language(self.language):
            return f"Harper checks English only (language is {self.language})"
        if not harper_installed():
            return f"Harper is not installed ({HARPER_HINT})"
        return ""

    def _harper_engine(self) -> HarperEngine | None:
        with self._state_lock:
            if self._closed:
                return None
            if self._harper is None:
                self._harper = shared_engine(self.language)
            return self._harper

    def _load_harper(self) -> None:
        engine = self._harper_engine()
        try:
            if engine is not None:
                engine.load()
        except Exception as exc:
            log.exception("could not load Harper")
            self._failed(f"could not load Harper ({type(exc).__name__})", None)

    def _harper_findings(self, texts: list[str]) -> list[list[Finding]]:
        """Harper's findings for each of ``texts`` (one call), remembered; the engine serialises calls."""
        engine = self._harper_engine()
        with self._state_lock:
            if engine is None or (self._fault and self._clock() < self._retry_at):
                return [[] for _ in texts]
        found = engine.check_many(texts)
        self._recovered()
        for text, findings in zip(texts, found, strict=True):
            self._remember(text, tuple(findings))
        return found

    def _local_server(self) -> LocalServer:
        with self._state_lock:
            if self._closed:
                raise GrammarServerError("grammar checking was closed")
            if self._server is None:
                assert self._java is not None and self._jar is not None
                self._server = LocalServer.acquire(
                    self._java, self._jar, start_timeout_s=self.start_timeout_s
                )
            return self._server

    def _client_for(self, mode: str) -> LanguageToolClient:
        """The client, (re)creating it and the local server as needed; the request lock is held."""
        if mode == "local":
            server = self._local_server()
            if self._client is not None and not server.alive():
                reason = server.stopped_reason()  # it died: start a new one when the pause ends
                self._drop_client()
                raise GrammarServerError(reason)
            if self._client is None:
                server.start()
                if not self.wait_for_server and server.starting():
                    raise _Starting
                url = server.wait_ready(self.start_timeout_s + 5)
                self._client = self._new_client(url, trust_env=False)
            return self._client
        if self._client is None:
            assert self.server_url is not None
            self._client = self._new_client(self.server_url, trust_env=True)
        return self._client

    def _local_death(self, reason: str) -> str:
        """``reason``, or why the local server died if a failed request was its death."""
        server = self._server
        # A dying process may still be tearing down when its connection drops: give it a moment.
        wait_s = 1.0 if reason.startswith("grammar server unreachable") else 0.0
        if server is not None and self._client is not None and server.exited(wait_s):
            self._drop_client()
            return server.stopped_reason()
        return reason

    def _new_client(self, url: str, *, trust_env: bool) -> LanguageToolClient:
        from companion.core.grammar.client import LanguageToolClient

        client = LanguageToolClient(url, self.language, timeout_s=self.timeout_s, trust_env=trust_env)
        client.disabled_categories = set(self.dropped_categories)
        return client

    def _drop_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    # -- faults and cache ----------------------------------------------------------------------

    def _failed(self, reason: str, retry_after_s: float | None) -> None:
        delay = max(self.retry_after_s, retry_after_s or 0.0)
        with self._state_lock:
            if reason != self._fault:
                log.warning("grammar checking paused for %g s: %s", delay, reason)
            self._fault = reason
            self._retry_at = self._clock() + delay

    def _recovered(self) -> None:
        with self._state_lock:
            if self._fault:
                log.info("grammar server answers again (was: %s)", self._fault)
            self._fault = ""

    def _cached(self, text: str) -> tuple[Finding, ...] | None:
        with self._state_lock:
            found = self._cache.get(text)
            if found is not None:
                self._cache.move_to_end(text)
            return found

    def _remember(self, text: str, findings: tuple[Finding, ...]) -> None:
        if self._cache_size == 0:
            return
        with self._state_lock:
            self._cache[text] = findings
            self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _findings(self, text: str, matches: list[dict[str, Any]]) -> list[Finding]:
        return languagetool_findings(text, matches, self.dropped_categories)


class _Starting(Exception):
    """The local server is starting and the caller chose not to wait."""


def normalize_server_url(url: str) -> str:
    """A LanguageTool base URL ending in ``/``, without a trailing ``v2``."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not a LanguageTool server URL: {url!r}")
    path = parts.path.rstrip("/")
    if path.endswith("/v2") or path == "v2":
        path = path[: -len("v2")].rstrip("/")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))
