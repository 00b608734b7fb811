"""Input is bounded and read as text, whatever the source (issue 14): the readers enforce their
limits on what they read, not on a size on disk, and name the line of a byte that is not text.

Tests are named after the class of defect they guard:
- memory_is_bounded_while_reading: a pipe, device or file that goes on is refused at the limit,
  without being read whole (asserted on the bytes handed over, not on time);
- limits_are_validated: a malformed limit variable is a usage error naming it;
- bad_bytes_are_placed: a byte that is not UTF-8, or a control character, is reported on its
  own line and column, also deep in a large file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.pipes import MB, Feeder
from volmify_cli.errors import ConfigError, InvalidInputError, Problem
from volmify_cli.exchange.sales_csv import read_sales_csv
from volmify_cli.exchange.yamlio import load_yaml_file, load_yaml_text

HEADER = "order_id,sold_at,product,plan,market,currency,amount,customer\n"
ROW = "A-{n},2026-03-01,p,basic,us,USD,1.00,ana@example.org\n"
SLACK = 256 * 1024  # what may sit in a pipe and in the readers' buffers beyond a limit


def problems(path: Path) -> list[str]:
    """What read_sales_csv reports (the problems it yields, or the error that stops it)."""
    try:
        return [str(item) for item in read_sales_csv(path) if isinstance(item, Problem)]
    except InvalidInputError as error:
        return [str(p) for p in error.problems] + [f"Hint: {error.hint}"]


class Endless(io.RawIOBase):
    """A source that never ends (as /dev/zero or `yes` through a pipe), counting what it gave."""

    def __init__(self, pattern: bytes, head: bytes = b"") -> None:
        self.pending = head
        self.pattern = pattern
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        while len(self.pending) < size:
            self.pending += self.pattern * (size // len(self.pattern) + 1)
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        self.served += size
        return size


# -- memory is bounded while reading ---------------------------------------------------------


def test_memory_is_bounded_while_reading_a_yaml_pipe_that_never_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size on disk of a pipe is 0: the bytes limit holds on the bytes read."""
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_MB", "1")
    feeder = Feeder(tmp_path / "outline.yaml", b"x" * 65536, head=b"title: ", cap=32 * MB)
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_file(feeder.path)
    feeder.join()
    (problem,) = caught.value.problems
    assert str(problem).endswith("the document is over the 1048576-byte limit; reading stopped")
    assert caught.value.hint is not None and "VOLMIFY_MAX_DOCUMENT_MB (now 1)" in caught.value.hint
    assert feeder.stopped_by_reader
    assert feeder.written <= 1 * MB + SLACK


def test_memory_is_bounded_while_reading_a_yaml_document_of_many_small_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """50 MB of `[1,1,…]` is 25 million nodes (GBs): the tree is bounded too, and an item that a
    hook has replaced (a catalog's products) no longer counts."""
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_VALUES", "1000")
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_text("[" + "1," * 5000 + "]", filename="f.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "f.yaml:1:2000: the document holds more than 1000 values (scalars, lists and mappings)"
        " at once; reading stopped"
    ]
    assert caught.value.hint is not None and "VOLMIFY_MAX_DOCUMENT_VALUES" in caught.value.hint

    from volmify_cli.exchange.bounded import BoundedStream
    from volmify_cli.exchange.yamlio import load_yaml

    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_VALUES", "3000")
    products = "".join(f"  - {{slug: p{n}, title: T}}\n" for n in range(2000))  # 5 values each
    document = f"version: 1\nproducts:\n{products}".encode()
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_text(document)
    assert "more than 3000 values" in str(caught.value.problems[0])
    seen: list[int] = []
    tree = load_yaml(
        BoundedStream(io.BytesIO(document), limit=MB, name="c.yaml"),
        filename="c.yaml",
        hooks={"products": lambda node, index, span: seen.append(index)},
    )
    assert len(seen) == 2000 and len(tree["products"]) == 2000


