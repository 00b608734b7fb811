"""The one writer of output files (volmify_cli.files): whole or absent, whatever fails and
whatever is at the target's name."""

from __future__ import annotations

import errno
import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.disks import STEPS, FailingDisk, dev_untouchable, listing
from volmify_cli.errors import ConflictError, FileWriteError, RuleError
from volmify_cli.files import check_target, write_file

TEXT = "version: 1\nkind: catalog\n" + "x: é\n" * 2000  # several writes' worth, not ASCII


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# -- a failing disk: the target is as it was, no temporary file is left ---------------------------


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("existing", [False, True], ids=["new file", "replacing with --force"])
def test_disk_full_at_any_step_leaves_the_target_as_it_was(
    monkeypatch: pytest.MonkeyPatch, out: Path, step: str, existing: bool
) -> None:
    target = out / "catalog.yaml"
    if existing:
        target.write_text("the old catalog\n", encoding="utf-8")
    before = listing(out)
    FailingDisk(monkeypatch, out, step=step, free=100)
    with pytest.raises(FileWriteError) as raised:
        write_file(target, TEXT, force=existing)
    assert raised.value.reason == f"no space left on device writing {target}"
    assert listing(out) == before


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.EDQUOT, "disk quota exceeded"),
        (errno.EFBIG, "file too large for the file system"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only file system"),
        (errno.EIO, "input/output error"),
        (errno.ENOBUFS, "no buffer space available"),  # any other: its strerror, one line
    ],
)
def test_every_write_error_is_one_line_naming_the_file(
    monkeypatch: pytest.MonkeyPatch, out: Path, code: int, reason: str
) -> None:
    target = out / "report.json"
    FailingDisk(monkeypatch, out, step="write", free=10, code=code)
    with pytest.raises(FileWriteError) as raised:
        write_file(target, TEXT, force=False)
    assert raised.value.reason == f"{reason} writing {target}"
    assert "\n" not in raised.value.reason and raised.value.exit_code == 1
    assert listing(out) == {}


def test_an_interrupt_while_writing_leaves_no_temporary_file(
    monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_file(out / "x.yaml", TEXT, force=False)
    assert listing(out) == {}


def test_the_file_is_written_whole_and_fsynced_before_it_takes_its_name(
    monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    target = out / "statement.html"
    synced: list[str] = []
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def link(source: Any, name: Any, *args: Any, **kwargs: Any) -> None:
        assert not target.exists()
        assert Path(source).read_text(encoding="utf-8") == TEXT  # whole before it is named
        assert synced == [str(source)]
        real_link(source, name, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    write_file(target, TEXT, force=False)
    assert listing(out) == {"statement.html": TEXT.encode()}


# -- without --force: never over anything, even what appears while writing -----------------------


def test_a_file_appearing_while_writing_is_not_overwritten(
    monkeypatch: pytest.MonkeyPatch, out: Path
) -> None:
    target = out / "report.csv"
    real_fsync = os.fsync

    def someone_else_writes(fd: int) -> None:
        real_fsync(fd)
        target.write_text("theirs\n", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", someone_else_writes)
    with pytest.raises(ConflictError, match="already exists"):
        write_file(target, TEXT, force=False)
    assert listing(out) == {"report.csv": b"theirs\n"}


@pytest.mark.parametrize("appears", [False, True])
def test_without_hard_links_the_name_is_still_never_overwritten(
    monkeypatch: pytest.MonkeyPatch, out: Path, appears: bool
) -> None:
    target = out / "report.csv"

    def no_links(source: Any, name: Any, *args: Any, **kwargs: Any) -> None:
        if appears:
            target.write_text("theirs\n", encoding="utf-8")
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))  # vfat, some network file systems

    monkeypatch.setattr(os, "link", no_links)
    if appears:
        with pytest.raises(ConflictError, match="already exists"):
            write_file(target, TEXT, force=False)
        assert listing(out) == {"report.csv": b"theirs\n"}
    else:
        write_file(target, TEXT, force=False)
        assert listing(out) == {"report.csv": TEXT.encode()}


def test_without_force_an_existing_file_or_link_is_refused(out: Path) -> None:
    (out / "file.yaml").write_text("mine\n", encoding="utf-8")
    (out / "dangling.yaml").symlink_to(out / "nowhere.yaml")
    for name in ("file.yaml", "dangling.yaml"):
        with pytest.raises(ConflictError, match="already exists") as raised:
            write_file(out / name, TEXT, force=False)
        assert raised.value.hint == "pass --force to overwrite it"
    assert not (out / "nowhere.yaml").exists()
    assert (out / "file.yaml").read_text(encoding="utf-8") == "mine\n"


def test_a_missing_directory_is_refused(out: Path) -> None:
    with pytest.raises(RuleError, match="does not exist"):
        write_file(out / "missing" / "x.yaml", TEXT, force=True)
    assert listing(out) == {}


# -- --force replaces regular files and links only -----------------------------------------------


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _socket(path: Path) -> Path:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


def _char_device(path: Path) -> Path:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a null device of our own
    except PermissionError:
        pytest.skip("creating a device node needs privileges")
    return path


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (_fifo, "a FIFO (named pipe)"),
        (_socket, "a socket"),
        (_directory, "a directory"),
        (_char_device, "a character device"),
    ],
    ids=["fifo", "socket", "directory", "character device"],
)
@pytest.mark.parametrize("force", [True, False], ids=["--force", "no --force"])
def test_force_never_replaces_what_is_not_a_regular_file_or_link(
    out: Path, make: Any, kind: str, force: bool
) -> None:
    target = make(out / "target")
    mode = os.lstat(target).st_mode
    with pytest.raises(ConflictError) as raised:
        check_target(target, force=force)
    assert raised.value.reason == f"{target} is {kind}, not a regular file"
    assert "--force replaces only regular files and symbolic links" in (raised.value.hint or "")
    with pytest.raises(ConflictError):
        write_file(target, TEXT, force=force)
    assert os.lstat(target).st_mode == mode
    assert [p.name for p in out.iterdir()] == ["target"]


