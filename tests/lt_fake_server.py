"""Fake LanguageTool servers for tests: one in Python (a thread), one in Java (a jar).

``FakeLanguageTool`` is a real HTTP server on 127.0.0.1 that speaks LanguageTool's
``/v2`` API (``/v2/languages``, ``/v2/check``, ``/v2/healthcheck``) with offsets in
UTF-16 code units, as Java counts. It finds errors by a few simple rules and can be
told to fail: ``mode`` is ``"ok"``, ``"500"``, ``"429"``, ``"malformed"``, ``"hang"``
(answers only after ``hang_s``, at most 10 s, or when stopped) or ``"die"`` (drops
the request and stops listening). It also serves ``files`` (downloads) and, when
``check_body`` is set, answers ``/v2/check`` with exactly those bytes.

``build_fake_languagetool_jar`` compiles a stand-in ``languagetool-server.jar``
whose ``org.languagetool.server.HTTPServer`` answers the same API, so local mode
can be tested with a real java process. Environment: ``FAKE_LT_START_DELAY_MS``
delays its start, ``FAKE_LT_EXIT_CODE`` makes it exit at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_HANG_S = 10.0

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
    {"name": "French", "code": "fr", "longCode": "fr"},
]


@dataclass(frozen=True)
class FakeRule:
    """One LanguageTool-like rule: a regex and what LanguageTool would report for it."""

    pattern: str
    rule_id: str
    issue_type: str
    category_id: str
    category_name: str
    message: str
    replacements: tuple[str, ...] = ()
    flags: int = 0


def _misspelling(word: str, *fixes: str) -> FakeRule:
    return FakeRule(
        rf"\b{word}\b",
        "MORFOLOGIK_RULE_EN_US",
        "misspelling",
        "TYPOS",
        "Possible Typo",
        "Possible spelling mistake found.",
        fixes,
    )


DEFAULT_RULES: tuple[FakeRule, ...] = (
    FakeRule(
        r"\bThis are\b",
        "THIS_ARE_AGREEMENT",
        "grammar",
        "GRAMMAR",
        "Grammar",
        "The pronoun 'This' must be used with a singular verb: <suggestion>This is</suggestion>.",
        ("This is", "These are"),
    ),
    FakeRule(
        r"\b[Aa](?= [aeiou]\w)",
        "EN_A_VS_AN",
        "misspelling",  # LanguageTool really files a/an under "misspelling"
        "MISC",
        "Miscellaneous",
        "Use 'an' instead of 'a' if the following word starts with a vowel sound.",
        ("an",),
    ),
    _misspelling("recieve", "receive", "relieve"),
    _misspelling("teh", "the", "ten", "tea", "eh", "Te", "tech"),
    _misspelling("definately", "definitely", "defiantly"),
    FakeRule(
        r" {2,}", "WHITESPACE_RULE", "whitespace", "TYPOGRAPHY", "Typography", "Repeated spaces.", (" ",)
    ),
    FakeRule(
        r"\.\.\.",
        "ELLIPSIS",
        "typographical",
        "PUNCTUATION",
        "Punctuation",
        "Consider the typographical ellipsis.",
        ("…",),
    ),
    FakeRule(
        r"\bin order to\b",
        "IN_ORDER_TO_PREMIUM",
        "style",
        "STYLE",
        "Style",
        "Consider a shorter alternative.",
        ("to",),
        re.I,
    ),
    FakeRule(
        r"\badvance planning\b",
        "ADVANCE_PLANNING",
        "style",
        "REDUNDANCY",
        "Redundant Phrases",
        "'Advance planning' is redundant.",
        ("planning",),
        re.I,
    ),
    FakeRule(
        r"\butilize\b",
        "UTILIZE_USE",
        "style",
        "PLAIN_ENGLISH",
        "Plain English",
        "Consider 'use'.",
        ("use",),
        re.I,
    ),
)


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 offset (Java's) of code point ``index`` of ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]


@dataclass
class FakeLanguageTool:
    """A LanguageTool-speaking HTTP server on 127.0.0.1 (port 0 picks a free one)."""

    port: int = 0
    mode: str = "ok"
    hang_s: float = MAX_HANG_S
    rules: tuple[FakeRule, ...] = DEFAULT_RULES
    honour_disabled_categories: bool = True
    files: dict[str, bytes] = field(default_factory=dict)
    #: When set, ``/v2/check`` answers exactly this JSON body.
    check_body: bytes | None = None
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._release = threading.Event()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def checks(self) -> list[Request]:
        return [r for r in self.requests if r.path == "/v2/check"]

    def start(self) -> FakeLanguageTool:
        with self._lock:
            if self._httpd is not None:
                return self
            self._release.clear()
            httpd = _Server(("127.0.0.1", self.port), _Handler)
            httpd.fake = self
            self.port = httpd.server_address[1]
            self._httpd = httpd
            self._thread = threading.Thread(
                target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening, close open connections, release hanging requests, join the thread."""
        with self._lock:
            httpd, self._httpd = self._httpd, None
            thread, self._thread = self._thread, None
        self._release.set()
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        httpd.close_connections()
        if thread is not None:
            thread.join(timeout=5)
        httpd.join_handlers(timeout=MAX_HANG_S + 2)

    def restart(self, mode: str = "ok") -> None:
        """Stop, then listen again on the same port."""
        self.stop()
        self.mode = mode
        self.start()

    def __enter__(self) -> FakeLanguageTool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what a LanguageTool server would answer --

    def check(self, params: dict[str, str]) -> tuple[int, dict[str, Any] | str]:
        language = params.get("language", "")
        codes = {lang["longCode"].lower() for lang in LANGUAGES} | {"auto"}
        if language.lower() not in codes:
            return 400, f"Error: '{language}' is not a language code known to LanguageTool."
        text = params.get("text", "")
        disabled = {c.strip().upper() for c in params.get("disabledCategories", "").split(",") if c.strip()}
        matches = []
        for rule in self.rules:
            if self.honour_disabled_categories and rule.category_id in disabled:
                continue
            for m in re.finditer(rule.pattern, text, rule.flags):
                if m.end() > m.start():
                    matches.append(_match_json(text, m.start(), m.end(), rule))
        matches.sort(key=lambda m: m["offset"])
        return 200, {
            "software": {
                "name": "LanguageTool",
                "version": "6.8-fake",
                "buildDate": "2025-01-01 00:00:00 +0000",
                "apiVersion": 1,
                "premium": False,
                "status": "",
            },
            "warnings": {"incompleteResults": False},
            "language": {
                "name": "English (US)",
                "code": language,
                "detectedLanguage": {"name": "English (US)", "code": "en-US", "confidence": 0.9},
            },
            "matches": matches,
        }