def test_memory_is_bounded_while_reading_a_csv_source_that_never_ends() -> None:
    """/dev/zero or `yes | …`: no line break ever comes; the reader holds at most one line's
    limit and stops there."""
    from volmify_cli.exchange.bounded import BoundedLines

    for pattern in (b"\0", b"A-1,"):
        source = Endless(pattern, head=HEADER.encode())
        lines = BoundedLines(io.BufferedReader(source), limit=MB, name="zero.csv")
        with pytest.raises(InvalidInputError) as caught:
            for _ in csv.reader(lines):
                lines.pending = 0
        assert [str(p) for p in caught.value.problems] == [
            "zero.csv:2: line is over the 1048576-character limit; reading stopped"
        ]
        assert source.served <= MB + SLACK


def test_memory_is_bounded_while_reading_a_csv_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    feeder = Feeder(Path("sales.csv"), b"x" * 65536, head=(HEADER + "A-1,").encode(), cap=32 * MB)
    found = problems(feeder.path)
    feeder.join()
    assert found == [
        "sales.csv:2: line is over the 1048576-character limit; reading stopped",
        "Hint: raise the limit with VOLMIFY_MAX_CSV_LINE_MB (now 1) if such long lines are"
        " expected",
    ]
    assert feeder.written <= MB + SLACK


def test_memory_is_bounded_while_reading_a_csv_record_of_many_short_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quoted field may hold line breaks: one record of many short lines is bounded too."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VOLMIFY_MAX_CSV_LINE_MB", "0.01")  # 10,485 characters
    Path("s.csv").write_text(HEADER + ROW.format(n=1) + '"A-2' + "\nx" * 6000 + '",2026\n')
    assert problems(Path("s.csv")) == [
        "s.csv:5244: record is over the 10485-character limit; reading stopped",
        "Hint: raise the limit with VOLMIFY_MAX_CSV_LINE_MB (now 0.01) if such long lines are"
        " expected",
    ]


