"""GrammarAnalyzer against fake LanguageTool servers, through language-tool-python's real client.

Remote mode talks to a Python fake on loopback; local mode starts a real java
process (a stand-in languagetool-server.jar compiled here; skipped without javac).
Nothing in this file may start language-tool-python's own server or download.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import io
import ipaddress
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from language_tool_python import LanguageTool, Match

from companion.core.analyzer import Analyzer, Chunk
from companion.core.findings import Level
from companion.core.grammar import (
    GrammarAnalyzer,
    GrammarInstallError,
    Utf16Index,
    install_languagetool,
    normalize_server_url,
    utf16_len,
)
from companion.core.grammar.client import LanguageToolClient
from tests.lt_fake_server import FakeLanguageTool, FakeRule, cached_fake_languagetool_jar, javac_available

REPO = Path(__file__).resolve().parents[1]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _java_children() -> list[psutil.Process]:
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "java" in proc.name().lower() and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.NoSuchProcess:
            pass
    return found


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No LanguageTool install visible, no download possible, no java left behind."""
    monkeypatch.setenv("HUMANIZE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    from language_tool_python import download_lt

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("language-tool-python tried to download LanguageTool")

    monkeypatch.setattr(download_lt.ReleaseLocalLanguageTool, "download", no_download)
    monkeypatch.setattr(download_lt.SnapshotLocalLanguageTool, "download", no_download)
    monkeypatch.setattr(LanguageTool, "_start_local_server", no_download)
    yield
    deadline = time.monotonic() + 5
    while _java_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = _java_children()
    for proc in orphans:
        proc.kill()
    assert not orphans, f"java processes left running: {orphans}"


@pytest.fixture
def fake() -> Iterator[FakeLanguageTool]:
    with FakeLanguageTool() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock()


def remote(fake: FakeLanguageTool, clock: Clock, **kwargs: object) -> GrammarAnalyzer:
    kwargs.setdefault("timeout_s", 1.0)
    return GrammarAnalyzer(mode="remote", server_url=fake.url, clock=clock, **kwargs)  # type: ignore[arg-type]


def check(analyzer: GrammarAnalyzer, text: str) -> list:
    return analyzer.analyze(Chunk.of(text))


# -- normal answers -------------------------------------------------------------------------------


def test_is_an_analyzer() -> None:
    analyzer = GrammarAnalyzer(mode="off")
    assert isinstance(analyzer, Analyzer)
    assert analyzer.name == "grammar"


def test_grammar_and_spelling_findings(fake: FakeLanguageTool, clock: Clock) -> None:
    with remote(fake, clock) as analyzer:
        text = "This are wrong. I recieve mail."
        grammar, spelling = check(analyzer, text)
        assert analyzer.status().available and analyzer.status().mode == "remote"

    assert (grammar.start, grammar.end, grammar.matched) == (0, 8, "This are")
    assert grammar.category == "grammar" and grammar.rule == "grammar.THIS_ARE_AGREEMENT"
    assert grammar.source == "grammar" and grammar.level is Level.ESSENTIAL
    assert grammar.suggestions == ("This is", "These are")
    assert "<suggestion>" not in grammar.message and "“This is”" in grammar.message

    assert text[spelling.start : spelling.end] == spelling.matched == "recieve"
    assert spelling.category == "spelling" and spelling.rule == "grammar.MORFOLOGIK_RULE_EN_US"
    assert spelling.suggestions[0] == "receive" and spelling.level is Level.ESSENTIAL
    sent = fake.checks[0].params
    assert sent["text"] == text and sent["language"] == "en-US"


def test_several_findings_in_one_paragraph(fake: FakeLanguageTool, clock: Clock) -> None:
    text = "This are a apple... I definately saw teh  cat."
    with remote(fake, clock) as analyzer:
        findings = check(analyzer, text)
    got = [(f.rule.removeprefix("grammar."), f.matched, f.category, f.level) for f in findings]
    assert got == [
        ("THIS_ARE_AGREEMENT", "This are", "grammar", Level.ESSENTIAL),
        ("EN_A_VS_AN", "a", "spelling", Level.ESSENTIAL),  # LanguageTool's issue type: misspelling
        ("ELLIPSIS", "...", "grammar", Level.PICKY),
        ("MORFOLOGIK_RULE_EN_US", "definately", "spelling", Level.ESSENTIAL),
        ("MORFOLOGIK_RULE_EN_US", "teh", "spelling", Level.ESSENTIAL),
        ("WHITESPACE_RULE", "  ", "grammar", Level.PICKY),
    ]
    assert all(text[f.start : f.end] == f.matched for f in findings)
    teh = next(f for f in findings if f.matched == "teh")
    assert teh.suggestions == ("the", "ten", "tea", "eh", "Te")  # at most five


def test_style_categories_that_repeat_our_library_are_dropped(fake: FakeLanguageTool, clock: Clock) -> None:
    text = "We utilize advance planning in order to win."
    with remote(fake, clock) as analyzer:
        assert check(analyzer, text) == []
    assert set(fake.checks[0].params["disabledCategories"].split(",")) == {
        "STYLE",
        "REDUNDANCY",
        "PLAIN_ENGLISH",
    }

    fake.honour_disabled_categories = False  # a server that ignores the parameter
    with remote(fake, clock) as analyzer:
        assert check(analyzer, text) == []

    with remote(fake, clock, dropped_categories=()) as analyzer:
        findings = check(analyzer, text)
    assert {f.matched for f in findings} == {"utilize", "advance planning", "in order to"}
    assert {f.level for f in findings} == {Level.PICKY}


# -- offsets: LanguageTool counts UTF-16 units, findings count code points ----------------------------

OFFSET_CASES = [
    ("🙂🙂 This are wrong.", ["This are"]),
    ("日本語のテキスト。This are wrong and I recieve it.", ["This are", "recieve"]),
    ("𠮷野家 This are 🙂 wrong; 👍🏽 I recieve 👨‍👩‍👧 mail.", ["This are", "recieve"]),
    ("Ünïcödé café — This are fine… 🎉\nNew line: recieve", ["This are", "recieve"]),
    ("🙂" * 50 + " This are " + "𠀀" * 30 + " recieve", ["This are", "recieve"]),
]


@pytest.mark.parametrize(("text", "words"), OFFSET_CASES)
def test_offsets_are_code_points_after_emoji_and_cjk(
    fake: FakeLanguageTool, clock: Clock, text: str, words: list[str]
) -> None:
    with remote(fake, clock) as analyzer:
        findings = check(analyzer, text)
    assert [text[f.start : f.end] for f in findings] == words
    assert [f.matched for f in findings] == words


def test_language_tool_python_converts_the_offset_but_not_the_length(fake: FakeLanguageTool) -> None:
    """Why we convert offsets ourselves (language-tool-python 3.x behaviour, pinned here)."""
    fake.rules = (FakeRule(r"🙂 This are", "EMOJI_RULE", "grammar", "GRAMMAR", "Grammar", "m"),)
    text = "🙂🙂 This are wrong."
    _, answer = fake.check({"language": "en-US", "text": text})
    raw = answer["matches"][0]  # type: ignore[index]
    assert (raw["offset"], raw["length"]) == (2, 11)  # UTF-16 units
    match = Match(copy.deepcopy(raw), text)
    assert match.offset == 1  # converted to a code point...
    assert match.error_length == 11  # ...but the length is not: text[1:12] would overrun
    index = Utf16Index(text)
    assert text[index.start(2) : index.end(2 + 11)] == "🙂 This are"


def test_a_match_that_covers_an_emoji_ends_exactly(fake: FakeLanguageTool, clock: Clock) -> None:
    fake.rules = (FakeRule(r"🙂 This are", "EMOJI_RULE", "grammar", "GRAMMAR", "Grammar", "m"),)
    with remote(fake, clock) as analyzer:
        (finding,) = check(analyzer, "🙂🙂 This are wrong.")
    assert (finding.start, finding.end, finding.matched) == (1, 11, "🙂 This are")


_CHARS = st.sampled_from([*"ab .,\n", "🙂", "👍🏽", "𠮷", "日", "é", "\u0301", "👨‍👩‍👧", "€"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(_CHARS, max_size=12), after=st.lists(_CHARS, max_size=12))
def test_offsets_property(fake: FakeLanguageTool, before: list[str], after: list[str]) -> None:
    text = "".join(before) + " This are " + "".join(after) + " recieve"
    with GrammarAnalyzer(mode="remote", server_url=fake.url, timeout_s=2.0) as analyzer:
        findings = check(analyzer, text)
    assert all(text[f.start : f.end] == f.matched for f in findings)
    wanted = {"grammar.THIS_ARE_AGREEMENT", "grammar.MORFOLOGIK_RULE_EN_US"}
    assert [f.matched for f in findings if f.rule in wanted] == ["This are", "recieve"]


@given(st.text(max_size=40), st.data())
def test_utf16_index_round_trips(text: str, data: st.DataObject) -> None:
    index = Utf16Index(text)
    units = text.encode("utf-16-le")
    assert utf16_len(text) == len(units) // 2
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    u_i, u_j = index.to_utf16(i), index.to_utf16(j)
    assert u_i == len(text[:i].encode("utf-16-le")) // 2
    assert (index.start(u_i), index.end(u_j)) == (i, j)
    assert units[2 * u_i : 2 * u_j].decode("utf-16-le") == text[i:j]


def test_half_a_surrogate_pair_snaps_outwards() -> None:
    index = Utf16Index("a🙂b")  # units: a=0, 🙂=1..2, b=3
    assert (index.start(2), index.end(2)) == (1, 2)


# -- faults: [] for the chunk, a reason, and a pause ----------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("500", "grammar server error 500"),
        ("429", "grammar server rate-limited (429)"),
        ("malformed", "grammar server sent a malformed response"),
    ],
)
def test_server_faults(fake: FakeLanguageTool, clock: Clock, mode: str, reason: str) -> None:
    with remote(fake, clock) as analyzer:
        assert check(analyzer, "This are fine.")
        fake.mode = mode
        assert check(analyzer, "This are wrong.") == []
        status = analyzer.status()
        assert (status.available, status.reason, status.mode) == (False, reason, "remote")


