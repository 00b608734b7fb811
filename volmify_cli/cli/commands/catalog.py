"""volmify catalog: the catalog as code (validate, diff, import, export YAML files)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from volmify_cli.cli import output
from volmify_cli.cli.catalog_options import (
    CiFormatOpt,
    ExcludeOpt,
    FilesArg,
    IncludeOpt,
    OptionalFilesArg,
    Prune,
    PruneOpt,
    PruneUnmanagedOpt,
    VerboseOpt,
    kinds_of,
)
from volmify_cli.cli.catalog_plan_output import (
    AnswerWhileCommitting,
    deletions,
    entities,
    notice_kept,
    refuse_deletions,
    show_plan,
)
from volmify_cli.cli.context import AppContext
from volmify_cli.cli.lazy import noun_app
from volmify_cli.cli.options import (
    DEFAULT_LOCK_TIMEOUT_S,
    DryRunOpt,
    ForceOpt,
    FormatOpt,
    LockTimeoutOpt,
    OrgOpt,
    YamlFormatOpt,
    YamlOutputOpt,
    YesOpt,
)
from volmify_cli.errors import UsageError, VolmifyError

if TYPE_CHECKING:
    from volmify_cli.inputs.catalog_kinds import Kinds
    from volmify_cli.inputs.catalog_model import CatalogFile
    from volmify_cli.services.catalog_import import ImportPlan

T = TypeVar("T")

app = noun_app("The catalog as code: validate, diff, import and export YAML files.")


def _org_file(files: list[CatalogFile]) -> str | None:
    """The file that names the org (for a message pointing at it)."""
    return next((file.name for file in files if file.doc.org is not None), None)


@contextmanager
def _part_of_a_catalog(files: list[Path]) -> Iterator[None]:
    """A split catalog validated file by file cannot see what its other files define: say so
    when the files given leave out catalog files beside them."""
    from volmify_cli.errors import InvalidInputError

    try:
        yield
    except InvalidInputError as error:
        given = {path.resolve() for path in files}
        folders = {path.resolve().parent for path in files if path.is_file()}
        left_out = sorted(
            str(sibling)
            for folder in folders
            for sibling in folder.iterdir()
            if sibling.suffix in (".yaml", ".yml")
            and sibling.resolve() not in given
            and _is_catalog_file(sibling)
        )
        if left_out and error.hint is None:
            folder = files[0].parent if len(folders) == 1 else "the catalog's directory"
            error.hint = (
                f"defined in another file? these files leave out {len(left_out)} beside them:"
                f" validate the whole directory (volmify catalog validate {folder})"
            )
        raise


def _is_catalog_file(path: Path) -> bool:
    """Whether a YAML file says `kind: catalog` near its top (read no further than that)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    return any(line.strip() == b"kind: catalog" for line in head.splitlines())


def _ci_format(state: AppContext, flag: str | None) -> str:
    """`github` besides the usual formats (for a CI job's annotations)."""
    if flag is not None and flag.lower() == "github":
        return "github"
    return state.output_format(flag)


@app.command("validate")
def validate(
    ctx: typer.Context,
    files: FilesArg,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    output_format: CiFormatOpt = None,
) -> None:
    """Check catalog files without a database (schema, money, references, defaults)."""
    from volmify_cli.cli.output_progress import reading_catalog
    from volmify_cli.cli.problem_output import problems_for_ci
    from volmify_cli.exchange.catalog_files import validate_catalog

    state = AppContext.of(ctx)
    fmt = _ci_format(state, output_format) if output_format else "table"
    with problems_for_ci(fmt), _part_of_a_catalog(files), reading_catalog(files) as at:
        result = validate_catalog(files, kinds_of(include, exclude), progress=at)
    for warning in result["warnings"]:
        output.warning(warning)
    if fmt == "json":
        output.render({**result, "problems": []}, "json")
        return
    counts = ", ".join(f"{n} {k}" for k, n in result["counts"].items() if n)
    noun = "file" if len(result["files"]) == 1 else "files"
    output.notice(f"OK: {len(result['files'])} {noun}: {counts or 'an empty catalog'}")


