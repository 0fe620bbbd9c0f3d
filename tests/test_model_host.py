"""The model host: the real MiniLM in a process of its own, reached over its Unix socket.

Each test here starts a host of its own (in a private folder), so it can also stop,
kill and crash it; the rest of the suite shares the session's host.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from companion.core.embedder import DEFAULT_MODEL, Embedder
from companion.core.model_host import client
from companion.core.model_host.client import HostedEmbedder, stop_host
from companion.core.model_host.protocol import receive, send

pytestmark = pytest.mark.skipif(not client.enabled(), reason="the model host needs Unix sockets")


@pytest.fixture
def own_host(tmp_path_factory, monkeypatch):
    import tempfile

    folder = tempfile.mkdtemp(prefix="hz-t-")
    monkeypatch.setenv("HUMANIZE_RUNTIME_DIR", folder)
    monkeypatch.setenv("HUMANIZE_MODEL_HOST_IDLE", "60")
    yield Path(folder)
    stop_host(DEFAULT_MODEL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_vectors_equal_the_in_process_model_and_torch_stays_out(own_host) -> None:
    code = (
        "import sys\n"
        "from companion.core.model_host.client import HostedEmbedder\n"
        "e = HostedEmbedder()\n"
        "v = e.encode(['a beacon of hope', 'we leverage synergies', 'Café ☕ 東京'])\n"
        "import numpy as np; np.save(sys.argv[1], v)\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules, e.host_pid)\n"
    )
    out_file = own_host / "v.npy"
    run = subprocess.run(
        [sys.executable, "-c", code, str(out_file)], capture_output=True, text=True, check=True
    )
    torch_loaded, st_loaded, pid = run.stdout.split()
    assert (torch_loaded, st_loaded) == ("False", "False")  # the client never imports the model
    here = Embedder().encode(["a beacon of hope", "we leverage synergies", "Café ☕ 東京"])
    np.testing.assert_allclose(np.load(out_file), here, atol=1e-5)
    assert _alive(int(pid))  # the host outlives its client, for the next run


def test_one_host_serves_many_clients_and_caches_nothing_wrong(own_host) -> None:
    a, b = HostedEmbedder(), HostedEmbedder()
    va = a.encode(["first text", "second text"])
    vb = b.encode(["second text", "third text"])
    assert a.host_pid == b.host_pid
    np.testing.assert_allclose(va[1], vb[0], atol=1e-6)
    assert va.shape == (2, 384) and a.dimension == 384
    a.close()
    b.close()


def test_a_killed_host_is_started_again(own_host) -> None:
    e = HostedEmbedder()
    before = e.encode(["robust framework"])
    pid = e.host_pid
    os.kill(pid, signal.SIGKILL)
    assert _wait_gone(pid)
    after = e.encode(["a holistic approach"])  # reconnects to a new host
    assert e.host_pid != pid and after.shape == (1, 384)
    np.testing.assert_allclose(e.encode(["robust framework"]), before, atol=1e-6)
    e.close()


def test_the_host_exits_when_idle_and_removes_its_socket(own_host, monkeypatch) -> None:
    monkeypatch.setenv("HUMANIZE_MODEL_HOST_IDLE", "1")
    e = HostedEmbedder()
    e.encode(["idle soon"])
    pid, path = e.host_pid, e.path
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    e.close()
    assert _wait_gone(pid, 20)
    assert not path.exists()


def test_a_stale_socket_file_does_not_stop_a_new_host(own_host) -> None:
    path = client.socket_path(DEFAULT_MODEL)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # a file no one listens on, as a crashed host leaves
    e = HostedEmbedder()
    assert e.encode(["still works"]).shape == (1, 384)
    e.close()


def test_bad_requests_get_an_error_and_the_host_keeps_serving(own_host) -> None:
    e = HostedEmbedder()
    e.load()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(e.path))
        send(sock, {"op": "encode", "texts": "not a list"})
        assert "error" in receive(sock)[0]
        send(sock, {"op": "launch missiles"})
        assert "unknown" in str(receive(sock)[0]["error"])
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(e.path))
        sock.sendall(b"\xff\xff\xff\xff garbage")  # a header length over the limit: the host hangs up
        with contextlib.suppress(ConnectionResetError):  # a reset (unread bytes pending) is a hang-up too
            assert sock.recv(10) == b""
    assert e.encode(["after garbage"]).shape == (1, 384)
    e.close()


def test_an_unloadable_model_is_reported_not_hung(own_host) -> None:
    from companion.core.embedder import EmbedderUnavailable

    e = HostedEmbedder(str(own_host / "no-such-model"))
    with pytest.raises(EmbedderUnavailable):
        e.load()
    assert e.error


def test_a_folder_of_another_user_is_refused(tmp_path) -> None:
    from companion.core.model_host.server import private_dir

    folder = tmp_path / "run"
    private_dir(folder)
    assert (folder.stat().st_mode & 0o777) == 0o700
    folder.chmod(0o755)
    private_dir(folder)  # too open: tightened
    assert (folder.stat().st_mode & 0o777) == 0o700
    if os.getuid() == 0:
        os.chown(folder, 12345, 12345)
        with pytest.raises(PermissionError):
            private_dir(folder)


def test_off_switch_keeps_the_model_in_process(monkeypatch) -> None:
    from companion.core.build import _embedder

    monkeypatch.setenv("HUMANIZE_MODEL_HOST", "off")
    assert type(_embedder(None, 1)) is Embedder
    monkeypatch.setenv("HUMANIZE_MODEL_HOST", "on")
    assert type(_embedder(None, 1)) is HostedEmbedder


def test_a_large_host_log_is_rotated_before_a_start(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HUMANIZE_CACHE_DIR", str(tmp_path))
    log = client.host_log()
    log.write_bytes(b"x" * (client.MAX_LOG_BYTES + 1))
    client._rotate(log)
    assert not log.exists() and (tmp_path / "model-host.log.1").stat().st_size > client.MAX_LOG_BYTES
    log.write_text("small")
    client._rotate(log)
    assert log.read_text() == "small"
