"""Shared fixtures: every test gets its own settings, data and cache folders."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("HUMANIZE_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("HUMANIZE_DATA_DIR", str(base / "data"))
    # Anchor embeddings are expensive to compute; share one cache across the session.
    monkeypatch.setenv("HUMANIZE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "shared-cache"))
