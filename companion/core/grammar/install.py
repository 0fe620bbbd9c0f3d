"""Download LanguageTool, only when explicitly asked (``humanize grammar install``)."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from companion.core.grammar.discover import SERVER_JAR, default_install_dir
from companion.core.grammar.errors import connection_detail, format_seconds

log = logging.getLogger(__name__)

#: The LanguageTool release language-tool-python downloads, and the largest archive we accept.
try:
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION as DEFAULT_VERSION
except ImportError:  # pragma: no cover - a future language-tool-python
    DEFAULT_VERSION = "6.8"
MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024

Progress = Callable[[int, int | None], None]


class GrammarInstallError(RuntimeError):
    """LanguageTool could not be installed; the message says why."""


def download_url(version: str = DEFAULT_VERSION) -> str:
    """The archive URL language-tool-python uses for ``version``."""
    from language_tool_python.download_lt import LocalLanguageTool

    try:
        return LocalLanguageTool.from_version_name(version).download_url
    except Exception as exc:
        raise GrammarInstallError(f"no download known for LanguageTool {version!r} ({exc})") from exc


def published_sha256(version: str = DEFAULT_VERSION) -> str | None:
    """The archive's SHA-256 from language-tool-python's manifest, if it lists ``version``."""
    try:
        from language_tool_python.download_lt import EXPECTED_DOWNLOAD_SHA256
    except ImportError:  # pragma: no cover
        return None
    value = EXPECTED_DOWNLOAD_SHA256.get(version)
    return str(value).strip().lower() if value else None


def install_languagetool(
    dest: Path | None = None,
    progress: Progress | None = None,
    *,
    version: str = DEFAULT_VERSION,
    url: str | None = None,
    sha256: str | None = None,
    connect_timeout_s: float = 10.0,
    read_timeout_s: float = 30.0,
) -> Path:
    """Download and unpack LanguageTool; return the folder holding ``languagetool-server.jar``.

    ``dest`` defaults to our install folder, which the grammar analyzer searches.
    The archive is checked against ``sha256`` or, failing that, the checksum
    language-tool-python publishes for ``version``; with neither, a warning says the
    download is unverified. ``progress(done_bytes, total_bytes_or_None)`` is called
    as bytes arrive. Raises :class:`GrammarInstallError` with a clear message; a
    network that does not answer fails within the timeouts (each connect, each read).
    """
    dest = Path(dest) if dest is not None else default_install_dir()
    target = dest / f"LanguageTool-{version}"
    if (target / SERVER_JAR).is_file():
        log.info("LanguageTool %s is already installed in %s", version, target)
        return target
    url = url or download_url(version)
    expected = (sha256 or published_sha256(version) or "").strip().lower() or None
    if expected is None:
        log.warning(
            "no published SHA-256 for LanguageTool %s: the download from %s is not verified", version, url
        )
    try:
        dest.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=dest, prefix=".install-") as tmp:
            work = Path(tmp)
            archive = work / "languagetool.zip"
            digest = _download(url, archive, progress, (connect_timeout_s, read_timeout_s))
            if expected is not None and digest != expected:
                raise GrammarInstallError(
                    f"the download from {url} is corrupt or not the expected file "
                    f"(SHA-256 {digest}, expected {expected}); nothing was installed"
                )
            root = _extract(archive, work / "unpacked", work)
            if target.exists():
                shutil.rmtree(target)  # an earlier, incomplete install (no jar)
            root.rename(target)
    except OSError as exc:
        raise GrammarInstallError(f"could not install LanguageTool into {dest}: {exc}") from exc
    log.info("LanguageTool %s installed in %s", version, target)
    return target


def _download(url: str, archive: Path, progress: Progress | None, timeout: tuple[float, float]) -> str:
    """Stream ``url`` into ``archive``; return its SHA-256."""
    import requests

    where = f"could not download LanguageTool from {url}"
    digest = hashlib.sha256()
    try:
        with requests.get(url, stream=True, timeout=timeout) as response:
            if response.status_code != 200:
                raise GrammarInstallError(f"{where}: HTTP {response.status_code}")
            total = _content_length(response)
            if total is not None and total > MAX_DOWNLOAD_BYTES:
                raise GrammarInstallError(f"{where}: the archive is too large ({total} bytes)")
            done = 0
            with archive.open("wb") as out:
                for block in response.iter_content(chunk_size=1 << 20):
                    done += len(block)
                    if done > MAX_DOWNLOAD_BYTES:
                        raise GrammarInstallError(f"{where}: the archive is too large")
                    digest.update(block)
                    out.write(block)
                    if progress is not None:
                        progress(done, total)
    except requests.Timeout as exc:
        limit = format_seconds(max(timeout))
        raise GrammarInstallError(f"{where}: the network did not answer within {limit}") from exc
    except requests.RequestException as exc:
        raise GrammarInstallError(f"{where}: {connection_detail(exc)}") from exc
    return digest.hexdigest()


def _content_length(response: Any) -> int | None:
    try:
        return int(response.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


def _extract(archive: Path, into: Path, work: Path) -> Path:
    """Unpack safely (no paths outside ``into``); return the folder holding the server jar."""
    from language_tool_python.exceptions import LanguageToolError
    from language_tool_python.safe_zip import SafeZipExtractor

    try:
        with zipfile.ZipFile(archive) as zf:
            SafeZipExtractor().extractall(zf, into, work_dir=work)
    except (zipfile.BadZipFile, LanguageToolError) as exc:
        raise GrammarInstallError(f"the downloaded archive could not be unpacked ({exc})") from exc
    if (into / SERVER_JAR).is_file():
        return into
    roots = [p for p in into.iterdir() if (p / SERVER_JAR).is_file()]
    if len(roots) != 1:
        raise GrammarInstallError(f"the downloaded archive holds no single folder with {SERVER_JAR}")
    return roots[0]