def test_memory_is_bounded_and_the_csv_field_limit_follows_the_line_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's csv field limit (128 KiB) refused a field that the line limit allows (and a
    200 MB line was read whole before it applied); now one limit holds, and it is put back."""
    monkeypatch.chdir(tmp_path)
    before = csv.field_size_limit()
    Path("s.csv").write_text(HEADER + ROW.format(n="x" * 200_000))
    assert not any("field" in message for message in problems(Path("s.csv")))
    assert csv.field_size_limit() == before
    Path("s.csv").write_text(HEADER + ROW.format(n="x" * 2 * MB))
    assert problems(Path("s.csv"))[0] == (
        "s.csv:2: line is over the 1048576-character limit; reading stopped"
    )


# -- limits are validated --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["abc", "-1", "0", "nan", "inf", "-inf", "1e400", "\uff15\uff10", "", " "]
)
@pytest.mark.parametrize("variable", ["VOLMIFY_MAX_DOCUMENT_MB", "VOLMIFY_MAX_CSV_LINE_MB"])
def test_limits_are_validated_sizes(
    variable: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text("a: 1\n")
    Path("s.csv").write_text(HEADER + ROW.format(n=1))
    monkeypatch.setenv(variable, value)
    if not value.strip():  # unset in effect: the default
        assert load_yaml_file(Path("a.yaml")) == {"a": "1"}
        assert not problems(Path("s.csv"))
        return
    with pytest.raises(ConfigError) as caught:
        load_yaml_file(Path("a.yaml")) if "DOCUMENT" in variable else list(
            read_sales_csv(Path("s.csv"))
        )
    assert caught.value.exit_code == 2
    assert caught.value.reason == (
        f"{variable}={value!r} is not a size: it takes a positive number of megabytes"
        " (for example 50 or 0.5)"
    )


@pytest.mark.parametrize("value", ["abc", "-5", "0", "1.5", "1e6", "\u0661\u0660\u0660"])
def test_limits_are_validated_counts(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_VALUES", value)
    with pytest.raises(ConfigError, match=r"VOLMIFY_MAX_DOCUMENT_VALUES=.* positive whole number"):
        load_yaml_text("a: 1\n")
    monkeypatch.setenv("VOLMIFY_MAX_DOCUMENT_VALUES", "3_000")
    assert load_yaml_text("a: 1\n") == {"a": "1"}


# -- bad bytes are placed --------------------------------------------------------------------


def yaml_problem(data: bytes) -> str:
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_text(data, filename="f.yaml")
    (problem,) = caught.value.problems
    return str(problem)


def test_bad_bytes_are_placed_on_their_line_in_yaml() -> None:
    """libyaml gives a byte offset (and for a bad continuation byte, the byte after the one
    that led it): the message names the line and column of the byte itself."""
    assert yaml_problem(b"a: 1\nb: caf\xe9\n") == "f.yaml:2:7: not UTF-8 text (byte 0xe9)"
    assert yaml_problem(b'a: 1\nb: "caf\xe9"\n') == "f.yaml:2:8: not UTF-8 text (byte 0xe9)"
    assert (
        yaml_problem(b"\xef\xbb\xbfb: \xc3\xa9\xff\n") == "f.yaml:1:5: not UTF-8 text (byte 0xff)"
    )
    assert yaml_problem(b"a: 1\nb: caf\xc3") == "f.yaml:2:7: not UTF-8 text (byte 0xc3)"
    assert yaml_problem("a: 1\nb: é\x00\n".encode()) == (
        "f.yaml:2:5: not valid YAML: control characters are not allowed (found U+0000)"
    )
    assert yaml_problem(b"a: 1\n\x1b[31mb: 2\n") == (
        "f.yaml:2:1: not valid YAML: control characters are not allowed (found U+001B)"
    )
    utf16 = b"\xff\xfe" + "a: 1\nb: x\x00\n".encode("utf-16-le")
    assert yaml_problem(utf16) == (
        "f.yaml:2:5: not valid YAML: control characters are not allowed (found U+0000)"
    )


def test_bad_bytes_are_placed_deep_in_a_large_yaml_file(tmp_path: Path) -> None:
    """Past libyaml's first blocks, and through a pipe, where nothing can be read again."""
    lines = [f"k{n}: {'v' * (n % 50)}\n".encode() for n in range(100_000)]
    lines.insert(80_000, b"bad: na\xefve\n")  # line 80,001
    data = b"".join(lines)
    expected = "f.yaml:80001:8: not UTF-8 text (byte 0xef)"
    assert yaml_problem(data) == expected
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_file(path, name="f.yaml")
    assert [str(p) for p in caught.value.problems] == [expected]
    feeder = Feeder(tmp_path / "pipe.yaml", head=data, cap=len(data))
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_file(feeder.path, name="f.yaml")
    feeder.join()
    assert [str(p) for p in caught.value.problems] == [expected]


def test_bad_bytes_are_placed_on_their_line_in_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A block decoder failed up to 8 KB ahead of the line being read (4935 for 5002)."""
    monkeypatch.chdir(tmp_path)
    rows = [ROW.format(n=n) for n in range(2, 10_000)]
    rows[5000] = "A-5002,2026-03-01,caf\xe9,basic,us,USD,1.00,\n"  # line 5002
    Path("s.csv").write_bytes(b"\xef\xbb\xbf" + (HEADER + "".join(rows)).encode("latin-1"))
    assert problems(Path("s.csv")) == ["s.csv:5002:22: not UTF-8 text (byte 0xe9)"]
    Path("s.csv").write_bytes(b"\xef\xbb\xbforder_id,sold\xe0at\n")
    assert problems(Path("s.csv")) == ["s.csv:1:14: not UTF-8 text (byte 0xe0)"]
    quoted = HEADER + 'A-1,2026-03-01,p,basic,us,USD,1.00,"a\nb\xe9"\n'
    Path("s.csv").write_bytes(quoted.encode("latin-1"))
    assert problems(Path("s.csv")) == ["s.csv:3:2: not UTF-8 text (byte 0xe9)"]
