"""Output files are whole or absent (issue 14), through the real command line of every command
that writes a file: a full disk (simulated in-process, and real on a tiny tmpfs where one can be
mounted), targets that are not regular files, and the format an `-o` extension names."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

from tests.cli.helpers import assert_one_error
from tests.conftest import BACKENDS, Databases
from tests.disks import FailingDisk, dev_untouchable, listing
from tests.revenue_reference import PART_1, csv_text
from tests.support import Cli
from tests.world import build_world_at
from volmify_cli.settings import read_config

TIERS = str(Path(__file__).resolve().parent / "data" / "outlines" / "tiers.yaml")
# A server that refuses at once: a command that reaches the database fails with exit 4.
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"


@dataclass(frozen=True)
class Writer:
    """A command that writes a file with `-o`, and a file name of the format it writes."""

    name: str
    args: tuple[str, ...]
    file: str

    def __str__(self) -> str:
        return self.name


WRITERS = [
    Writer("catalog export", ("catalog", "export", "--org", "acme"), "catalog.yaml"),
    Writer("courses export", ("courses", "export", "python-101", "--org", "acme"), "course.yaml"),
    Writer("courses scaffold", ("courses", "scaffold", "Rust for Teams"), "rust.yaml"),
    Writer("revenue report", ("revenue", "report", "--org", "acme"), "report.json"),
    Writer(
        "revenue statement",
        ("revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026-Q1"),
        "jane.md",
    ),
]
DB_WRITERS = [writer for writer in WRITERS if writer.name != "courses scaffold"]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def world(
    backend: str, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cli]:
    """Org acme with a catalog, the course python-101 with an outline, and January's sales
    (so that reports and statements have rows). The commands here only read it."""
    folder = tmp_path_factory.mktemp("world")
    url = databases.migrated(backend)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOLMIFY_HOME", str(folder / "home"))
        build_world_at(url)
        cli = Cli(url)
        (folder / "sales.csv").write_text(csv_text(PART_1), encoding="utf-8")
        cli.json("sales", "import", str(folder / "sales.csv"), "--org", "acme")
        cli.json("courses", "import", TIERS, "--org", "acme")
    yield cli
    databases.drop(url)


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The directory the files are written to (also the working directory: scaffold)."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def only_error(result: Result, line: str) -> None:
    """Exactly one line on stderr, `Error: <line>`, and nothing on stdout."""
    assert result.stderr == f"Error: {line}\n", result.stderr
    assert result.stdout == ""


# -- a full disk: exit 1, one line naming the file, nothing half-written, nothing left behind ----


@pytest.mark.parametrize("writer", WRITERS, ids=str)
@pytest.mark.parametrize("existing", [False, True], ids=["new file", "--force over a file"])
def test_full_disk_leaves_no_file_and_says_so(
    world: Cli, out: Path, monkeypatch: pytest.MonkeyPatch, writer: Writer, existing: bool
) -> None:
    target = out / writer.file
    if existing:
        target.write_text("the previous version\n", encoding="utf-8")
    before = listing(out)
    disk = FailingDisk(monkeypatch, out, step="write", free=16)  # 16 bytes fit, then ENOSPC
    force = ("--force",) if existing else ()
    result = world.fails(1, *writer.args, "-o", str(target), *force)
    only_error(result, f"no space left on device writing {target}")
    assert disk.failures == 1
    assert listing(out) == before  # no temporary file, the old file whole and unchanged


def test_full_disk_writing_the_config_file_leaves_it_as_it_was(
    world: Cli, monkeypatch: pytest.MonkeyPatch, hermetic_env: Path
) -> None:
    world.ok("orgs", "use", "beta")
    config = hermetic_env / "config" / "config.toml"
    before = listing(config.parent)
    FailingDisk(monkeypatch, config.parent, step="fsync")
    result = world.fails(1, "orgs", "use", "acme")
    only_error(result, f"no space left on device writing {config}")
    assert listing(config.parent) == before
    assert list(read_config(config)["orgs"].values()) == ["beta"]  # orgs use: per database


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs of our own (needs root and a kernel that lets us mount); unmounted after."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def fill(folder: Path) -> None:
    """Take every free block of the file system `folder` is on."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