def test_fault_while_connecting(fake: FakeLanguageTool, clock: Clock) -> None:
    fake.mode = "500"  # /v2/languages fails: the client cannot even be built
    with remote(fake, clock) as analyzer:
        assert check(analyzer, "This are wrong.") == []
        assert analyzer.status().reason == "grammar server error 500"
        fake.mode = "ok"
        clock.advance(61)
        assert len(check(analyzer, "This are wrong.")) == 1
        assert analyzer.status().available


def test_timeout_is_bounded_and_tried_once(fake: FakeLanguageTool, clock: Clock) -> None:
    with remote(fake, clock, timeout_s=1.0) as analyzer:
        assert check(analyzer, "This are fine.")
        fake.mode = "hang"
        began = time.monotonic()
        assert check(analyzer, "This are wrong.") == []
        elapsed = time.monotonic() - began
        assert analyzer.status().reason == "grammar server timed out after 1 s"
    assert 0.9 <= elapsed < 3
    assert len(fake.checks) == 2  # no silent second try


def test_server_dies_mid_session_and_comes_back(fake: FakeLanguageTool, clock: Clock) -> None:
    with remote(fake, clock) as analyzer:
        assert check(analyzer, "This are one.")
        fake.mode = "die"
        assert check(analyzer, "This are two.") == []
        assert analyzer.status().reason.startswith("grammar server unreachable")
        clock.advance(61)
        assert check(analyzer, "This are three.") == []
        assert analyzer.status().reason == "grammar server unreachable (connection refused)"
        fake.restart()  # same port
        clock.advance(61)
        assert [f.matched for f in check(analyzer, "This are four.")] == ["This are"]
        assert analyzer.status().available