@app.command("import")
def import_(
    ctx: typer.Context,
    files: OptionalFilesArg = None,
    saved_plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="Apply exactly the plan `catalog diff FILES -o FILE` saved; refused (exit 1)"
            " when the files or the org's rows changed since.",
            metavar="FILE",
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    prune: PruneOpt = False,
    prune_unmanaged: PruneUnmanagedOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    yes: YesOpt = False,
    fail_on_delete: Annotated[
        bool,
        typer.Option(
            "--fail-on-delete",
            help="Exit 6 without writing when the import would delete anything (for CI).",
        ),
    ] = False,
    verbose: VerboseOpt = False,
    lock_timeout: LockTimeoutOpt = DEFAULT_LOCK_TIMEOUT_S,
    org: OrgOpt = None,
    output_format: FormatOpt = None,
) -> None:
    """Create or update the catalog from files, in one transaction (all or nothing)."""
    from volmify_cli.services.collector import collector_paused

    state = AppContext.of(ctx)
    fmt = state.output_format(output_format)
    if saved_plan is not None:
        if files or dry_run or prune or prune_unmanaged or include or exclude:
            raise UsageError(
                "--plan applies the files and options the plan was made with",
                "give --plan alone (with --fail-on-delete, --org, --format if needed)",
            )
        from volmify_cli.cli.catalog_saved_plans import apply_saved_plan

        with collector_paused():
            apply_saved_plan(
                state,
                fmt,
                saved_plan,
                org=org,
                fail_on_delete=fail_on_delete,
                lock_timeout=lock_timeout,
            )
        return
    if not files:
        raise UsageError("give the catalog's files (or --plan FILE)")
    # Paused from reading to the last line of output, not part by part: re-enabled between
    # parts, the collector met millions of live objects and scanned them all (2-3 s of a
    # large import) while finding nothing to free.
    with collector_paused():
        _import(
            state,
            fmt,
            files,
            dry_run=dry_run,
            prune=Prune(prune or prune_unmanaged, unmanaged=prune_unmanaged),
            kinds=kinds_of(include, exclude),
            yes=yes,
            fail_on_delete=fail_on_delete,
            verbose=verbose,
            lock_timeout=lock_timeout,
            org=org,
        )


def _read_files(
    state: AppContext, files: list[Path], org: str | None, *, prune: bool, skip: bool = True
) -> tuple[list[CatalogFile], str]:
    """The catalog's files, read, and the org. A product whose text the org's last import
    read (its fingerprint) is skipped, not read again (unless not `skip`: a saved plan reads
    everything): the org is looked up before the files (--org, or the `org:` at the top of a
    file) for its fingerprints."""
    from volmify_cli.exchange.catalog_files import StartedTails, peek_org, read_catalog

    # A large file's last products are read by a second process from now on, while this one
    # loads the import's modules and looks the org up (a re-import's reading stops it).
    with StartedTails(files) as started:
        from volmify_cli.cli.output_progress import reading_catalog
        from volmify_cli.services.catalog import catalog_org, stored_fingerprints

        guess = org or state.org or peek_org(files) or state.settings.org
        stored = {}
        if guess and skip:
            try:
                with state.session() as session:
                    stored = stored_fingerprints(session, guess)
            except VolmifyError:  # no database yet, or an old one: the import says so
                stored = {}
        with reading_catalog(files) as at:
            catalog_files = read_catalog(
                files, fingerprints=stored, prune=prune, progress=at, started=started
            )
    slug = state.org_slug(org, file_org=catalog_org(catalog_files), file=_org_file(catalog_files))
    if stored and slug != guess:  # another org's fingerprints: read everything
        with reading_catalog(files) as at:
            catalog_files = read_catalog(files, prune=prune, progress=at)
    return catalog_files, slug


def _import(
    state: AppContext,
    fmt: str,
    files: list[Path],
    *,
    dry_run: bool,
    prune: Prune,
    kinds: Kinds,
    yes: bool,
    fail_on_delete: bool,
    verbose: bool,
    lock_timeout: float,
    org: str | None,
) -> None:
    catalog_files, slug = _read_files(state, files, org, prune=prune.on)  # under a bar of bytes
    _planning(
        files,
        catalog_files,
        prune.on,
        lambda read: _plan_and_apply(
            state,
            fmt,
            read,
            slug,
            dry_run=dry_run,
            prune=prune,
            kinds=kinds,
            yes=yes,
            fail_on_delete=fail_on_delete,
            verbose=verbose,
            lock_timeout=lock_timeout,
        ),
    )


def _planning(
    files: list[Path],
    catalog_files: list[CatalogFile],
    prune: bool,
    plan: Callable[[list[CatalogFile]], T],
) -> T:
    """`plan(catalog_files)`; when the org was written to after the files were read (the
    products skipped as unchanged lost their fingerprints), again with every product read."""
    from volmify_cli.cli.output_progress import reading_catalog
    from volmify_cli.exchange.catalog_files import read_catalog
    from volmify_cli.services.catalog import StaleFingerprints

    try:
        return plan(catalog_files)
    except StaleFingerprints:
        with reading_catalog(files) as at:
            every = read_catalog(files, prune=prune, progress=at)
        return plan(every)


