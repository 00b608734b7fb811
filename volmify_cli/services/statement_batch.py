"""Statements for everyone (issue 18): one statement per creator (instructor or brand) who
earned or was paid in a period, each written to its own file in a directory, named by the
creator's slug: `SLUG.EXT`. A brand whose slug is also an instructor's is `SLUG.brand.EXT` (a
slug holds no dot, so no other creator's file can take that name); the name does not depend on
the period.

Who gets one: every creator with ledger splits dated in the period (a sale, a refund, an
adjustment: even one that earned them 0, since they took part in the line) or with a payout
dated in it. A creator with neither gets none. Every statement is the one that
`revenue statement [KIND:]SLUG` prints for the same period, byte for byte.

Nothing is written when a file is in the way: every target is checked first, and the error
names all the files that exist (`--force` replaces them). Each file is then written whole or
not at all (`files.write_file`); a failure stops at the file it names, the files before it
stay whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

from volmify_cli.db.direct import DirectReader
from volmify_cli.enums import ProfileType, RecipientKind
from volmify_cli.errors import ConflictError, RuleError
from volmify_cli.files import check_target, write_error, write_file
from volmify_cli.reports.conversion import Converter
from volmify_cli.reports.labels import brand_names, find_org
from volmify_cli.reports.periods import Period
from volmify_cli.services.statement_sections import Sections
from volmify_cli.services.statements import StatementRead, creator_statement

# format -> the extension of its files
EXTENSIONS = {"markdown": ".md", "html": ".html", "pdf": ".pdf", "json": ".json", "csv": ".csv"}
SHOWN_EXISTING = 10  # files named in the error when more are in the way


class Recipient(TypedDict):
    kind: str  # instructor | brand
    slug: str
    name: str
    file_stem: str  # its file's name before the extension


class ClosingBalance(TypedDict):
    currency: str
    closing_minor: int
    closing: str


class StatementFile(TypedDict):
    """One statement written: whose, where, and what it is owed at the end, per currency."""

    kind: str
    slug: str
    name: str
    file: str
    balances: list[ClosingBalance]


Render = Callable[[StatementRead], str | bytes]


def statement_recipients(sections: Sections, locale: str | None = None) -> list[Recipient]:
    """The instructors, then the brands, who earned (have splits dated in the period of
    `sections`, days of the org's time zone) or were paid (have payouts dated in it), each by
    slug; a brand's name in `locale`. Read from the sections every statement reads."""
    reader, org = sections.reader, sections.org
    who = {*sections.earned_by_kind, *sections.payouts}
    profiles = [key[1] for key in who if key[0] == RecipientKind.INSTRUCTOR.value]
    instructors = sorted(  # by slug, over every chunk of the IN list
        reader.rows_in("SELECT slug, display_name FROM user_profile WHERE id IN ({})", [], profiles)
    )
    brands = [key[2] for key in who if key[0] == RecipientKind.BRAND.value]
    named = sorted(brand_names(reader, org, brands, locale).values())
    # a brand's slug that is also an instructor's (anywhere: instructors are global)
    shared = {
        slug
        for (slug,) in reader.rows_in(
            "SELECT slug FROM user_profile WHERE type = ? AND slug IN ({})",
            [ProfileType.INSTRUCTOR.value],
            [slug for slug, _ in named],
        )
    }
    return [
        *(Recipient(kind=RecipientKind.INSTRUCTOR.value, slug=slug, name=name, file_stem=slug)
          for slug, name in instructors),
        *(Recipient(kind=RecipientKind.BRAND.value, slug=slug, name=name,
                    file_stem=f"{slug}.brand" if slug in shared else slug)
          for slug, name in named),
    ]  # fmt: skip


def write_statements(
    reader: DirectReader,
    *,
    org_slug: str,
    period: Period | None,
    directory: Path,
    output_format: str,
    render: Render,
    force: bool = False,
    locale: str | None = None,
    conversion: Converter | None = None,
) -> list[StatementFile]:
    """Write the statement of every creator of `statement_recipients` to
    `directory/SLUG.EXT` (EXT from `output_format`, the text or bytes from `render`), creating
    the directory when it is missing. Files in the way are replaced only with `force`.

    Raises NotFoundError (unknown org), ConflictError (files exist and no `force`: nothing is
    written; `directory` or a target is not a regular file), RuleError (a slug that cannot
    name a file), FileWriteError (the disk refused a file: the ones before it stay)."""
    org = find_org(reader, org_slug)
    # what every statement reads of the ledger, read once for them all (who gets one too)
    sections = Sections(reader, org, (period or Period()).in_zone(org.timezone), None)
    recipients = statement_recipients(sections, locale)
    extension = EXTENSIONS[output_format]
    targets = [directory / _file_name(r["file_stem"], extension) for r in recipients]
    _check_targets(directory, targets, force=force)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, directory) from None
    written = []
    for recipient, target in zip(recipients, targets, strict=True):
        data = creator_statement(
            reader, org_slug=org_slug, creator=f"{recipient['kind']}:{recipient['slug']}",
            period=period, locale=locale, conversion=conversion, sections=sections,
        )  # fmt: skip
        write_file(target, render(data), force=force)
        written.append(
            StatementFile(
                kind=recipient["kind"],
                slug=recipient["slug"],
                name=recipient["name"],
                file=str(target),
                balances=[
                    ClosingBalance(
                        currency=row["currency"],
                        closing_minor=row["closing_minor"],
                        closing=row["closing"],
                    )
                    for row in data["balances"]
                ],
            )
        )
    return written


def _file_name(stem: str, extension: str) -> str:
    """`jane-doe.md`. Slugs are checked when they are written; this keeps a slug from ever
    naming a file outside the directory, whatever the database holds."""
    if not stem or stem.startswith(".") or "/" in stem or "\\" in stem or "\x00" in stem:
        raise RuleError(f"creator slug {stem!r} cannot name a file")
    return f"{stem}{extension}"


def _check_targets(directory: Path, targets: list[Path], *, force: bool) -> None:
    """Refuse before anything is written: a directory that is not one, a target that is not a
    regular file (even with `force`), and, without `force`, every file that exists."""
    if not directory.exists():
        if os.path.lexists(directory):  # a dangling symbolic link
            raise ConflictError(f"{directory} is a broken symbolic link, not a directory")
        return  # created afterwards: nothing can be in the way
    if not directory.is_dir():
        raise ConflictError(
            f"{directory} is not a directory", "name a directory for the statements (-o DIR)"
        )
    for target in targets:
        check_target(target, force=True)  # a directory, a device, a FIFO at the name
    if force:
        return
    existing = [target for target in targets if os.path.lexists(target)]
    if existing:
        names = ", ".join(target.name for target in existing[:SHOWN_EXISTING])
        more = len(existing) - SHOWN_EXISTING
        if more > 0:
            names += f" and {more} more"
        noun = "file already exists" if len(existing) == 1 else "files already exist"
        raise ConflictError(
            f"{len(existing)} {noun} in {directory}: {names}; nothing was written",
            "pass --force to overwrite them",
        )