def test_no_request_until_retry_after_passes(fake: FakeLanguageTool, clock: Clock) -> None:
    with remote(fake, clock, retry_after_s=60.0) as analyzer:
        fake.mode = "500"
        assert check(analyzer, "This are wrong.") == []
        fake.mode = "ok"
        requests_made = len(fake.requests)
        assert check(analyzer, "This are wrong.") == []
        clock.advance(59.9)
        assert check(analyzer, "This are wrong.") == []
        assert len(fake.requests) == requests_made  # paused: no traffic at all
        assert not analyzer.status().available
        clock.advance(0.2)
        assert len(check(analyzer, "This are wrong.")) == 1
        assert analyzer.status().available


def test_unreachable_server_fails_fast(clock: Clock) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed when the block ends: nothing listens
    began = time.monotonic()
    with GrammarAnalyzer(mode="remote", server_url=f"127.0.0.1:{port}", timeout_s=1.0, clock=clock) as a:
        assert check(a, "This are wrong.") == []
        assert a.status().reason == "grammar server unreachable (connection refused)"
    assert time.monotonic() - began < 2


def test_unsupported_language(fake: FakeLanguageTool, clock: Clock) -> None:
    with remote(fake, clock, language="tlh") as analyzer:
        assert check(analyzer, "This are wrong.") == []
        assert analyzer.status().reason == "grammar server does not support language 'tlh'"


