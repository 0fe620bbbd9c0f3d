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


@pytest.fixture(scope="session", autouse=True)
def _private_model_host():
    """One model host for the whole session, in a folder of its own; stopped at the end."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="hz-host-")  # short: a socket path holds ~100 bytes
    os.environ["HUMANIZE_RUNTIME_DIR"] = folder
    os.environ.setdefault("HUMANIZE_MODEL_HOST_IDLE", "120")
    yield folder
    from companion.core.embedder import DEFAULT_MODEL
    from companion.core.model_host.client import stop_host

    stop_host(DEFAULT_MODEL)
    shutil.rmtree(folder, ignore_errors=True)