@pytest.mark.parametrize("writer", WRITERS, ids=str)
@pytest.mark.parametrize("existing", [False, True], ids=["new file", "--force over a file"])
def test_full_disk_on_a_real_file_system(
    world: Cli, tiny_fs: Path, monkeypatch: pytest.MonkeyPatch, writer: Writer, existing: bool
) -> None:
    monkeypatch.chdir(tiny_fs)
    target = tiny_fs / writer.file
    if existing:
        target.write_text("the previous version\n", encoding="utf-8")
    fill(tiny_fs)
    before = listing(tiny_fs)
    force = ("--force",) if existing else ()
    result = world.fails(1, *writer.args, "-o", str(target), *force)
    only_error(result, f"no space left on device writing {target}")
    assert listing(tiny_fs) == before
    (tiny_fs / "filler").unlink()  # with room again, the same command writes the file
    world.ok(*writer.args, "-o", str(target), *force)
    assert target.stat().st_size > 100


def test_read_only_file_system_is_one_line(world: Cli, tiny_fs: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    target = tiny_fs / "report.json"
    result = world.fails(1, "revenue", "report", "--org", "acme", "-o", str(target))
    only_error(result, f"read-only file system writing {target}")
    assert listing(tiny_fs) == {}


# -- --force replaces regular files and symbolic links, nothing else -----------------------------


def _char_device(path: Path) -> None:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a null device of our own
    except PermissionError:
        pytest.skip("creating a device node needs privileges")


@pytest.mark.parametrize("writer", WRITERS, ids=str)
@pytest.mark.parametrize("force", [True, False], ids=["--force", "no --force"])
@pytest.mark.parametrize("kind", ["a FIFO (named pipe)", "a character device"])
def test_force_never_turns_a_fifo_or_device_into_a_file(
    world: Cli, out: Path, writer: Writer, force: bool, kind: str
) -> None:
    target = out / writer.file
    if kind.startswith("a FIFO"):
        os.mkfifo(target)
    else:
        _char_device(target)
    mode = os.lstat(target).st_mode
    result = world.fails(1, *writer.args, "-o", str(target), *(("--force",) if force else ()))
    assert_one_error(result, f"{target} is {kind}, not a regular file")
    assert "Hint: --force replaces only regular files and symbolic links" in result.stderr
    assert os.lstat(target).st_mode == mode
    assert [p.name for p in out.iterdir()] == [writer.file]


@pytest.mark.parametrize("writer", WRITERS, ids=str)
def test_dev_null_is_never_replaced(
    world: Cli, out: Path, monkeypatch: pytest.MonkeyPatch, writer: Writer
) -> None:
    touched = dev_untouchable(monkeypatch)  # a regression fails here; it never reaches /dev
    result = world.fails(1, *writer.args, "-o", "/dev/null", "--force")
    assert_one_error(result, "/dev/null is a character device, not a regular file")
    assert touched == []
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


@pytest.mark.parametrize("writer", DB_WRITERS, ids=str)
def test_a_target_that_cannot_be_written_is_refused_before_any_work(
    out: Path, writer: Writer
) -> None:
    """No database query runs (it would fail with exit 4 here) before the target is known
    to be writable: a long report is not computed to be thrown away."""
    os.mkfifo(out / writer.file)
    result = Cli(UNREACHABLE).fails(1, *writer.args, "-o", writer.file, "--force")
    assert_one_error(result, f"{writer.file} is a FIFO (named pipe), not a regular file")
    (out / f"x{writer.file}").write_text("mine\n", encoding="utf-8")
    result = Cli(UNREACHABLE).fails(1, *writer.args, "-o", f"x{writer.file}")
    assert_one_error(result, f"x{writer.file} already exists")


@pytest.mark.parametrize("writer", WRITERS, ids=str)
def test_force_replaces_a_file_or_a_link_never_what_the_link_points_to(
    world: Cli, out: Path, tmp_path: Path, writer: Writer
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("precious\n", encoding="utf-8")
    link = out / f"link-{writer.file}"
    link.symlink_to(precious)
    existing = out / writer.file
    existing.write_text("the previous version\n", encoding="utf-8")
    expected = (
        world.ok(*writer.args, "-o", "-").stdout if writer.name != "courses scaffold" else None
    )
    for target in (link, existing):
        world.ok(*writer.args, "-o", str(target), "--force")
        assert not target.is_symlink()
        if expected is not None:
            assert target.read_text(encoding="utf-8") == expected
    assert precious.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in out.iterdir()) == sorted([link.name, existing.name])


# -- the extension of -o names the format; an explicit --format always wins -----------------------

REPORT = ("revenue", "report", "--org", "acme")
STATEMENT = ("revenue", "statement", "jane-doe", "--org", "acme", "--period", "2026-Q1")
CATALOG = ("catalog", "export", "--org", "acme")
COURSE = ("courses", "export", "python-101", "--org", "acme")
SCAFFOLD = ("courses", "scaffold", "Rust for Teams")


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (REPORT, "report.xlsx"),  # names no format at all
        (REPORT, "report.ndjson"),  # a format, not one that the report writes
        (REPORT, "report.pdf"),
        (STATEMENT, "jane.yaml"),  # statements are markdown, html, pdf, json or csv
        (STATEMENT, "jane.xlsx"),
        (CATALOG, "catalog.json"),
        (CATALOG, "catalog.out"),
        (COURSE, "course.md"),
        (SCAFFOLD, "rust.txt"),
    ],
)
def test_an_extension_that_names_no_format_the_command_writes_is_a_usage_error(
    out: Path, args: tuple[str, ...], name: str
) -> None:
    result = Cli(UNREACHABLE).fails(2, *args, "-o", name)  # exit 2 before the database
    suffix = Path(name).suffix
    assert result.stderr.startswith(f"Error: {name}: {suffix} names no format this command")
    hint = result.stderr.splitlines()[1]
    assert hint.startswith("Hint: ") and "--format" in hint and "wins over the extension" in hint
    assert listing(out) == {}


