"""Input is bounded and read as text, whatever the source (issue 14), through the real commands.

Tests are named after the class of defect they guard:
- memory_is_bounded_while_reading: an endless pipe, FIFO or device is refused at the limit
  (exit 3 naming the limit and how to raise it), also under a real memory limit (RLIMIT_AS),
  and running out of memory anyway is one line, never a traceback;
- limits_are_validated: a malformed limit variable is exit 2 naming the variable;
- unreadable_sources: a directory, a socket, an empty FIFO, /dev/zero are exit 3 naming the
  path and why, like the CSV path;
- every_importer_reads_a_pipe: catalog, courses, learning and sales read a FIFO, and `-`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import Result

import volmify_cli
from tests.cli.world import build_world
from tests.pipes import MB, Feeder
from tests.support import Cli

DATA = Path(__file__).resolve().parent.parent / "data"
TIERS = DATA / "outlines" / "tiers.yaml"
LEARNING = DATA / "learning" / "acme.yaml"
SALES_HEADER = "order_id,sold_at,product,plan,market,currency,amount\n"
SLACK = 256 * 1024  # what may sit in a pipe and in the readers' buffers beyond a limit
# the volmify_cli under test, also in the processes started here (whatever their directory)
SOURCE = str(Path(volmify_cli.__file__).resolve().parent.parent)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def world(cli: Cli, here: Path) -> Cli:
    """Org acme with course python-101 and its tiers (tests/cli/world.py)."""
    build_world(cli.db_url or "", plan_tiers=(1, 2, 3))
    return cli


def stderr_lines(result: Result) -> list[str]:
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()


# -- memory is bounded while reading ---------------------------------------------------------


def test_memory_is_bounded_while_reading_sales_from_an_endless_fifo(world: Cli) -> None:
    feeder = Feeder(Path("sales.csv"), b"0" * 65536, head=(SALES_HEADER + "A-1,").encode())
    result = world.fails(3, "sales", "import", "sales.csv", "--org", "acme")
    feeder.join()
    assert stderr_lines(result) == [
        "sales.csv:2: line is over the 1048576-character limit; reading stopped",
        "Error: 1 problem found; nothing was written",
        "Hint: raise the limit with VOLMIFY_MAX_CSV_LINE_MB (now 1) if such long lines are"
        " expected",
    ]
    assert feeder.written <= MB + SLACK


def test_memory_is_bounded_while_reading_and_problems_before_the_limit_are_kept(
    world: Cli,
) -> None:
    """The reader stops at a line over the limit; what it found before is reported with it."""
    Path("sales.csv").write_text(SALES_HEADER + "A-1,x\n" + "A-2," + "9" * MB + "\n")
    result = world.fails(3, "sales", "import", "sales.csv", "--org", "acme")
    lines = stderr_lines(result)
    assert lines[0] == "sales.csv:2: expected 7 fields, found 2"
    assert "sales.csv:3: line is over the 1048576-character limit; reading stopped" in lines
    assert lines[-1].startswith("Hint: raise the limit with VOLMIFY_MAX_CSV_LINE_MB")


def test_memory_is_bounded_while_reading_an_outline_from_a_pipe(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size on disk of a pipe says nothing: the limit holds on the bytes read."""
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_MB", "1")
    feeder = Feeder(Path("outline.yaml"), b"x" * 65536, head=b"version: 1\ntitle: ")
    result = Cli().fails(3, "courses", "import", "outline.yaml", "--org", "acme")
    feeder.join()
    assert stderr_lines(result) == [
        "outline.yaml: the document is over the 1048576-byte limit; reading stopped",
        "Error: 1 problem found; nothing was written",
        "Hint: raise the limit with VOLMIFY_MAX_DOCUMENT_MB (now 1) if this document is expected",
    ]
    assert feeder.written <= MB + SLACK
    piped = Cli().fails(3, "learning", "import", "-", input="title: " + "x" * (2 * MB))
    assert "<stdin>: the document is over the 1048576-byte limit" in piped.stderr


