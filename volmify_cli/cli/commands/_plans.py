"""How an import's plan is shown: `+ ~ -` lines on stdout in the table view, the whole plan as
one document in JSON/YAML, and the summary line on stderr."""

from typing import TYPE_CHECKING, Any

from volmify_cli.cli import output

if TYPE_CHECKING:
    from volmify_cli.services.changes import ChangeSet


def report_changes(
    changes: "ChangeSet",
    output_format: str,
    *,
    dry_run: bool,
    subject: str,
    extra: dict[str, Any] | None = None,
) -> None:
    if output_format in ("json", "yaml"):
        output.render({**(extra or {}), "dry_run": dry_run, **changes.as_dict()}, output_format)
    elif output_format == "csv":
        rows = [
            {"action": change.action, "entity": change.entity, "key": change.key}
            for change in changes.changes
        ]
        output.render(rows, "csv", [output.Column(k) for k in ("action", "entity", "key")])
    else:
        for line in changes.lines():
            output.plain(line)
    prefix = "Dry run, nothing written" if dry_run else subject
    output.notice(f"{prefix}: {changes.summary()}")