@pytest.mark.parametrize("make", [_fifo, _directory], ids=["fifo", "directory"])
def test_force_never_replaces_a_link_to_what_is_not_a_regular_file(out: Path, make: Any) -> None:
    """`-o /dev/stdout --force` as root: /dev/stdout is a link to a pipe or a terminal."""
    pointed = make(out / "pointed")
    link = out / "link"
    link.symlink_to(pointed)
    with pytest.raises(ConflictError, match="is a symbolic link to a"):
        write_file(link, TEXT, force=True)
    assert link.is_symlink() and os.readlink(link) == str(pointed)


def test_dev_stdout_is_refused_without_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    touched = dev_untouchable(monkeypatch)
    with pytest.raises(ConflictError, match="/dev/stdout is a symbolic link to"):
        write_file(Path("/dev/stdout"), TEXT, force=True)
    assert touched == []
    assert os.path.islink("/dev/stdout")


def test_dev_null_is_refused_without_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    touched = dev_untouchable(monkeypatch)
    for force in (True, False):
        with pytest.raises(ConflictError, match="/dev/null is a character device"):
            write_file(Path("/dev/null"), TEXT, force=force)
    assert touched == []
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_force_replaces_a_symlink_not_the_file_it_points_to(tmp_path: Path, out: Path) -> None:
    precious = tmp_path / "precious.yaml"
    precious.write_text("precious\n", encoding="utf-8")
    (out / "link.yaml").symlink_to(precious)
    write_file(out / "link.yaml", TEXT, force=True)
    assert listing(out) == {"link.yaml": TEXT.encode()}
    assert precious.read_text(encoding="utf-8") == "precious\n"


def test_force_keeps_the_mode_of_the_file_it_replaces(out: Path) -> None:
    target = out / "statement.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)  # a creator's statement kept private
    write_file(target, TEXT, force=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == TEXT


def test_a_new_file_has_the_usual_mode_and_a_private_one_is_the_owners(out: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_file(out / "public.yaml", TEXT, force=False)
        write_file(out / "config.toml", TEXT, force=True, private=True)
    finally:
        os.umask(umask)
    assert stat.S_IMODE((out / "public.yaml").stat().st_mode) == 0o644
    assert stat.S_IMODE((out / "config.toml").stat().st_mode) == 0o600


def test_a_long_file_name_still_gets_a_temporary_file_beside_it(out: Path) -> None:
    target = out / ("r" * 250 + ".yaml")
    write_file(target, TEXT, force=False)
    assert listing(out) == {target.name: TEXT.encode()}
