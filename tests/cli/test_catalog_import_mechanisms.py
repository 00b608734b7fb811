"""The mechanisms the catalog import's budgets (SPEC 7) rely on, tested without timing: the
collector is paused for the whole command, the plan is built once, JSON output is written in
batches with the text `json.dumps` would give, and made while the transaction commits."""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.support import Cli
from volmify_cli.services import catalog as catalog_service
from volmify_cli.services.changes import JSON_BATCH, Change, ChangeSet, create_change
from volmify_cli.services.sync.rows import Tally

ACME = Path(__file__).parent.parent / "data" / "catalog" / "acme.yaml"
ACME_SPLIT = Path(__file__).parent.parent.parent / "fixtures" / "acme" / "catalog"


def test_the_collector_is_paused_for_the_whole_import_and_back_after(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    plan, apply = catalog_service.plan_catalog_import, catalog_service.apply_catalog_import

    def watched(function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen.append(gc.isenabled())
            result = function(*args, **kwargs)
            seen.append(gc.isenabled())  # a part's own pause must not re-enable it
            return result

        return wrapper

    monkeypatch.setattr(catalog_service, "plan_catalog_import", watched(plan))
    monkeypatch.setattr(catalog_service, "apply_catalog_import", watched(apply))
    assert gc.isenabled()
    cli.ok("catalog", "import", str(ACME))
    assert seen == [False, False, False, False]
    assert gc.isenabled()


def test_the_collector_is_back_after_a_failed_import(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        assert not gc.isenabled()
        raise RuntimeError("planning failed")

    monkeypatch.setattr(catalog_service, "plan_catalog_import", broken)
    result = cli.run("catalog", "import", str(ACME))
    assert result.exit_code != 0
    assert gc.isenabled()


def test_the_plan_is_sorted_once(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    changes = Tally.changes

    def counted(self: Tally, extra: ChangeSet | None = None) -> ChangeSet:
        calls.append(1)
        return changes(self, extra)

    monkeypatch.setattr(Tally, "changes", counted)
    cli.ok("catalog", "import", str(ACME))
    assert len(calls) == 1


def _lessons(node: dict[str, Any]) -> list[str]:
    if node.get("kind") == "lesson":
        return [node["slug"]]
    return [slug for child in node.get("children", []) for slug in _lessons(child)]


def test_each_course_body_is_prepared_once_and_its_outline_written(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from volmify_cli.services import course_spec

    prepared: list[str] = []
    prepare = course_spec.prepare_course_content

    def counted(**kwargs: Any) -> Any:
        prepared.append(kwargs["path_prefix"])
        return prepare(**kwargs)

    monkeypatch.setattr(course_spec, "prepare_course_content", counted)
    cli.ok("catalog", "import", str(ACME_SPLIT))
    bodies = (ACME_SPLIT / "10-courses.yaml").read_text().count("\n    course:\n")
    assert bodies >= 2
    assert len(prepared) == len(set(prepared)) == bodies
    tree = cli.json("courses", "tree", "python-101", "--org", "acme")
    assert {"installing-python", "lists-and-dicts"} <= set(_lessons(tree))
    prepared.clear()
    again = cli.json("catalog", "import", str(ACME_SPLIT), "--format", "json")
    assert (again["created"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert len(prepared) == bodies


@pytest.mark.parametrize(
    "change",
    [
        Change("create", "plan", 'python-101/std/"quoted" \\ é \u2028 \x01'),
        Change("delete", "price", "p/v/basic@us"),
        Change("update", "price", "p/v/basic@us", (("amount", "1.00", "2.00"), ("ends", None, 3))),
    ],
)
def test_a_change_as_json_is_what_json_dumps_writes(change: Change) -> None:
    assert change.json() == json.dumps(change.as_dict(), ensure_ascii=False)


def test_a_create_built_the_fast_way_is_the_same_change() -> None:
    """`create_change` (the plan's many creates) gives what the dataclass gives, frozen as well."""
    fast, plain = create_change("plan", "p/v/basic"), Change("create", "plan", "p/v/basic")
    assert (fast == plain, hash(fast) == hash(plain), repr(fast)) == (True, True, repr(plain))
    assert (fast.json(), fast.line()) == (plain.json(), plain.line())
    with pytest.raises(AttributeError):
        fast.key = "other"  # type: ignore[misc]


def test_a_changed_window_is_written_as_iso_dates_in_json() -> None:
    """An offer's or a plan's window changes by dates: JSON has them as ISO text."""
    change = Change("update", "offer", "spring", (("ends", dt.date(2026, 3, 31), None),))
    assert json.loads(change.json())["fields"] == {"ends": {"old": "2026-03-31", "new": None}}


class CountingStream(io.StringIO):
    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


@pytest.mark.parametrize("count", [0, 1, JSON_BATCH, 2 * JSON_BATCH + 5])
def test_json_output_is_written_in_batches_as_one_document(count: int) -> None:
    changes = ChangeSet([Change("create", "plan", f"p/{i}") for i in range(count)])
    stream = CountingStream()
    changes.write_json(stream, {"org": "acme"})
    assert json.loads(stream.getvalue()) == {"org": "acme", **changes.as_dict()}
    assert stream.writes <= 3 + count // JSON_BATCH + 1


def test_each_line_of_the_json_document_is_what_json_dumps_writes() -> None:
    """The document's lines are made from each action's and entity's head: the text stays
    exactly `json.dumps` of each change, for plain and marked (str subclass) names alike."""
    from volmify_cli.inputs.marks import Scalar

    marked = str.__new__(Scalar, 'p/v/"marked" é')
    changes = ChangeSet(
        [
            create_change("plan", 'p/v/"quoted" \\ é \u2028 \x01'),
            create_change("price", marked),
            Change("create", str.__new__(Scalar, "plan"), "p/v/basic"),
            create_change("plan", "p/v/other"),  # the head made for the first plan, again
            Change("delete", "price", "p/v/basic@us", (), (("usage tier", 2),)),
            Change("update", "price", "p/v/basic@us", (("amount", "1.00", "2.00"),)),
        ]
    )
    stream = io.StringIO()
    changes.write_json(stream, {"org": "acme"})
    written = stream.getvalue().split('"changes": [\n    ', 1)[1].rsplit("\n  ]", 1)[0]
    expected = [json.dumps(change.as_dict(), ensure_ascii=False) for change in changes.changes]
    assert written.split(",\n    ") == expected


def test_a_failed_commit_prints_no_answer_and_writes_nothing(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's answer is made while the transaction commits, and shown only after it."""
    import sqlalchemy.exc
    from sqlalchemy.orm import Session

    def refused(_session: Session) -> None:
        raise sqlalchemy.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))

    with monkeypatch.context() as m:
        m.setattr(Session, "commit", refused)
        result = cli.run("catalog", "import", str(ACME), "--format", "json")
    assert result.exit_code != 0
    assert '"created"' not in result.stdout and "changes" not in result.stdout
    assert all(org["slug"] != "acme" for org in cli.json("orgs", "list")), "nothing written"


def test_the_answer_is_the_same_without_a_temporary_file(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no temporary file can be made, the answer is written as the commit ends: the
    same changes the plan named."""
    from volmify_cli.cli import catalog_plan_output

    def no_file(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    planned = cli.json("catalog", "diff", str(ACME))
    with monkeypatch.context() as m:
        m.setattr(catalog_plan_output.tempfile, "TemporaryFile", no_file)
        imported = cli.json("catalog", "import", str(ACME))
    assert imported["created"] > 10
    assert imported["changes"] == planned["changes"]


def test_any_reading_of_a_catalog_pauses_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the import command's: `catalog validate`, the demo, a saved plan's reading."""
    from volmify_cli.exchange import catalog_files

    seen: list[bool] = []
    read_all = catalog_files._read_all

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return read_all(*args, **kwargs)

    monkeypatch.setattr(catalog_files, "_read_all", watched)
    assert gc.isenabled()
    catalog_files.read_catalog([ACME])
    assert seen == [False]
    assert gc.isenabled()


EXIT_PROBE = """
import atexit, gc, sys
from volmify_cli.cli.app import exit_at_once
from volmify_cli.services import collector
atexit.register(lambda: print("exit handler ran"))
if {leave}:
    collector.leave_heap_to_exit()
with collector.collector_paused():
    big = [[n] for n in range(1000)]
    collector.left_to_exit(big)
del big
print("frozen" if gc.get_freeze_count() else "not frozen", end="; ")  # buffered: a pipe
exit_at_once(3)
print("exited as usual")
sys.exit(4)
"""


@pytest.mark.parametrize(("leave", "code", "said"), [
    (True, 3, "frozen; exit handler ran"),
    (False, 4, "not frozen; exited as usual\nexit handler ran"),
])  # fmt: skip
def test_a_process_that_leaves_its_heap_to_the_exit_flushes_and_runs_its_handlers(
    leave: bool, code: int, said: str
) -> None:
    """What the entry point does after a large import: the output buffered so far and the
    exit handlers are not lost, the exit code is kept; without `leave_heap_to_exit` (a
    runner of several commands) nothing is kept and the process exits as usual."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a pipe is
    done = subprocess.run(
        [sys.executable, "-c", EXIT_PROBE.format(leave=leave)],
        capture_output=True, text=True, timeout=60, check=False, env=buffered,
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip(), done.stderr) == (code, said, "")


def test_a_command_run_in_process_keeps_nothing_for_the_exit(cli: Cli) -> None:
    """The tests' runner (and any program running commands) frees each import's plan: nothing
    is left to an exit that never comes, and the collector scans everything again."""
    cli.ok("catalog", "import", str(ACME))
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_the_import_from_the_command_line_leaves_its_plan_to_the_exit(tmp_path: Path) -> None:
    """The real entry point (`python -m volmify_cli`): the answer is whole on stdout, the exit
    code 0, and every row committed (read back by a new process)."""
    url = f"sqlite:///{tmp_path / 'left.db'}"
    volmify = [sys.executable, "-m", "volmify_cli", "--db", url]
    run = partial(subprocess.run, capture_output=True, text=True, timeout=300, check=False)
    assert run([*volmify, "db", "upgrade"]).returncode == 0
    imported = run([*volmify, "catalog", "import", str(ACME), "--format", "json"])
    assert (imported.returncode, imported.stderr) == (0, "")
    answer = json.loads(imported.stdout)
    assert answer["created"] == len(answer["changes"]) > 20
    again = run([*volmify, "catalog", "import", str(ACME), "--format", "json"])
    assert again.returncode == 0
    assert (json.loads(again.stdout)["created"], json.loads(again.stdout)["updated"]) == (0, 0)
