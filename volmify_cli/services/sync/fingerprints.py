"""The catalog import's memory of the products it read (`org_catalog_fingerprint`): read before
the files, so that the reader can skip a product whose text is unchanged; checked again under the
import's lock; written back after the import's last write.

A fingerprint stands for "the org's rows of this product are what this text says". The import
makes that true when it writes one; every other write to the org deletes them
(`db/fingerprints.py`). A product with a `course:` block is always read (its lessons may be
shared with other courses), so it never has one.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence

from sqlmodel import Session

from volmify_cli.db.bulk import Bulk, Scope
from volmify_cli.db.fingerprints import TABLE
from volmify_cli.errors import VolmifyError
from volmify_cli.inputs.catalog_model import Catalog, CatalogFile, Fingerprint, context_digest
from volmify_cli.models.products import OrgCatalogFingerprint
from volmify_cli.services.sync import tables as t

# Above this many products read, the whole org's rows are read at once (cheaper than the
# scopes' long IN lists).
SCOPED_READS = 2000


class StaleFingerprints(VolmifyError):
    """Another write changed the org between reading the files and taking the import's lock:
    the products skipped as unchanged must be read after all."""

    def __init__(self) -> None:
        super().__init__("the catalog changed while the files were read")


def stored(session: Session, org_slug: str) -> dict[str, Fingerprint]:
    """The org's fingerprints by the digest of the product's text (empty for a new org)."""
    db = Bulk(session)
    rows = db.query(
        f"SELECT f.text_digest, p.slug, f.context_digest, f.counts, f.instructors"
        f" FROM {TABLE} f"
        f" JOIN {t.PRODUCT.name} p ON p.org_id = f.org_id AND p.id = f.product_id"
        " JOIN org o ON o.id = f.org_id WHERE o.slug = ?",
        (org_slug,),
    )
    return {digest: Fingerprint(*rest) for digest, *rest in rows}


def verify(session: Session, org_slug: str, files: Sequence[CatalogFile]) -> None:
    """Raise StaleFingerprints when a product skipped as unchanged lost its fingerprint (the
    org was written to since the files were read)."""
    skipped = [u for file in files for u in file.unchanged]
    if not skipped:
        return
    now = stored(session, org_slug)
    for product in skipped:
        if now.get(product.digest) != product.fingerprint:
            raise StaleFingerprints()


def read_scopes(org_id: str, slugs: Sequence[str]) -> dict[str, Scope]:
    """The scopes that read only the rows of the products in `slugs` (the products the files
    changed) from the tables below a product. Variants and plans are read whole: offers and
    collections may name those of any product."""
    marks = ", ".join("?" for _ in slugs)
    products: Scope = (f"SELECT id FROM {t.PRODUCT.name} WHERE 1 = 0", ())
    if slugs:
        where = f"org_id = ? AND slug IN ({marks})"
        products = (f"SELECT id FROM {t.PRODUCT.name} WHERE {where}", (org_id, *slugs))
    variants = _within(t.VARIANT.name, "product_id", products, org_id)
    plans = _within(t.PLAN.name, "variant_id", variants, org_id)
    prices = _within(t.PRICE.name, "plan_id", plans, org_id)
    scopes: dict[str, Scope] = {}
    for table in t.OF_PRODUCT:
        scopes[table.name] = (f"product_id IN ({products[0]})", products[1])
    scopes[t.VARIANT_TR.name] = (f"variant_id IN ({variants[0]})", variants[1])
    for table in (t.PLAN_TR, t.ONE_TIME, t.SUBSCRIPTION, t.USAGE, t.PRICE):
        scopes[table.name] = (f"plan_id IN ({plans[0]})", plans[1])
    scopes[t.TIER.name] = (f"price_id IN ({prices[0]})", prices[1])
    return scopes


def _within(table: str, parent: str, parents: Scope, org_id: str) -> Scope:
    return (
        f"SELECT id FROM {table} WHERE org_id = ? AND {parent} IN ({parents[0]})",
        (org_id, *parents[1]),
    )


def show_counts(counts: Mapping[str, int]) -> str:
    return " ".join(f"{kind}={n}" for kind, n in sorted(counts.items()) if n)


def read_counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for item in text.split():
        kind, _, n = item.partition("=")
        counts[kind] += int(n)
    return counts


def write(
    db: Bulk,
    org_id: str,
    files: Sequence[CatalogFile],
    catalog: Catalog,
    product_ids: Mapping[str, str],
    counts: Mapping[str, str],
    instructors: Mapping[str, str],
    *,
    prune: bool,
) -> None:
    """Replace the org's fingerprints with those of this import's products: every product
    read (its digest, what it counted, the instructors it names) and every product skipped
    (as it was)."""
    context = context_digest(files, prune=prune)
    org = uuid.UUID(hex=org_id)
    rows = []
    for file in files:
        for slug, digest in file.digests.items():
            if slug in counts:
                row = _row(org, product_ids[slug], digest, context, counts[slug], instructors[slug])
                rows.append(row)
        for skipped in file.unchanged:
            if catalog.unchanged.get(skipped.slug) is skipped:
                fingerprint = skipped.fingerprint
                rows.append(
                    _row(
                        org,
                        product_ids[skipped.slug],
                        skipped.digest,
                        context,
                        fingerprint.counts,
                        fingerprint.instructors,
                    )
                )
    db.execute_many(f"DELETE FROM {TABLE} WHERE org_id = ?", [(org_id,)])
    db.insert_rows(OrgCatalogFingerprint, rows)


def _row(
    org: uuid.UUID, product_id: str, digest: str, context: str, counts: str, refs: str
) -> dict[str, object]:
    return {
        "org_id": org,
        "product_id": uuid.UUID(hex=product_id),
        "text_digest": digest,
        "context_digest": context,
        "counts": counts,
        "instructors": refs,
    }
