"""`--fields` on a catalog plan (issue 22): `catalog diff` and `catalog import` in JSON keep the
fields named (the plan's counts without its list of changes, or the changes alone), as in YAML
and CSV; a field the plan lacks is a usage error naming those it has."""

from __future__ import annotations

from pathlib import Path

from tests.support import Cli

ACME = Path(__file__).parent.parent / "data" / "catalog" / "acme.yaml"


def test_a_plan_keeps_the_fields_asked_for(cli: Cli, tmp_path: Path) -> None:
    whole = cli.json("catalog", "diff", str(ACME))
    assert whole["created"] > 0 and whole["changes"]
    counts = cli.json("--fields", "created,updated,deleted", "catalog", "diff", str(ACME))
    assert counts == {key: whole[key] for key in ("created", "updated", "deleted")}
    listed = cli.json("catalog", "diff", str(ACME), "--fields", "org,changes")
    assert listed == {"org": whole["org"], "changes": whole["changes"]}
    imported = cli.json("catalog", "import", str(ACME), "--fields", "created,unchanged")
    assert imported == {"created": whole["created"], "unchanged": whole["unchanged"]}
    bad = cli.fails(2, "catalog", "diff", str(ACME), "--fields", "created,nope")
    assert "no field 'nope'" in bad.stderr and "changes" in bad.stderr
