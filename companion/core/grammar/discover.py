"""Find Java 17+ and an installed LanguageTool, without downloading or creating anything."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from companion.core.paths import user_data_dir

log = logging.getLogger(__name__)

#: The jar that holds ``org.languagetool.server.HTTPServer``.
SERVER_JAR = "languagetool-server.jar"
MIN_JAVA = 17
INSTALL_HINT = "run `humanize grammar install`"


@dataclass(frozen=True, slots=True)
class JavaCheck:
    """The java executable to use, or why there is none."""

    path: str | None
    version: int = 0
    reason: str = ""


def find_java() -> JavaCheck:
    """Java 17+ from ``JAVA_HOME`` or ``PATH``; runs ``java -version`` once per executable."""
    home = os.environ.get("JAVA_HOME")
    candidates = [str(Path(home) / "bin" / name) for name in ("java", "java.exe")] if home else []
    found = shutil.which("java")
    if found:
        candidates.append(found)
    for path in candidates:
        if Path(path).is_file():
            return _check_java(str(Path(path).resolve()))
    return JavaCheck(None, reason=f"Java {MIN_JAVA}+ not found")


_JAVA_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')
_java_cache: dict[str, JavaCheck] = {}
_java_lock = threading.Lock()


def _check_java(path: str) -> JavaCheck:
    with _java_lock:
        if path in _java_cache:
            return _java_cache[path]
        try:
            out = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=15, check=False)
            match = _JAVA_VERSION.search(out.stderr + out.stdout)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("could not run %s -version: %s", path, exc)
            match = None
        if match is None:
            result = JavaCheck(None, reason=f"Java {MIN_JAVA}+ not found ({path} did not report a version)")
        else:
            major = int(match.group(1))
            if major == 1 and match.group(2):  # "1.8.0_392"
                major = int(match.group(2))
            if major < MIN_JAVA:
                result = JavaCheck(None, major, f"Java {MIN_JAVA}+ not found (found Java {major} at {path})")
            else:
                result = JavaCheck(path, major)
        _java_cache[path] = result
        return result


def default_install_dir() -> Path:
    """Where ``humanize grammar install`` puts LanguageTool."""
    return user_data_dir() / "languagetool"


def languagetool_search_dirs() -> list[Path]:
    """Folders that may hold ``LanguageTool-<version>/`` installs, in order of preference."""
    dirs = [default_install_dir()]
    ltp = os.environ.get("LTP_PATH")
    dirs.append(Path(ltp) if ltp else Path.home() / ".cache" / "language_tool_python")
    return dirs


def find_languagetool(path: Path | None = None) -> Path | None:
    """The ``languagetool-server.jar`` to run, or None; looks, never downloads.

    ``path`` (a jar, or a folder holding one or holding ``LanguageTool-*`` folders)
    wins; then ``LTP_JAR_DIR_PATH`` (the jar's folder, as language-tool-python reads
    it); then the newest ``LanguageTool-*`` in our install folder and in ``LTP_PATH``
    (language-tool-python's download folder, ``~/.cache/language_tool_python`` by default).
    """
    if path is not None:
        return _jar_in(path)
    jar_dir = os.environ.get("LTP_JAR_DIR_PATH")
    if jar_dir:
        found = _jar_in(Path(jar_dir))
        if found:
            return found
    for folder in languagetool_search_dirs():
        found = _newest_install(folder)
        if found:
            return found
    return None


def _jar_in(path: Path) -> Path | None:
    if path.is_file():
        return path if path.suffix == ".jar" else None
    jar = path / SERVER_JAR
    return jar if jar.is_file() else _newest_install(path)


def _newest_install(folder: Path) -> Path | None:
    try:
        installs = [p / SERVER_JAR for p in folder.glob("LanguageTool-*") if (p / SERVER_JAR).is_file()]
    except OSError:
        return None
    return max(installs, key=lambda jar: _version_key(jar.parent.name), default=None)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", name)) or (0,)