def test_the_usage_error_lists_the_extensions_the_command_accepts(out: Path) -> None:
    result = Cli(UNREACHABLE).fails(2, *STATEMENT, "-o", "jane.xlsx")
    assert "(.json .csv .md .markdown .html .htm .pdf)" in result.stderr
    assert "--format (markdown, html, pdf, json, csv)" in result.stderr
    result = Cli(UNREACHABLE).fails(2, *CATALOG, "-o", "catalog.json")
    assert "(.yaml .yml)" in result.stderr


@pytest.mark.parametrize(
    ("args", "name", "implied"),
    [
        (REPORT, "report.csv", "csv"),
        (REPORT, "report.yml", "yaml"),
        (REPORT, "report.md", "markdown"),
        (REPORT, "report.htm", "html"),
        (REPORT, "report.txt", "table"),
        (REPORT, "REPORT.JSON", "json"),
        (REPORT, "report", "json"),  # no extension: the default for a file (not a terminal)
        (STATEMENT, "jane.html", "html"),
        (STATEMENT, "jane.markdown", "markdown"),
        (STATEMENT, "jane", "markdown"),
        (CATALOG, "catalog.yml", "yaml"),
        (COURSE, "course", "yaml"),
    ],
)
def test_a_known_extension_chooses_the_format(
    world: Cli, out: Path, args: tuple[str, ...], name: str, implied: str
) -> None:
    written = world.ok(*args, "-o", name)
    assert written.stdout == "" and f"Wrote {name}" in written.stderr
    shown = world.ok(*args, "--format", implied).stdout
    assert (out / name).read_text(encoding="utf-8") == shown


@pytest.mark.parametrize(
    ("args", "name", "explicit"),
    [
        (REPORT, "report.xlsx", "csv"),
        (REPORT, "report.json", "markdown"),
        (STATEMENT, "jane.md", "html"),
        (CATALOG, "catalog.txt", "yaml"),
        (COURSE, "python-101.outline", "yaml"),
    ],
)
def test_an_explicit_format_wins_over_the_extension(
    world: Cli, out: Path, args: tuple[str, ...], name: str, explicit: str
) -> None:
    world.ok(*args, "--format", explicit, "-o", name)
    shown = world.ok(*args, "--format", explicit).stdout
    assert (out / name).read_text(encoding="utf-8") == shown


def test_scaffold_takes_an_explicit_format_over_the_extension(out: Path) -> None:
    Cli().ok(*SCAFFOLD, "--format", "yaml", "-o", "rust.txt")
    assert "\nkind: course_outline\n" in (out / "rust.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "explicit"), [(CATALOG, "json"), (COURSE, "csv"), (STATEMENT, "yaml")]
)
def test_an_explicit_format_the_command_cannot_write_is_a_usage_error(
    out: Path, args: tuple[str, ...], explicit: str
) -> None:
    result = Cli(UNREACHABLE).fails(2, *args, "--format", explicit, "-o", f"x.{explicit}")
    assert_one_error(result, f"unknown format {explicit!r}")
    assert listing(out) == {}
