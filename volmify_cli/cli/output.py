"""The only Rich import: data on stdout as table, JSON, YAML or CSV; notices, warnings, errors
and progress on stderr. Colors and progress bars only on a terminal; NO_COLOR is honoured."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from volmify_cli.cli.bars import BAR_WIDTH, Bar, bar_lengths
from volmify_cli.cli.output_csv import write_csv

if TYPE_CHECKING:  # Rich is imported when something is shown, not for JSON output
    from rich.console import Console

Row = Mapping[str, Any]
Data = Sequence[Row] | Row
# what moved out of this module and is still reached through it (`output.Bar`, `output.write_csv`)
__all__ = ["BAR_WIDTH", "Bar", "Column", "bar_lengths", "write_csv"]


@dataclass(frozen=True)
class Column:
    """A table/CSV column: the row key, its header, and an optional display function (used by
    the table view only; JSON and YAML always carry the raw values)."""

    key: str
    header: str | None = None
    display: Callable[[Row], str] | None = None
    justify: str = "left"

    @property
    def title(self) -> str:
        return self.header or self.key.replace("_", " ").title()


# C0 controls but tab and newline, DEL, C1 controls and the Unicode line/paragraph separators:
# on a terminal an ESC in a product title could clear the screen or rewrite the window title, a
# CR could hide what precedes it, a separator could break a one-line message in two.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text: str) -> str:
    """Text for a person's terminal: control characters are shown as escapes (`\\x1b`)."""
    return _CONTROL.sub(lambda match: _escape(match.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _no_color() -> bool:
    return "NO_COLOR" in os.environ


@cache
def stderr_console() -> Console:
    from rich.console import Console

    return Console(
        stderr=True,
        no_color=_no_color(),
        highlight=False,
        soft_wrap=True,
        markup=False,  # user text ("[/b]", ":smile:") is shown as written, never interpreted
        emoji=False,
    )


def stdout_console() -> Console:
    from rich.console import Console

    from volmify_cli.cli.pager import reader_gone

    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "160"))
    # markup and emoji codes off: a title such as "[/bold]" or ":smile:" is data, shown as written
    console = Console(no_color=_no_color(), highlight=False, width=width, markup=False, emoji=False)
    console.on_broken_pipe = reader_gone  # type: ignore[method-assign]
    return console


# -- messages on stderr ---------------------------------------------------------------------------


def notice(message: str) -> None:
    stderr_console().print(visible(message), style="dim", markup=False)


def warning(message: str) -> None:
    stderr_console().print(f"Warning: {visible(message)}", style="yellow", markup=False)


def error_line(reason: str, hint: str | None = None) -> None:
    console = stderr_console()
    console.print(f"Error: {visible(reason)}", style="bold red", markup=False)
    if hint:
        console.print(f"Hint: {visible(hint)}", markup=False)


def problem_line(text: str) -> None:
    stderr_console().print(visible(text), markup=False)


def heading(text: str) -> None:
    """A section title in human output (bold on a terminal)."""
    from rich.rule import Rule

    stdout_console().print(Rule(visible(text), align="left", style="bold"))