def test_odd_matches_are_skipped_not_raised(fake: FakeLanguageTool, clock: Clock) -> None:
    good = {
        "message": "m",
        "offset": 0,
        "length": 4,
        "replacements": [{"value": "That"}, 3],
        "rule": {"id": "R"},
    }
    body = {"matches": [{"offset": "x"}, 5, {"offset": 90, "length": 4}, {"offset": 1, "length": 0}, good]}
    fake.check_body = json.dumps(body).encode()
    with remote(fake, clock) as analyzer:
        (finding,) = check(analyzer, "This are wrong.")
    assert (finding.matched, finding.suggestions, finding.category) == ("This", ("That",), "grammar")


def test_results_are_cached_per_text(fake: FakeLanguageTool, clock: Clock) -> None:
    with remote(fake, clock, cache_size=2) as analyzer:
        first = check(analyzer, "This are one.")
        assert check(analyzer, "This are one.") == first
        assert len(fake.checks) == 1
        check(analyzer, "This are two.")
        check(analyzer, "This are three.")  # evicts "one"
        check(analyzer, "This are one.")
        assert len(fake.checks) == 4
        fake.mode = "500"
        assert check(analyzer, "This are three.")  # cached answers survive a fault


def test_blank_chunk_makes_no_request(fake: FakeLanguageTool, clock: Clock) -> None:
    with remote(fake, clock) as analyzer:
        assert check(analyzer, "  \n ") == []
    assert fake.requests == []


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown grammar mode"):
        GrammarAnalyzer(mode="sometimes")
    with pytest.raises(ValueError, match="needs a server URL"):
        GrammarAnalyzer(mode="remote")


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("localhost:8081", "http://localhost:8081/"),
        ("http://localhost:8081/v2", "http://localhost:8081/"),
        ("http://localhost:8081/v2/", "http://localhost:8081/"),
        ("https://lt.example.org/api", "https://lt.example.org/api/"),
        ("https://api.languagetool.org/v2/", "https://api.languagetool.org/"),
    ],
)
def test_server_urls(given_url: str, expected: str) -> None:
    assert normalize_server_url(given_url) == expected


def test_transport_override_matches_the_library() -> None:
    """We replace language-tool-python's private ``_query_server``: fail loudly if it changes."""
    ours = inspect.signature(LanguageToolClient._query_server)
    theirs = inspect.signature(LanguageTool._query_server)
    assert list(ours.parameters) == list(theirs.parameters)
    assert callable(LanguageTool._create_params)


# -- modes and privacy ---------------------------------------------------------------------------------


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    """Every socket connect in this process; non-loopback ones are refused and listed."""
    seen: dict[str, list[object]] = {"all": [], "outside": []}
    real = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        seen["all"].append(address)
        host = address[0] if isinstance(address, tuple) else str(address)
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            seen["outside"].append(address)
            raise ConnectionRefusedError(f"test: no connection to {address}")
        real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return seen


def test_off_opens_no_socket(connections: dict[str, list[object]]) -> None:
    with GrammarAnalyzer(mode="off", server_url="http://192.0.2.1:8081") as analyzer:
        assert check(analyzer, "This are wrong.") == []
        status = analyzer.status()
    assert (status.available, status.mode) == (False, "off")
    assert connections["all"] == []


