"""Every file volmify writes is whole or absent: the one writer.

Exports, reports, statements, scaffolds and the config file all go through `write_file`: the
text goes to a temporary file beside the target, is flushed and fsynced, and only then takes the
target's name, so a reader (or a crash, or a full disk) never sees half a file. On any error the
temporary file is removed and the error is one line (`no space left on device writing FILE`).

What may be at the target's name:
- nothing: the file is created; the final step refuses a file that appeared meanwhile (link(),
  which never replaces anything and never follows a symbolic link, even a dangling one);
- a regular file or a symbolic link: refused unless `force`; with `force` it is replaced
  (rename), and a symbolic link is replaced, not followed, so the file it points to, maybe
  outside where the user asked to write, stays untouched;
- anything else (a directory, a FIFO, a device, a socket, or a symbolic link to one of them, as
  `/dev/stdout` is): always refused, `force` or not: replacing `/dev/null` or a pipe someone
  reads from with a regular file is never what was meant.

`check_target` applies these rules without writing, so a command refuses before it does any work.

A command that writes several files (one statement per creator into a directory) checks every
target first, then writes each through `write_file`: each file is whole or absent; a failure stops
at the file it names, and the files written before it stay, each of them whole and correct.

Standard library only: this module is imported by commands whose `--help` must stay fast.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from volmify_cli.errors import ConflictError, FileWriteError, RuleError

NEW_FILE_MODE = 0o644  # less the umask, as for a file created with open()
PRIVATE_FILE_MODE = 0o600  # may hold a database password: the owner's alone
CHUNK = 1 << 20

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

_KERNEL_NAMES = ("/proc/", "/dev/")

# errno -> what the one-line message says before "writing FILE"
_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
    errno.EIO: "input/output error",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a part of the path is not a directory",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EMFILE: "too many open files",
}

# link() is not supported everywhere (vfat, some network file systems)
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}


def write_error(exc: OSError, path: Path | str) -> FileWriteError:
    """The one-line error for an OSError met while writing `path`."""
    code = exc.errno or 0
    reason = _REASONS.get(code) or (os.strerror(code) if code else str(exc)) or "error"
    return FileWriteError(f"{reason[0].lower()}{reason[1:]} writing {path}")


def check_target(path: Path, *, force: bool) -> None:
    """Refuse a target that `write_file` would refuse, without writing anything.

    Raises RuleError (no such directory), ConflictError (a file exists and `force` is not
    given; not a regular file or symbolic link), FileWriteError (the path cannot be examined)."""
    if not path.parent.is_dir():
        raise RuleError(f"directory {path.parent} does not exist")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise write_error(exc, path) from None
    link = stat.S_ISLNK(mode)
    if link:
        # A link is replaced, not followed; but one that leads to a device, a pipe or the
        # kernel's names for them (`/dev/stdout` -> /proc/self/fd/1, which may well lead on to
        # a regular file) names that, not a file to replace.
        with contextlib.suppress(OSError):
            mode = os.stat(path).st_mode
        if os.path.realpath(path).startswith(_KERNEL_NAMES) or os.readlink(path).startswith(
            _KERNEL_NAMES
        ):
            mode = 0  # none of the kinds below: "a symbolic link to a kernel name"
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        if not force:
            raise ConflictError(f"{path} already exists", "pass --force to overwrite it")
        return
    kind = next((name for test, name in _KINDS if test(mode)), "")
    if link:
        kind = f"a symbolic link to {kind or 'a device or process file'}"
    kind = kind or "not a regular file"
    raise ConflictError(
        f"{path} is {kind}, not a regular file",
        "--force replaces only regular files and symbolic links; write to a new file,"
        " or to stdout and redirect it",
    )


def write_file(
    path: Path, text: str | bytes | Iterable[str], *, force: bool, private: bool = False
) -> None:
    """Write `text` (UTF-8; or its parts, in order) to `path`, whole or not at all (see the
    module's docstring).

    A new file gets mode 0644 less the umask (0600 when `private`); a regular file replaced
    with `force` keeps its mode.
    Raises RuleError, ConflictError (see `check_target`; also a file that appeared while
    writing), FileWriteError (any OSError: a full disk, a quota, a read-only file system...)."""
    check_target(path, force=force)
    parts = [text] if isinstance(text, (str, bytes)) else text
    mode = _mode_for(path, private=private)
    try:
        fd, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp"
        )
    except OSError as exc:
        raise write_error(exc, path) from None
    try:
        try:
            os.fchmod(fd, mode)
            for part in parts:
                _write_all(fd, part.encode("utf-8") if isinstance(part, str) else part)
            os.fsync(fd)
        finally:
            os.close(fd)
        _commit(temporary, path, force=force)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise write_error(exc, path) from None
        raise
    _sync_directory(path.parent)


def _mode_for(path: Path, *, private: bool) -> int:
    with contextlib.suppress(OSError):
        current = os.lstat(path)
        if stat.S_ISREG(current.st_mode):
            return stat.S_IMODE(current.st_mode)
    if private:
        return PRIVATE_FILE_MODE
    umask = os.umask(0)
    os.umask(umask)
    return NEW_FILE_MODE & ~umask


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:CHUNK])
        view = view[written:]


def _commit(temporary: str, path: Path, *, force: bool) -> None:
    """Give the written temporary file the target's name."""
    if force:
        check_target(path, force=True)  # nothing else took the name meanwhile
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails on any existing name, and follows no symbolic link
    except FileExistsError:
        raise ConflictError(f"{path} already exists", "pass --force to overwrite it") from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: take the name with O_EXCL (still refusing an existing one), then
        # put the whole file over that empty placeholder of ours.
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise ConflictError(f"{path} already exists", "pass --force to overwrite it") from None
        try:
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        return
    os.unlink(temporary)


def _sync_directory(directory: Path) -> None:
    """Make the new name durable too (best effort: not every file system can fsync a
    directory, and the file is already whole under its name)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