def run_limited(
    argv: list[str],
    *,
    memory: int,
    feed: bytes = b"",
    head: bytes = b"",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`volmify ARGV` in a process limited to `memory` bytes of address space (RLIMIT_AS),
    with `head` and then `feed`, again and again, on its standard input until it stops reading
    (or 400 MB: more than a process under the limit can hold)."""
    main = (
        "import resource, runpy, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
        "sys.argv = ['volmify', *sys.argv[1:]]\n"
        "runpy.run_module('volmify_cli', run_name='__main__')\n"
    )
    read_end, write_end = os.pipe()

    def write() -> None:
        data, sent = head or feed, 0
        try:
            while data and sent < 400 * MB:
                done = os.write(write_end, data)
                sent += done
                data = data[done:] or feed
        except BrokenPipeError:
            pass
        finally:
            os.close(write_end)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    path = os.pathsep.join(filter(None, [SOURCE, os.environ.get("PYTHONPATH")]))
    with subprocess.Popen(
        [sys.executable, "-c", main, *argv],
        stdin=read_end,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {}), "PYTHONPATH": path},
    ) as process:
        os.close(read_end)  # only the child reads: its exit ends the writer (EPIPE)
        out, err = process.communicate(timeout=300)
    writer.join(timeout=30)
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


def test_memory_is_bounded_while_reading_under_a_memory_limit(db_url: str, here: Path) -> None:
    """With 1 GB of address space: an endless `[1,1,1,…` on /dev/stdin (millions of tiny
    values, within the bytes limit) and /dev/zero as sales are refused at their limits (they
    grew until MemoryError, and a traceback)."""
    values = run_limited(
        ["courses", "import", "/dev/stdin", "--org", "acme"],
        memory=1024 * MB,
        head=b"[",
        feed=b"1," * 65536,
    )
    assert (values.returncode, values.stdout) == (3, ""), values.stderr
    assert values.stderr.splitlines() == [
        "/dev/stdin:1:4000000: the document holds more than 2000000 values (scalars, lists"
        " and mappings) at once; reading stopped",
        "Error: 1 problem found; nothing was written",
        "Hint: split the document, or raise the limit with VOLMIFY_MAX_DOCUMENT_VALUES (each"
        " value held takes about 200 bytes of memory)",
    ]
    build_world(db_url)
    zero = run_limited(
        ["--db", db_url, "sales", "import", "/dev/zero", "--org", "acme"], memory=1024 * MB
    )
    assert zero.returncode == 3, zero.stderr
    assert zero.stderr.splitlines()[0] == (
        "/dev/zero:1: line is over the 1048576-character limit; reading stopped"
    )


def test_memory_is_bounded_and_running_out_anyway_is_one_line(here: Path) -> None:
    """Limits raised past what the machine holds: MemoryError is `Error: out of memory`
    (exit 1), not a traceback from printing the message (which needs memory too)."""
    result = run_limited(
        ["courses", "import", "-", "--org", "acme"],
        memory=600 * MB,
        head=b"[",
        feed=b"1," * 65536,  # 20 million values within 40 MB: 4 GB as a tree
        env={"VOLMIFY_MAX_DOCUMENT_VALUES": "100000000"},
    )
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr.splitlines() == [
        "Error: out of memory",
        "Hint: give volmify more memory, or split the input (VOLMIFY_MAX_DOCUMENT_MB,"
        " VOLMIFY_MAX_DOCUMENT_VALUES and VOLMIFY_MAX_CSV_LINE_MB bound what a file may hold)",
    ]


# -- limits are validated --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "command"),
    [
        ("VOLMIFY_MAX_DOCUMENT_MB", "abc", ["courses", "import", "o.yaml", "--org", "acme"]),
        ("VOLMIFY_MAX_DOCUMENT_MB", "-1", ["learning", "import", "o.yaml", "--org", "acme"]),
        ("VOLMIFY_MAX_DOCUMENT_MB", "nan", ["catalog", "validate", "o.yaml"]),
        ("VOLMIFY_MAX_DOCUMENT_MB", "inf", ["sales", "import", "o.yaml", "--org", "acme"]),
        ("VOLMIFY_MAX_DOCUMENT_MB", "0", ["catalog", "validate", "o.yaml"]),
        ("VOLMIFY_MAX_DOCUMENT_VALUES", "many", ["courses", "import", "o.yaml"]),
    ],
)
def test_limits_are_validated(
    variable: str, value: str, command: list[str], here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("o.yaml").write_text("version: 1\n")
    monkeypatch.setenv(variable, value)
    result = Cli().fails(2, *command)
    (line,) = stderr_lines(result)
    assert line.startswith(f"Error: {variable}={value!r} is not a ")
    assert "positive" in line


def test_limits_are_validated_for_csv(world: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("s.csv").write_text(SALES_HEADER)
    monkeypatch.setenv("VOLMIFY_MAX_CSV_LINE_MB", "-0.5")
    result = world.fails(2, "sales", "import", "s.csv", "--org", "acme")
    assert stderr_lines(result) == [
        "Error: VOLMIFY_MAX_CSV_LINE_MB='-0.5' is not a size: it takes a positive number of"
        " megabytes (for example 50 or 0.5)"
    ]


# -- unreadable sources ----------------------------------------------------------------------


@pytest.fixture
def unix_socket(here: Path) -> Iterator[Path]:
    server = socket.socket(socket.AF_UNIX)
    server.bind("sock.yaml")
    yield Path("sock.yaml")
    server.close()


def test_unreadable_sources_a_directory_is_exit_3_naming_it(world: Cli) -> None:
    Path("outline.yaml").mkdir()
    Path("sales").mkdir()
    for command in (
        ["courses", "import", "outline.yaml"],
        ["learning", "import", "outline.yaml"],
        ["sales", "import", "outline.yaml"],
        ["sales", "import", "sales"],
    ):
        result = world.fails(3, *command, "--org", "acme")
        assert stderr_lines(result) == [
            f"{command[2]}: is a directory, not a file",
            "Error: 1 problem found; nothing was written",
        ]


def test_unreadable_sources_are_exit_3_with_the_reason(world: Cli, unix_socket: Path) -> None:
    for command in (
        ["courses", "import", str(unix_socket), "--org", "acme"],
        ["catalog", "validate", str(unix_socket)],
        ["sales", "import", str(unix_socket), "--org", "acme"],
    ):
        result = world.fails(3, *command)
        assert stderr_lines(result)[0] == "sock.yaml: cannot read: No such device or address"
    zero = world.fails(3, "courses", "import", "/dev/zero", "--org", "acme")
    assert stderr_lines(zero)[0] == (
        "/dev/zero:1:1: not valid YAML: control characters are not allowed (found U+0000)"
    )
    feeder = Feeder(Path("empty.yaml"), cap=0)
    empty = world.fails(3, "courses", "import", "empty.yaml", "--org", "acme")
    feeder.join()
    assert stderr_lines(empty)[0] == "empty.yaml: the file is empty"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_sources_permission_denied(world: Cli) -> None:
    Path("secret.yaml").write_text("version: 1\n")
    Path("secret.yaml").chmod(0)
    for command in (["courses", "import"], ["learning", "import"], ["catalog", "validate"]):
        result = world.fails(3, *command, "secret.yaml")
        assert stderr_lines(result)[0] == "secret.yaml: cannot read: Permission denied"


# -- every importer reads a pipe -------------------------------------------------------------


def test_every_importer_reads_a_pipe(world: Cli) -> None:
    """A FIFO (as `… | volmify x import /dev/stdin`) and `-` are read like a file, with the
    same limits, and named in messages (`<stdin>` for `-`)."""
    outline = TIERS.read_bytes()
    feeder = Feeder(Path("outline.yaml"), head=outline, cap=len(outline))
    world.ok("courses", "import", "outline.yaml", "--org", "acme", "--dry-run")
    feeder.join()
    world.ok("courses", "import", "-", "--org", "acme", input=outline.decode())
    learning = LEARNING.read_text()
    changes = world.json("learning", "import", "-", "--dry-run", input=learning)
    assert changes["org"] == "acme"

    catalog = b"version: 1\nkind: catalog\norg: acme\nbogus: 1\n"
    feeder = Feeder(Path("catalog.yaml"), head=catalog, cap=len(catalog))
    result = world.fails(3, "catalog", "validate", "catalog.yaml")
    feeder.join()
    assert stderr_lines(result)[0] == "catalog.yaml:4:1: unknown key 'bogus'"
    result = world.fails(3, "catalog", "validate", "-", input=catalog.decode())
    assert stderr_lines(result)[0] == "<stdin>:4:1: unknown key 'bogus'"

    sales = SALES_HEADER + "A-1,2026-03-01,python-101,tier-1,nowhere,USD,1\n"
    feeder = Feeder(Path("sales.csv"), head=sales.encode(), cap=len(sales))
    result = world.fails(3, "sales", "import", "sales.csv", "--org", "acme")
    feeder.join()
    assert stderr_lines(result)[0].startswith("sales.csv:2: market: ")
    result = world.fails(3, "sales", "import", "-", "--org", "acme", input=sales)
    assert stderr_lines(result)[0].startswith("<stdin>:2: market: ")