def test_auto_without_languagetool_is_harper_and_starts_nothing(
    connections: dict[str, list[object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started: {args}")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    with GrammarAnalyzer() as analyzer:  # auto, no server configured: Harper, in-process
        status = analyzer.status()
        findings = check(analyzer, "This are wrong.")
    assert status == status.__class__(True, "", "harper")
    assert [f.matched for f in findings] == ["This are"]
    assert connections["all"] == []


def test_local_without_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jar = tmp_path / "LanguageTool-6.8" / "languagetool-server.jar"
    jar.parent.mkdir()
    jar.write_bytes(b"")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert GrammarAnalyzer(mode="local", languagetool_path=jar).status().reason == "Java 17+ not found"
    auto = GrammarAnalyzer(languagetool_path=jar).status()  # LanguageTool cannot run: Harper does
    assert (auto.available, auto.reason, auto.mode) == (True, "", "harper")


def test_local_with_old_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = bin_dir / "java"
    java.write_text("#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n")
    java.chmod(0o755)
    jar = tmp_path / "languagetool-server.jar"
    jar.write_bytes(b"")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    status = GrammarAnalyzer(mode="local", languagetool_path=jar).status()
    assert status.reason.startswith("Java 17+ not found (found Java 11")


# -- local mode with a real java process ------------------------------------------------------------

needs_java = pytest.mark.skipif(not javac_available(), reason="needs a JDK (javac) to build the stand-in jar")


@pytest.fixture(scope="session")
def fake_jar() -> Path:
    if not javac_available():
        pytest.skip("needs a JDK (javac)")
    return cached_fake_languagetool_jar()


@needs_java
def test_auto_finds_languagetool_and_runs_it_locally(
    fake_jar: Path, monkeypatch: pytest.MonkeyPatch, connections: dict[str, list[object]], clock: Clock
) -> None:
    monkeypatch.setenv("LTP_PATH", str(fake_jar.parent.parent))
    with GrammarAnalyzer(clock=clock) as analyzer:
        assert analyzer.status() == analyzer.status().__class__(True, "", "local")
        text = "🙂🙂 This are wrong. 𠮷 I recieve mail."
        findings = check(analyzer, text)
        assert [text[f.start : f.end] for f in findings] == ["This are", "recieve"]
        (java,) = _java_children()
        cmdline = java.cmdline()
        assert "org.languagetool.server.HTTPServer" in cmdline and "--port" in cmdline
        assert "--public" not in cmdline and "--allow-origin" not in cmdline
    assert connections["all"] and connections["outside"] == []  # loopback only
    assert not psutil.pid_exists(java.pid) or java.status() == psutil.STATUS_ZOMBIE


@needs_java
def test_ltp_jar_dir_path_is_honoured(fake_jar: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LTP_JAR_DIR_PATH", str(fake_jar.parent))
    assert GrammarAnalyzer().status().mode == "local"


@needs_java
def test_one_server_for_many_analyzers(fake_jar: Path) -> None:
    first = GrammarAnalyzer(mode="local", languagetool_path=fake_jar)
    second = GrammarAnalyzer(mode="local", languagetool_path=fake_jar)
    try:
        assert check(first, "This are one.") and check(second, "This are two.")
        assert len(_java_children()) == 1
        first.close()
        assert check(second, "This are three.")  # still running for the other user
    finally:
        first.close()
        second.close()
    assert _java_children() == []


@needs_java
def test_not_waiting_for_the_server_to_start(fake_jar: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_LT_START_DELAY_MS", "500")
    with GrammarAnalyzer(mode="local", languagetool_path=fake_jar, wait_for_server=False) as analyzer:
        analyzer.start()
        began = time.monotonic()
        assert check(analyzer, "This are wrong.") == []
        assert time.monotonic() - began < 0.2
        assert analyzer.status().reason == "LanguageTool is starting"
        deadline = time.monotonic() + 20
        while not analyzer.status().available and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [f.matched for f in check(analyzer, "This are wrong.")] == ["This are"]


@needs_java
def test_server_that_never_gets_ready_is_killed(fake_jar: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_LT_START_DELAY_MS", "60000")
    with GrammarAnalyzer(mode="local", languagetool_path=fake_jar, start_timeout_s=1.0) as analyzer:
        began = time.monotonic()
        assert check(analyzer, "This are wrong.") == []
        assert time.monotonic() - began < 5
        assert analyzer.status().reason == "LanguageTool server did not become ready within 1 s"
        assert _java_children() == []  # not left running, unlike language-tool-python's fallback


@needs_java
def test_server_that_exits_early_says_why(fake_jar: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_LT_EXIT_CODE", "3")
    with GrammarAnalyzer(mode="local", languagetool_path=fake_jar) as analyzer:
        assert check(analyzer, "This are wrong.") == []
        reason = analyzer.status().reason
    assert reason == "LanguageTool server exited early with code 3: Fake LanguageTool: refusing to start"


@needs_java
def test_local_server_killed_then_restarted(fake_jar: Path, clock: Clock) -> None:
    with GrammarAnalyzer(mode="local", languagetool_path=fake_jar, clock=clock) as analyzer:
        assert check(analyzer, "This are one.")
        (java,) = _java_children()
        java.kill()  # not reaped here: the analyzer's Popen must see the exit code
        deadline = time.monotonic() + 5
        while java.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
            time.sleep(0.02)
        assert check(analyzer, "This are two.") == []
        assert analyzer.status().reason == "LanguageTool server stopped with code -9"
        clock.advance(61)
        assert check(analyzer, "This are three.")
        assert analyzer.status().available
        assert len(_java_children()) == 1


@needs_java
def test_interpreter_exit_kills_the_server(fake_jar: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import psutil
        from pathlib import Path
        from companion.core.analyzer import Chunk
        from companion.core.grammar import GrammarAnalyzer

        analyzer = GrammarAnalyzer(mode="local", languagetool_path=Path({str(fake_jar)!r}))
        found = analyzer.analyze(Chunk.of("This are wrong."))
        pids = [p.pid for p in psutil.Process().children() if "java" in p.name()]
        print(len(found), *pids)
        # no close(): atexit must stop the server
        """
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    count, pid = (int(x) for x in out.stdout.split())
    assert count == 1
    deadline = time.monotonic() + 5
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _running(pid), "the java server outlived the interpreter"


@needs_java
@pytest.mark.skipif(os.name != "posix", reason="the watchdog is POSIX-only")
def test_a_killed_interpreter_does_not_leave_java_behind(fake_jar: Path, tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal, psutil
        from pathlib import Path
        from companion.core.analyzer import Chunk
        from companion.core.grammar import GrammarAnalyzer

        analyzer = GrammarAnalyzer(mode="local", languagetool_path=Path({str(fake_jar)!r}))
        analyzer.analyze(Chunk.of("This are wrong."))
        print(*[p.pid for p in psutil.Process().children() if "java" in p.name()], flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # no atexit, no finally: only the watchdog can help
        """
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path
    )
    assert out.returncode == -9, out.stderr
    pid = int(out.stdout)
    deadline = time.monotonic() + 5
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if _running(pid):
        psutil.Process(pid).kill()
        pytest.fail("java outlived an interpreter that was killed")


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE  # a zombie is init's to reap
    except psutil.NoSuchProcess:
        return False


# -- installing LanguageTool ---------------------------------------------------------------------------


def test_install_fails_fast_and_clearly_without_network(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    began = time.monotonic()
    with pytest.raises(GrammarInstallError, match=r"could not download LanguageTool .*connection refused"):
        install_languagetool(tmp_path / "lt", url=f"http://127.0.0.1:{port}/LanguageTool-6.8.zip")
    assert time.monotonic() - began < 5
    assert not (tmp_path / "lt" / "LanguageTool-6.8").exists()


def test_install_times_out_on_a_silent_server(tmp_path: Path, fake: FakeLanguageTool) -> None:
    fake.mode, fake.hang_s = "hang", 5
    began = time.monotonic()
    with pytest.raises(GrammarInstallError, match="did not answer within 1 s"):
        install_languagetool(tmp_path, url=fake.url + "x.zip", connect_timeout_s=1, read_timeout_s=1)
    assert time.monotonic() - began < 3


def _zip_with_jar(version: str = "6.8") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(f"LanguageTool-{version}/languagetool-server.jar", b"not really a jar")
        zf.writestr(f"LanguageTool-{version}/README.md", b"hello")
    return buf.getvalue()


def test_install_from_a_mirror_verifies_the_checksum(tmp_path: Path, fake: FakeLanguageTool) -> None:
    archive = _zip_with_jar()
    fake.files["/LanguageTool-6.8.zip"] = archive
    url = fake.url + "LanguageTool-6.8.zip"
    with pytest.raises(GrammarInstallError, match="corrupt or not the expected file"):
        install_languagetool(tmp_path, url=url)  # checked against the published 6.8 checksum
    assert not (tmp_path / "LanguageTool-6.8").exists()

    seen: list[tuple[int, int | None]] = []
    digest = hashlib.sha256(archive).hexdigest()
    folder = install_languagetool(tmp_path, lambda d, t: seen.append((d, t)), url=url, sha256=digest)
    assert folder == tmp_path / "LanguageTool-6.8"
    assert (folder / "languagetool-server.jar").read_bytes() == b"not really a jar"
    assert seen[-1] == (len(archive), len(archive))
    assert GrammarAnalyzer(mode="local", languagetool_path=tmp_path).status().mode == "local"

    requests_made = len(fake.requests)
    assert install_languagetool(tmp_path, url=url) == folder  # already there: no download
    assert len(fake.requests) == requests_made


def test_install_without_a_published_checksum_says_so(
    tmp_path: Path, fake: FakeLanguageTool, caplog: pytest.LogCaptureFixture
) -> None:
    fake.files["/LanguageTool-9.9.zip"] = _zip_with_jar("9.9")
    with caplog.at_level(logging.WARNING, logger="companion.core.grammar.install"):
        folder = install_languagetool(tmp_path, version="9.9", url=fake.url + "LanguageTool-9.9.zip")
    assert (folder / "languagetool-server.jar").is_file()
    assert "no published SHA-256 for LanguageTool 9.9" in caplog.text