def _match_json(text: str, start: int, end: int, rule: FakeRule) -> dict[str, Any]:
    ctx_start, ctx_end = max(0, start - 40), min(len(text), end + 40)
    prefix = "..." if ctx_start > 0 else ""
    suffix = "..." if ctx_end < len(text) else ""
    context = (prefix + text[ctx_start:ctx_end] + suffix).replace("\n", " ")
    in_context = len(prefix) + utf16_offset(text[ctx_start:], start - ctx_start)
    length = utf16_offset(text, end) - utf16_offset(text, start)
    s_start = max(text.rfind(". ", 0, start) + 2, 0) if ". " in text[:start] else 0
    s_end = text.find(". ", end)
    sentence = text[s_start : s_end + 1 if s_end >= 0 else len(text)]
    return {
        "message": rule.message,
        "shortMessage": "Spelling mistake" if rule.issue_type == "misspelling" else "",
        "replacements": [{"value": r} for r in rule.replacements],
        "offset": utf16_offset(text, start),
        "length": length,
        "context": {"text": context, "offset": in_context, "length": length},
        "sentence": sentence,
        "type": {"typeName": "Other"},
        "rule": {
            "id": rule.rule_id,
            "description": rule.message,
            "issueType": rule.issue_type,
            "category": {"id": rule.category_id, "name": rule.category_name},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeLanguageTool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: set[socket.socket] = set()
        self._handlers: set[threading.Thread] = set()
        self._conn_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def track(self, conn: socket.socket, alive: bool) -> None:
        with self._conn_lock:
            if alive:
                self._connections.add(conn)
                self._handlers.add(threading.current_thread())
            else:
                self._connections.discard(conn)
                self._handlers.discard(threading.current_thread())

    def close_connections(self) -> None:
        with self._conn_lock:
            conns = list(self._connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def join_handlers(self, timeout: float) -> None:
        with self._conn_lock:
            threads = list(self._handlers)
        for thread in threads:
            thread.join(timeout)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout) is expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like LanguageTool's server
    timeout = 5  # idle keep-alive connections end
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET", "")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        self._serve("POST", body)

    def _serve(self, method: str, body: str) -> None:
        fake = self.server.fake
        parsed = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        params.update(urllib.parse.parse_qsl(body, keep_blank_values=True))
        fake.requests.append(Request(method, parsed.path, params))
        if parsed.path in fake.files:
            self._send(200, fake.files[parsed.path], "application/zip")
            return
        if fake.mode == "die":
            self.close_connection = True
            self.server.shutdown()  # stop listening now: later connections are refused
            self.server.server_close()
            return  # no answer: the client sees the connection close
        if fake.mode == "hang":
            fake._release.wait(min(fake.hang_s, MAX_HANG_S))
        if fake.mode == "500":
            self._send(500, b"Error: Internal Error: java.lang.RuntimeException: fake failure", "text/plain")
        elif fake.mode == "429":
            self._send(429, b"Error: Too many requests", "text/plain", {"Retry-After": "1"})
        elif fake.mode == "malformed":
            self._send(200, b'{"software": {"name": "LanguageTool"}, "matches": [', "application/json")
        elif parsed.path == "/v2/languages":
            self._json(200, LANGUAGES)
        elif parsed.path == "/v2/healthcheck":
            self._send(200, b"OK", "text/plain")
        elif parsed.path == "/v2/check" and fake.check_body is not None:
            self._send(200, fake.check_body, "application/json")
        elif parsed.path == "/v2/check":
            status, answer = fake.check(params)
            if isinstance(answer, str):
                self._send(status, answer.encode("utf-8"), "text/plain")
            else:
                self._json(status, answer)
        else:
            self._send(404, b"Error: not found", "text/plain")

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json")

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", f"{ctype}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True


# -- a stand-in languagetool-server.jar ---------------------------------------------------------------

JAVA_SOURCE = r"""
package org.languagetool.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A stand-in for LanguageTool's server: same command line, same /v2 API, two rules. */
public class HTTPServer {
  public static void main(String[] args) throws Exception {
    int port = 8081;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--port") || args[i].equals("-p")) port = Integer.parseInt(args[i + 1]);
    }
    String exit = System.getenv("FAKE_LT_EXIT_CODE");
    if (exit != null) {
      System.err.println("Fake LanguageTool: refusing to start");
      System.exit(Integer.parseInt(exit));
    }
    String delay = System.getenv("FAKE_LT_START_DELAY_MS");
    if (delay != null) Thread.sleep(Long.parseLong(delay));
    // Like LanguageTool without --public: loopback only.
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("localhost"), port), 0);
    server.createContext("/v2/healthcheck", ex -> send(ex, 200, "OK"));
    server.createContext("/v2/languages", ex -> send(ex, 200,
        "[{\"name\":\"English\",\"code\":\"en\",\"longCode\":\"en\"},"
        + "{\"name\":\"English (US)\",\"code\":\"en\",\"longCode\":\"en-US\"}]"));
    server.createContext("/v2/check", HTTPServer::check);
    server.start();
  }

  static void check(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String query = ex.getRequestURI().getRawQuery();
    Map<String, String> form = new HashMap<>();
    for (String raw : new String[] {query == null ? "" : query, body}) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                   URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    String text = form.getOrDefault("text", "");
    StringBuilder matches = new StringBuilder();
    add(matches, text, "This are", "THIS_ARE_AGREEMENT", "grammar", "GRAMMAR", "Grammar",
        "The pronoun 'This' must be used with a singular verb.", "This is");
    add(matches, text, "recieve", "MORFOLOGIK_RULE_EN_US", "misspelling", "TYPOS", "Possible Typo",
        "Possible spelling mistake found.", "receive");
    send(ex, 200, "{\"software\":{\"name\":\"LanguageTool\",\"version\":\"6.8-fake-java\",\"apiVersion\":1},"
        + "\"language\":{\"name\":\"English (US)\",\"code\":\"en-US\"},\"matches\":[" + matches + "]}");
  }

  static void add(StringBuilder out, String text, String needle, String id, String issue,
                  String category, String categoryName, String message, String replacement) {
    // indexOf and length() count UTF-16 code units, as LanguageTool's offsets do.
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      if (out.length() > 0) out.append(',');
      out.append("{\"message\":\"").append(esc(message))
         .append("\",\"replacements\":[{\"value\":\"").append(esc(replacement))
         .append("\"}],\"offset\":").append(i).append(",\"length\":").append(needle.length())
         .append(",\"context\":{\"text\":\"").append(esc(text)).append("\",\"offset\":").append(i)
         .append(",\"length\":").append(needle.length()).append("},\"sentence\":\"").append(esc(text))
         .append("\",\"rule\":{\"id\":\"").append(id).append("\",\"description\":\"").append(esc(message))
         .append("\",\"issueType\":\"").append(issue).append("\",\"category\":{\"id\":\"").append(category)
         .append("\",\"name\":\"").append(categoryName).append("\"}}}");
    }
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.toString();
  }

  static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
"""


def javac_available() -> bool:
    return shutil.which("javac") is not None and shutil.which("java") is not None


def build_fake_languagetool_jar(folder: Path, version: str = "6.8") -> Path:
    """Compile the stand-in into ``folder/LanguageTool-<version>/languagetool-server.jar``."""
    src = folder / "src" / "org" / "languagetool" / "server"
    src.mkdir(parents=True, exist_ok=True)
    (src / "HTTPServer.java").write_text(JAVA_SOURCE, encoding="utf-8")
    classes = folder / "classes"
    subprocess.run(
        [
            "javac",
            "-J-XX:TieredStopAtLevel=1",  # javac starts faster
            "-J-XX:+UseSerialGC",
            "--release",
            "17",
            "-d",
            str(classes),
            str(src / "HTTPServer.java"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    install = folder / f"LanguageTool-{version}"
    install.mkdir(parents=True, exist_ok=True)
    jar = install / "languagetool-server.jar"
    with zipfile.ZipFile(jar, "w") as zf:
        zf.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
        for cls in classes.rglob("*.class"):
            zf.write(cls, cls.relative_to(classes).as_posix())
    return jar


def cached_fake_languagetool_jar() -> Path:
    """The stand-in jar, compiled once per source version into the temporary folder."""
    digest = hashlib.sha256(JAVA_SOURCE.encode("utf-8")).hexdigest()[:12]
    home = Path(tempfile.gettempdir()) / f"humanize-fake-languagetool-{digest}"
    jar = home / "LanguageTool-6.8" / "languagetool-server.jar"
    if jar.is_file():
        return jar
    work = Path(tempfile.mkdtemp(prefix="humanize-fake-languagetool-"))
    build_fake_languagetool_jar(work)
    try:
        work.rename(home)  # atomic: a concurrent run either wins or finds it there
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
    return jar