def _plan_and_apply(
    state: AppContext,
    fmt: str,
    catalog_files: list[CatalogFile],
    slug: str,
    *,
    dry_run: bool,
    prune: Prune,
    kinds: Kinds,
    yes: bool,
    fail_on_delete: bool,
    verbose: bool,
    lock_timeout: float,
) -> None:
    from volmify_cli.services.catalog import apply_catalog_import, plan_catalog_import
    from volmify_cli.services.collector import left_to_exit

    confirmed: list[str] | None = None
    if prune.on and not dry_run and not yes and not fail_on_delete:
        # Plan and ask before taking the write lock: no other import of the org (and on SQLite
        # no writer at all) waits while a person reads the question.
        with state.session() as session, output.working("Planning the import"):
            preview = plan_catalog_import(
                session,
                catalog_files,
                org=slug,
                prune=True,
                prune_unmanaged=prune.unmanaged,
                kinds=kinds,
            )
        for warning in preview.warnings:
            output.warning(warning)
        confirmed = deletions(preview.changes)
        for deletion in confirmed:  # every deletion named before the question
            output.notice(f"  {deletion}")
        notice_kept(preview.changes)
        if confirmed and not state.prompter().confirm_typed(
            f"The import deletes {entities(len(confirmed))} of org {slug}.", slug, yes=yes
        ):
            output.notice("Nothing was written.")
            raise typer.Exit(1)
    with state.session(
        write=not dry_run, import_of=None if dry_run else slug, lock_timeout=lock_timeout
    ) as session:
        with output.working("Planning the import"):
            plan = plan_catalog_import(
                session,
                catalog_files,
                org=slug,
                prune=prune.on,
                prune_unmanaged=prune.unmanaged,
                kinds=kinds,
                last_use=True,
            )
        if confirmed is None:
            for warning in plan.warnings:
                output.warning(warning)
        if dry_run:
            show_plan(plan.changes, fmt, slug, lines=True, verbose=verbose)
            return
        if fail_on_delete and plan.deletes:
            refuse_deletions(deletions(plan.changes), slug)
        if plan.deletes and not yes and deletions(plan.changes) != confirmed:
            raise VolmifyError(
                f"the catalog of org {slug} changed while the question was open:"
                f" the import would now delete {entities(plan.deletes)}",
                "nothing was written; run the import again",
            )
        with output.progress("Writing", total=plan.row_writes or None) as advance:
            apply_catalog_import(session, plan, advance=advance)
        answer = AnswerWhileCommitting(lambda: plan.changes, fmt, slug)
    answer.show()
    left_to_exit(plan)  # its millions of objects: a large import's last half second


@app.command("diff")
def diff(
    ctx: typer.Context,
    files: FilesArg,
    detailed_exitcode: Annotated[
        bool,
        typer.Option("--detailed-exitcode", help="Exit 5 when changes are pending, 0 when not."),
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Also show what --prune would delete.")
    ] = False,
    prune_unmanaged: Annotated[
        bool,
        typer.Option("--prune-unmanaged", help="Also show what --prune-unmanaged would delete."),
    ] = False,
    verbose: VerboseOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Save the plan to FILE (JSON) for `catalog import --plan FILE`.",
            metavar="FILE",
        ),
    ] = None,
    force: ForceOpt = False,
    org: OrgOpt = None,
    output_format: CiFormatOpt = None,
) -> None:
    """What an import of the files would change (nothing is written)."""
    from volmify_cli.cli.problem_output import problems_for_ci
    from volmify_cli.errors import ChangesPendingError
    from volmify_cli.services.catalog import plan_catalog_import

    state = AppContext.of(ctx)
    fmt = _ci_format(state, output_format)
    prune = prune or prune_unmanaged
    kinds = kinds_of(include, exclude)
    target = None
    if out is not None:
        from volmify_cli.cli.catalog_saved_plans import plan_target

        target = plan_target(state, out, force=force)
    with problems_for_ci(fmt):
        catalog_files, slug = _read_files(state, files, org, prune=prune, skip=target is None)

        def planned(read: list[CatalogFile]) -> ImportPlan:
            with state.session() as session, output.working("Comparing with the org"):
                return plan_catalog_import(
                    session,
                    read,
                    org=slug,
                    prune=prune,
                    prune_unmanaged=prune_unmanaged,
                    kinds=kinds,
                )

        plan = _planning(files, catalog_files, prune, planned)
    for warning in plan.warnings:
        output.warning(warning)
    if target is not None:
        from volmify_cli.cli.catalog_saved_plans import save_plan

        save_plan(target, plan, files, prune=prune, prune_unmanaged=prune_unmanaged, kinds=kinds)
    if target is None or target.path is not None:  # `-o -`: the plan file is the output
        shown = "table" if fmt == "github" else fmt
        show_plan(plan.changes, shown, slug, lines=True, verbose=verbose)
    if detailed_exitcode and plan.changes.has_changes:
        # a CI gate, not a failure: said on stderr as a notice, never as `Error:`
        output.notice(f"{len(plan.changes.changes)} changes pending for org {slug}")
        raise typer.Exit(ChangesPendingError.exit_code)


@app.command("export")
def export(
    ctx: typer.Context,
    out: YamlOutputOpt = None,
    force: ForceOpt = False,
    output_format: YamlFormatOpt = None,
    org: OrgOpt = None,
) -> None:
    """Write the org's catalog as YAML (deterministic: export -> import changes nothing)."""
    from volmify_cli.cli.output_files import export_yaml
    from volmify_cli.exchange.catalog_export import export_catalog

    state = AppContext.of(ctx)
    slug = state.org_slug(org)
    export_yaml(
        state,
        out,
        force=force,
        flag=output_format,
        produce=lambda session: export_catalog(session, org=slug),
    )


# `catalog convert` (a store's product CSV as a catalog file) lives in its own module.
from volmify_cli.cli.commands.catalog_convert import convert  # noqa: E402

app.command("convert")(convert)
