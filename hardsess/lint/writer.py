"""Writing fixed files: atomically, keeping the mode, never over a file that changed meanwhile."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass

__all__ = ["Snapshot", "snapshot", "write_atomic"]


@dataclass(frozen=True)
class Snapshot:
    """What a file looked like when it was read: compared again before writing."""

    mtime_ns: int
    size: int
    digest: str


def snapshot(path: str, data: bytes) -> Snapshot:
    """The snapshot of ``path`` whose content ``data`` was just read."""
    info = os.stat(path)
    return Snapshot(info.st_mtime_ns, info.st_size, hashlib.sha256(data).hexdigest())


def unchanged(path: str, before: Snapshot) -> bool:
    """Whether ``path`` still has the size, mtime and content it had at ``before``."""
    try:
        info = os.stat(path)
        if (info.st_mtime_ns, info.st_size) != (before.mtime_ns, before.size):
            return False
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == before.digest
    except OSError:
        return False


def write_atomic(path: str, data: bytes) -> None:
    """Replace the file at ``path`` (through symlinks) with ``data`` in one rename.

    The new content goes to a temporary file in the same directory, is flushed to disk, gets
    the old file's permission bits (and owner, when allowed), and replaces the old file with
    ``os.replace``: a reader sees the old or the new content, never a mix, and a crash leaves
    the old file intact.
    """
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    before = os.stat(target)
    mode = stat.S_IMODE(before.st_mode)
    fd, temporary = tempfile.mkstemp(
        dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".hardsess-tmp"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if hasattr(os, "chown") and (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(OSError):  # only root may give a file away; keep trying
                os.chown(temporary, before.st_uid, before.st_gid)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
