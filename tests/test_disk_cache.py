"""disk_cache.marshalled: built once, read back by later processes, rebuilt when bad."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from companion.core.disk_cache import marshalled


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HUMANIZE_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_built_once_then_read_from_disk(cache) -> None:
    calls = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"word": 3}

    assert marshalled("table", "1.0", build, dict) == {"word": 3}
    assert marshalled("table", "1.0", build, dict) == {"word": 3}
    assert len(calls) == 1 and (cache / "table-1.0.marshal").exists()
    marshalled("table", "2.0", build, dict)  # a new key (package version) builds anew
    assert len(calls) == 2


def test_a_later_process_reads_what_an_earlier_one_wrote(cache) -> None:
    marshalled("table", "k", lambda: {"a": 1}, dict)
    code = (
        "from companion.core.disk_cache import marshalled\n"
        "print(marshalled('table', 'k', lambda: {'rebuilt': 1}, dict))"
    )
    env = {**os.environ, "HUMANIZE_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "{'a': 1}"


@pytest.mark.parametrize("content", [b"not marshal", b"", b"\xe9\x00\x00\x00"])
def test_a_corrupt_or_wrongly_typed_file_is_rebuilt(cache, content: bytes) -> None:
    (cache / "table-k.marshal").write_bytes(content)
    assert marshalled("table", "k", lambda: {"fresh": 1}, dict) == {"fresh": 1}
    assert marshalled("table", "k", lambda: {"again": 1}, dict) == {"fresh": 1}  # and stored


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HUMANIZE_CACHE_DIR", str(blocker / "cache"))
    assert marshalled("table", "k", lambda: {"x": 1}, dict) == {"x": 1}


def test_odd_keys_make_safe_file_names(cache) -> None:
    marshalled("table", "1.0/../../x y", lambda: {"x": 1}, dict)
    assert [p.name for p in cache.iterdir()] == ["table-1.0_.._.._x_y.marshal"]