def plain(text: str) -> None:
    """Human text on stdout (a plan, a tour); never used for machine formats."""
    text = visible(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def markdown(text: str) -> None:
    """A markdown document (a statement, a report) on stdout: rendered (headings, lists,
    tables) when stdout is a terminal, through the pager when taller than the screen; the
    markdown itself in a pipe or into a file, where it is the data."""
    if not sys.stdout.isatty():
        plain(text)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    from volmify_cli.cli.pager import paged

    class Document(Markdown):
        elements: ClassVar[dict[str, Any]] = {**Markdown.elements, "table_open": _markdown_table()}

    width = stdout_console().width  # the terminal's, before stdout may become the pager
    with paged():
        # styled even into the pager (`less -R` passes the colors), as it was on the terminal
        console = Console(no_color=_no_color(), width=width, force_terminal=True, emoji=False)
        console.print(Document(visible(text), hyperlinks=False))


def _markdown_table() -> Any:
    """Rich's markdown table, but whole: the first column (a label) wraps, every other one
    (amounts, codes) is shown on one line; a table too wide for the terminal becomes records,
    `Header  value` lines (as `_print_table` does), never a cut amount (`€1,730…`)."""
    from rich.box import SIMPLE_HEAD
    from rich.markdown import TableElement
    from rich.table import Table
    from rich.text import Text

    class WholeTable(TableElement):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            titles = self.header.row if self.header else None
            heads = [cell.content for cell in titles.cells] if titles else []
            body = self.body.rows if self.body else []
            rows = [[cell.content for cell in row.cells] for row in body]
            table = Table(box=SIMPLE_HEAD, pad_edge=False, header_style="bold")
            least = 3 * len(heads) - 1  # the two edges, the rules between, inner padding
            for index, head in enumerate(heads):
                widest = max(text.cell_len for text in [head, *(row[index] for row in rows)])
                justify = (rows[0][index].justify if rows else None) or "default"
                if index == 0 or any(word in head.plain.lower() for word in _PROSE):
                    table.add_column(head, justify=justify, overflow="fold")
                    least += min(widest, 12)  # text may wrap down to a dozen cells
                else:
                    table.add_column(head, justify=justify, no_wrap=True, min_width=widest)
                    least += widest
            for row in rows:
                table.add_row(*row)
            if least <= options.max_width:
                yield table
                return
            label = max(text.cell_len for text in heads)
            for row in rows:
                pairs = zip(heads, row, strict=True)
                yield Text("".join(f"{h.plain.ljust(label)}  {c.plain}\n" for h, c in pairs))

    return WholeTable


# -- data on stdout -------------------------------------------------------------------------------


def json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_plain(data: Any) -> Any:
    """Data as JSON-compatible values (datetimes as ISO 8601 text)."""
    return json.loads(json.dumps(data, default=json_default))


def render(
    data: Data,
    output_format: str,
    columns: Sequence[Column] | None = None,
    *,
    title: str | None = None,
) -> None:
    """Print data (a list of rows, or one record) in the chosen format on stdout, with the
    fields `--fields` selects (every field without it)."""
    from volmify_cli.cli import shaping

    fields = shaping.selected_fields()
    if fields is not None:
        picked = (
            shaping.pick(data, fields) if isinstance(data, Mapping) else list(shaping.picked(data))
        )
        columns = _columns_of(columns, fields)
        if output_format != "table":  # a table's cells may read other fields of the row
            data = picked
    if output_format == "json":
        sys.stdout.write(
            json.dumps(data, default=json_default, ensure_ascii=False, indent=2) + "\n"
        )
    elif output_format == "ndjson":
        for row in [data] if isinstance(data, Mapping) else data:
            sys.stdout.write(json.dumps(row, default=json_default, ensure_ascii=False) + "\n")
    elif output_format == "yaml":
        from volmify_cli.exchange.yamlio import dump_yaml

        sys.stdout.write(dump_yaml(to_plain(data)))
    elif output_format == "csv":
        rows = [data] if isinstance(data, Mapping) else list(data)
        write_csv(rows, columns, sys.stdout)
    else:
        if isinstance(data, Mapping):
            _print_record(data, columns, title)
        else:
            _print_table(data, columns, title)
    sys.stdout.flush()


def render_list(
    rows: Sequence[Row],
    output_format: str,
    columns: Sequence[Column] | None = None,
    *,
    limit: int | None = None,
    title: str | None = None,
) -> None:
    """Render a list; services fetch `limit + 1` rows so that a cut can be announced."""
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        notice(f"Showing the first {limit} rows; more were left out (raise --limit).")
    if output_format != "table":
        render(rows, output_format, columns, title=title)
        return
    from volmify_cli.cli.cells import list_title
    from volmify_cli.cli.pager import paged

    with paged():  # taller than the screen: through the pager, on a terminal
        render(rows, output_format, columns, title=title or list_title())


def _columns_of(columns: Sequence[Column] | None, fields: Sequence[str]) -> list[Column]:
    """The table's columns for `--fields`: theirs where they have one, in the fields' order."""
    by_key = {column.key: column for column in columns or ()}
    return [by_key.get(name, Column(name)) for name in fields]


def _cell(value: Any, key: str = "") -> str:
    """A value as a person reads it in a table (timestamps, counts, durations: cli/cells.py)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, dt.datetime)):
        from volmify_cli.cli.cells import human

        shown = human(key, value)
        if shown is not None:
            return shown
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return visible(str(value))


def _columns_for(rows: Sequence[Row], columns: Sequence[Column] | None) -> list[Column]:
    if columns:
        return list(columns)
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return [Column(key) for key in keys]


# Columns of free text, which may wrap; every other column (keys, amounts, dates, codes) is
# shown whole on one line: a cut key or amount ("AC-00…", "€2,788…") is a wrong figure.
_PROSE = ("title", "name", "description", "label", "reason", "message", "note", "help")


def _is_prose(column: Column) -> bool:
    return any(word in column.key for word in _PROSE)


def _print_table(rows: Sequence[Row], columns: Sequence[Column] | None, title: str | None) -> None:
    """A table whose keys and amounts are never cut: free text wraps; when the whole values
    do not fit the terminal's width even so, each row is shown as a record instead."""
    from rich.table import Table

    console = stdout_console()
    if not rows:
        notice("(no rows)")
        return
    chosen = _columns_for(rows, columns)
    cells = [
        [visible(c.display(row)) if c.display else _cell(row.get(c.key), c.key) for c in chosen]
        for row in rows
    ]
    widths = [
        max(len(column.title), *(len(line[i]) for line in cells)) for i, column in enumerate(chosen)
    ]
    whole = sum(w for w, c in zip(widths, chosen, strict=True) if not _is_prose(c))
    prose = sum(min(w, 12) for w, c in zip(widths, chosen, strict=True) if _is_prose(c))
    if whole + prose + 3 * len(chosen) + 1 > console.width:
        _print_records(chosen, cells, title)
        return
    table = Table(title=visible(title) if title else None, show_lines=False, header_style="bold")
    for column, width in zip(chosen, widths, strict=True):
        if _is_prose(column):
            table.add_column(column.title, justify=column.justify, overflow="fold")  # type: ignore[arg-type]
        else:
            table.add_column(
                column.title,
                justify=column.justify,  # type: ignore[arg-type]
                no_wrap=True,
                min_width=width,
            )
    for line in cells:
        table.add_row(*line)
    console.print(table)


def _print_records(
    chosen: Sequence[Column], cells: Sequence[Sequence[str]], title: str | None
) -> None:
    """Rows too wide for the terminal: one record per row, `Label  value`, each value whole.
    Written as plain lines, not Rich tables (a Rich table per row took 1.5 ms each: minutes for
    a large list)."""
    width = max(len(column.title) for column in chosen)
    write = sys.stdout.write
    if title:
        write(visible(title) + "\n")
    labels = [column.title.ljust(width) for column in chosen]
    for index, line in enumerate(cells):
        if index:
            write("\n")
        write("".join(f"{label}  {value}\n" for label, value in zip(labels, line, strict=True)))


def _print_record(record: Row, columns: Sequence[Column] | None, title: str | None) -> None:
    from rich.table import Table

    console = stdout_console()
    table = Table(
        title=visible(title) if title else None, show_header=False, box=None, pad_edge=False
    )
    table.add_column(style="bold")
    table.add_column()
    for column in _columns_for([record], columns):
        value = (
            visible(column.display(record))
            if column.display
            else _cell(record.get(column.key), column.key)
        )
        table.add_row(column.title, value)
    console.print(table)


def render_tree(
    title: str,
    nodes: Sequence[Row],
    label: Callable[[Row], str],
    *,
    dim: Callable[[Row], bool] | None = None,
    children: str = "children",
) -> None:
    """A nested document as a Rich tree on stdout: `label(node)` is each node's text (shown
    as written, never as markup); nodes for which `dim(node)` is true are dimmed."""
    from rich.text import Text
    from rich.tree import Tree

    def add(parent: Tree, node: Row) -> None:
        style = "dim" if dim is not None and dim(node) else ""
        branch = parent.add(Text(visible(label(node)), style=style))
        for child in node.get(children) or ():
            add(branch, child)

    tree = Tree(Text(visible(title), style="bold"))
    for node in nodes:
        add(tree, node)
    stdout_console().print(tree)


# -- progress -------------------------------------------------------------------------------


@contextmanager
def progress(
    description: str, total: int | None = None, *, in_bytes: bool = False
) -> Iterator[Callable[[int], None]]:
    """Yield an `advance(n)` function; a Rich progress bar on stderr only when it is a terminal
    (`in_bytes`: the count shown as sizes, `12.3/104.9 MB`)."""
    if not sys.stderr.isatty():
        yield lambda _n: None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn() if in_bytes else MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr_console(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


def on_terminal() -> bool:
    """Whether progress is shown (stderr is a terminal)."""
    return sys.stderr.isatty()


@contextmanager
def working(description: str, *, after: float = 0.5) -> Iterator[None]:
    """A spinner with the elapsed time on stderr while one long step runs (a report's aggregate
    over a large ledger, which gives no count to advance): only on a terminal, and only once the
    step has taken `after` seconds, so a quick command never imports Rich for it (start-up,
    SPEC 7). Rich loads in a thread while the main thread waits on the database."""
    if not sys.stderr.isatty():
        yield
        return
    import threading

    finished = threading.Event()

    def show() -> None:
        if finished.wait(after):
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (SpinnerColumn(), TextColumn(visible(description)), TimeElapsedColumn())
        with Progress(*columns, console=stderr_console(), transient=True) as spinner:
            spinner.add_task(description, total=None)
            finished.wait()

    thread = threading.Thread(target=show, name="volmify-working", daemon=True)
    thread.start()
    try:
        yield
    finally:
        finished.set()
        thread.join()  # the line is cleared before any error or data is printed


# -- charts ---------------------------------------------------------------------------------------


def bar_chart(title: str, bars: Sequence[Bar], *, width: int = BAR_WIDTH) -> None:
    """A horizontal bar chart on stdout (part of the table view)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=visible(title), show_header=False, box=None, pad_edge=False, title_justify="left"
    )
    table.add_column(style="bold")
    table.add_column()
    table.add_column(justify="right")
    for bar, length in zip(bars, bar_lengths([b.value for b in bars], width), strict=True):
        style = "red" if bar.value < 0 else "cyan"
        table.add_row(visible(bar.label), Text("█" * length, style=style), bar.text)
    stdout_console().print(table)
