"""A disk that fills up, in-process: the file system calls on paths under one directory fail
the way a full (or otherwise failing) disk makes them fail, everything else goes through.

The writer calls `os.open`, `os.write`, `os.fsync`, `os.link` and `os.replace`; on a full disk
any of them can fail with ENOSPC (a new inode, a data block, a delayed allocation flushed by
fsync, a directory entry that needs one more block), so each step can be made to fail."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

STEPS = ("create", "write", "fsync", "rename")


class FailingDisk:
    """Calls under `root` fail with `code` at `step`; at "write", after `free` bytes (a short
    write first, as write(2) returns, then the error)."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        root: Path,
        *,
        step: str = "write",
        free: int = 0,
        code: int = errno.ENOSPC,
    ) -> None:
        assert step in STEPS
        self.root = str(root.resolve())
        self.step = step
        self.free = free
        self.code = code
        self.failures = 0
        real_open, real_write, real_fsync = os.open, os.write, os.fsync
        real_link, real_replace = os.link, os.replace

        def fail() -> None:
            self.failures += 1
            raise OSError(self.code, os.strerror(self.code))

        def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if step == "create" and flags & os.O_CREAT and self._under(path):
                fail()
            return real_open(path, flags, *args, **kwargs)

        def write(fd: int, data: Any) -> int:
            if step == "write" and self._fd_under(fd):
                if self.free <= 0:
                    fail()
                written = real_write(fd, bytes(data[: self.free]))
                self.free -= written
                return written
            return real_write(fd, data)

        def fsync(fd: int) -> None:
            if step == "fsync" and self._fd_under(fd) and not os.path.isdir(f"/proc/self/fd/{fd}"):
                fail()
            real_fsync(fd)

        def link(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
            if step == "rename" and self._under(target):
                fail()
            real_link(source, target, *args, **kwargs)

        def replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
            if step == "rename" and self._under(target):
                fail()
            real_replace(source, target, *args, **kwargs)

        monkeypatch.setattr(os, "open", open_)
        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "link", link)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "rename", replace)

    def _under(self, path: Any) -> bool:
        if isinstance(path, int):
            return False
        full = os.path.abspath(os.fsdecode(path))
        return full == self.root or full.startswith(self.root + os.sep)

    def _fd_under(self, fd: int) -> bool:
        try:
            return self._under(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            return False


def listing(directory: Path) -> dict[str, bytes | str]:
    """What a directory holds: each name with its bytes (or where a link points)."""
    found: dict[str, bytes | str] = {}
    for entry in sorted(directory.iterdir()):
        if entry.is_symlink():
            found[entry.name] = f"-> {os.readlink(entry)}"
        elif entry.is_file():
            found[entry.name] = entry.read_bytes()
        else:
            found[entry.name] = "<not a regular file>"
    return found


def dev_untouchable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make any call that would create, write, link, rename or remove a name under /dev fail
    without doing it, and return the list of such attempts (these tests may run as root, where
    `-o /dev/null --force` on a broken writer would replace /dev/null for the whole machine)."""
    touched: list[str] = []

    def guard(real: Any, *positions: int, flags_at: int | None = None) -> Any:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            writes = flags_at is None or (
                len(args) > flags_at and args[flags_at] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            )
            for position in positions:
                if writes and len(args) > position and not isinstance(args[position], int):
                    name = os.path.abspath(os.fsdecode(args[position]))
                    if name.startswith("/dev/"):
                        touched.append(f"{real.__name__} {name}")
                        raise AssertionError(f"{real.__name__} on {name}")
            return real(*args, **kwargs)

        return guarded

    monkeypatch.setattr(os, "open", guard(os.open, 0, flags_at=1))
    for name in ("link", "replace", "rename", "symlink"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), 0, 1))
    for name in ("unlink", "remove", "chmod", "mkfifo", "mknod"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), 0))
    return touched
