"""Fetching a source's files: git mirrors, Debian packages, PyPI sdists."""

from __future__ import annotations

import re
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from human_corpus.sources import DebianInput, GitInput, PypiInput, Source
from human_corpus.text import LOG, PIP_DOWNLOAD

# --------------------------------------------------------------------------- fetching inputs


class MissingSource(Exception):
    """An input that is not available on this machine."""


def run(cmd: list[str], cwd: Path | None = None, data: bytes | None = None) -> bytes:
    """Run a command and return its standard output, raising MissingSource on failure."""
    LOG.debug("running %s", " ".join(cmd))
    try:
        result = subprocess.run(cmd, cwd=cwd, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise MissingSource(f"cannot run {cmd[0]}: {exc}") from exc
    if result.returncode:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise MissingSource(f"{' '.join(cmd[:3])} failed: {message[-1] if message else result.returncode}")
    return result.stdout


def resolve_commit(git_dir: Path, commit: str) -> str:
    git = ["git", f"--git-dir={git_dir}", "rev-parse", "--verify"]
    try:
        return run([*git, f"{commit}^{{commit}}"]).decode().strip()
    except MissingSource:
        head = run([*git, "HEAD"]).decode().strip()
        LOG.warning("%s: pinned commit %s absent; using the snapshot's HEAD %s", git_dir, commit, head)
        return head


@dataclass(frozen=True)
class GitMirror:
    """A bare git directory brought by the snapshot tool."""

    git_dir: Path
    commit: str

    @classmethod
    def open(cls, root: Path, spec: GitInput) -> GitMirror:
        """The mirror of ``spec.repo`` at its pinned commit (or, if that is absent, the snapshot's HEAD)."""
        base = root / spec.mirror_name()
        for candidate in (base / "repo" / ".git", base / "repo", base):
            if (candidate / "objects").is_dir():
                return cls(candidate, resolve_commit(candidate, spec.commit))
        raise MissingSource(
            f"no mirror of github:{spec.repo} at {base} (fetch it; pinned commit {spec.commit})"
        )

    def git(self, *args: str, data: bytes | None = None) -> bytes:
        return run(["git", f"--git-dir={self.git_dir}", *args], data=data)

    def list_files(self, prefix: str) -> list[str]:
        args = ["ls-tree", "-r", "--name-only", self.commit]
        return self.git(*args, *([prefix] if prefix else [])).decode().splitlines()

    def read_many(self, paths: list[str]) -> Iterator[tuple[str, bytes]]:
        """Read blobs in one ``git cat-file --batch`` call; absent blobs are skipped with a warning."""
        request = "".join(f"{self.commit}:{p}\n" for p in paths).encode()
        out = self.git("cat-file", "--batch", data=request)
        pos = 0
        for path in paths:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode()
            pos = end + 1
            if header.endswith("missing"):
                LOG.warning("%s: %s is not in the snapshot", self.git_dir, path)
                continue
            size = int(header.split()[2])
            yield path, out[pos : pos + size]
            pos += size + 1


def git_files(root: Path, spec: GitInput) -> tuple[str, Iterator[tuple[str, bytes]]]:
    """Origin string and file contents for a GitHub input."""
    mirror = GitMirror.open(root, spec)
    wanted: list[str] = []
    pattern = re.compile(spec.pattern)
    for path in spec.paths:
        if path and not path.endswith("/"):
            wanted.append(path)
        else:
            wanted.extend(p for p in mirror.list_files(path) if pattern.search(p))
    if not wanted:
        raise MissingSource(f"github:{spec.repo}@{mirror.commit} has no files matching {spec.paths}")
    origin = f"github:{spec.repo}@{mirror.commit}:{','.join(spec.paths)}"
    if spec.pattern != GitInput.pattern:
        origin += f" ~ /{spec.pattern}/"
    return origin, mirror.read_many(sorted(wanted))


def debian_files(spec: DebianInput, workdir: Path) -> tuple[str, Iterator[tuple[str, bytes]]]:
    """Download a Debian package, unpack it, and return the matching files."""
    target = workdir / spec.package
    target.mkdir(parents=True, exist_ok=True)
    try:
        run(["apt-get", "download", f"{spec.package}={spec.version}"], cwd=target)
    except MissingSource:
        LOG.warning(
            "%s=%s unavailable (run apt-get update?); trying the candidate version",
            spec.package,
            spec.version,
        )
        run(["apt-get", "download", spec.package], cwd=target)
    deb = next(target.glob("*.deb"))
    version = run(["dpkg-deb", "-f", str(deb), "Version"]).decode().strip()
    run(["dpkg-deb", "-x", str(deb), str(target / "root")])
    pattern = re.compile(spec.pattern)
    files = sorted(p for p in (target / "root").rglob("*") if p.is_file() and pattern.search(p.as_posix()))
    origin = f"debian:{spec.package}={version}"
    return origin, ((p.relative_to(target / "root").as_posix(), p.read_bytes()) for p in files)


def pypi_files(spec: PypiInput, workdir: Path) -> tuple[str, Iterator[tuple[str, bytes]]]:
    """Download a PyPI source distribution and return the matching members."""
    target = workdir / spec.project
    target.mkdir(parents=True, exist_ok=True)
    run([*PIP_DOWNLOAD, "-d", str(target), f"{spec.project}=={spec.version}"])
    archive = next(target.glob("*.tar.gz"))
    pattern = re.compile(spec.pattern)

    def members() -> Iterator[tuple[str, bytes]]:
        with tarfile.open(archive) as tar:
            for member in sorted(tar.getmembers(), key=lambda m: m.name):
                handle = tar.extractfile(member) if member.isfile() and pattern.search(member.name) else None
                if handle is not None:
                    yield member.name, handle.read()

    return f"pypi:{spec.project}=={spec.version}", members()


def load_inputs(source: Source, mirror_root: Path, workdir: Path) -> tuple[str, Iterator[tuple[str, bytes]]]:
    spec = source.inputs
    if isinstance(spec, GitInput):
        return git_files(mirror_root, spec)
    if isinstance(spec, DebianInput):
        return debian_files(spec, workdir)
    return pypi_files(spec, workdir)
