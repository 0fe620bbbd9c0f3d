"""With grammar local, auto or off, a whole check opens no network connection at all."""

from __future__ import annotations

import socket

import pytest

from companion.core.embedder import Embedder
from companion.core.engine import EngineOptions, build_engine
from companion.core.settings import Settings


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    connect = socket.socket.connect

    def refuse(self: socket.socket, address: object) -> None:
        if self is not None and getattr(socket, "AF_UNIX", None) == self.family:
            return connect(self, address)  # the model host: a socket file on this machine, this user's only
        attempts.append(address)
        raise ConnectionRefusedError(f"test: no network ({address})")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    # Prove the model loads offline by itself, not because the test environment says so.
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    return attempts


@pytest.mark.parametrize(("grammar", "host"), [("off", "on"), ("auto", "on"), ("auto", "off")])
def test_a_full_check_with_the_model_opens_no_connection(
    no_network: list[object], grammar: str, host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUMANIZE_MODEL_HOST", host)  # the model in its host process, or in this one
    # Picky: the paraphrase resembles a phrase people use too, so only picky shows it alone.
    checker = build_engine(Settings(grammar=grammar, profile="picky"), EngineOptions(embedding_threads=1))
    text = "Unlock the true potential of your team. We must leverage synergies. I recieve mail."
    report = checker.check(text)
    sources = {f.source for f in report.findings}
    assert {"library", "semantic"} <= sources
    assert report.analyzers["semantic"].available
    assert no_network == []


def test_an_unknown_model_name_fails_clearly_without_network(no_network: list[object]) -> None:
    embedder = Embedder("someone/not-installed-model")
    with pytest.raises(Exception, match="not-installed-model"):
        embedder.load()
    assert no_network == []
