"""Translated fields fall back one by one (issue 21): a de-DE translation with a title but no
description shows the default locale's description, never null; titles still come from de-DE."""

from __future__ import annotations

from pathlib import Path

from tests.support import Cli

CATALOG = """version: 1
kind: catalog
org: acme
locales: [en-US, de-DE]
markets:
  - {slug: us, name: US, type: single_country, currency: USD, countries: [US], locales: [en-US], default: true}
products:
  - slug: guide
    type: digital
    status: active
    title: {en-US: The Guide, de-DE: Der Leitfaden}
    description: {en-US: A guide for everyone.}
    variants:
      - slug: standard
        plans:
          - {slug: buy, type: one_time, tier: 1, prices: {us: "9.00"}}
"""


def test_each_field_falls_back_on_its_own(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(CATALOG, encoding="utf-8")
    cli.ok("catalog", "import", str(path))
    german = cli.json("products", "show", "guide", "--org", "acme", "--locale", "de-DE")
    assert (german["title"], german["description"]) == ("Der Leitfaden", "A guide for everyone.")
    austrian = cli.json("products", "show", "guide", "--org", "acme", "--locale", "de-AT")
    assert austrian["title"] == "Der Leitfaden"  # the same language before the default
    assert austrian["description"] == "A guide for everyone."  # each field on its own
    listed = cli.json("products", "list", "--org", "acme", "--locale", "de-DE")
    assert [p["title"] for p in listed] == ["Der Leitfaden"]
