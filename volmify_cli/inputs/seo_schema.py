"""`seo:` of a product, brand or collection in a catalog (SPEC 4, issue 21): per locale of the
entity's translations, what search engines and link previews read of its page.

    seo:
      en-US: {title: ..., description: ..., canonical_url: https://..., robots: "noindex", image: https://...}

Written like a TEXT's locale map (locale -> value), the value a mapping of the five fields,
each optional, at least one given. Every field is checked by its rule in the rule book, the
same the `--seo-*` options use; robots is kept as the rule book writes it (lower-case,
`, `-separated), so a file and the database compare equal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import PlainValidator, model_validator

from volmify_cli import rulebook as rb
from volmify_cli.errors import VolmifyError
from volmify_cli.inputs.documents import DocModel
from volmify_cli.inputs.fields import Str, _fail, _reason, _text
from volmify_cli.inputs.marks import Scalar

# The document's keys, in the order a file and an export write them, and their columns.
SEO_FIELDS = ("title", "description", "canonical_url", "robots", "image")


def _seo_value(check: Callable[[str], str]) -> Callable[[Any], Scalar]:
    """Text that passes `check` of the rule book, kept as the check returns it."""

    def validate(value: Any) -> Scalar:
        text = _text(value)
        try:
            checked = check(str(text))
        except VolmifyError as exc:
            raise _fail(_reason(exc)) from None
        return Scalar(checked, text.line, text.column, text.plain)

    return validate


SeoTitle = Annotated[Scalar, PlainValidator(_seo_value(rb.SEO_TITLE.check))]
SeoDescription = Annotated[Scalar, PlainValidator(_seo_value(rb.SEO_DESCRIPTION.check))]
SeoCanonicalUrl = Annotated[
    Scalar, PlainValidator(_seo_value(lambda v: rb.check_seo_url(rb.SEO_CANONICAL_URL, v)))
]
SeoImage = Annotated[
    Scalar, PlainValidator(_seo_value(lambda v: rb.check_seo_url(rb.SEO_IMAGE, v)))
]
Robots = Annotated[Scalar, PlainValidator(_seo_value(rb.check_robots))]


class SeoDoc(DocModel):
    title: SeoTitle | None = None
    description: SeoDescription | None = None
    canonical_url: SeoCanonicalUrl | None = None
    robots: Robots | None = None
    image: SeoImage | None = None

    @model_validator(mode="after")
    def _something(self) -> SeoDoc:
        if all(getattr(self, name) is None for name in SEO_FIELDS):
            raise ValueError("give at least one of: " + ", ".join(SEO_FIELDS))
        return self

    def values(self) -> tuple[str | None, ...]:
        """The five values in SEO_FIELDS order, as stored (None where not given)."""
        return tuple(
            None if (value := getattr(self, name)) is None else str(value) for name in SEO_FIELDS
        )


# locale -> SEO of that locale's translation
Seo = dict[Str, SeoDoc]


def seo_document(values: dict[str, str | None]) -> SeoDoc:
    """An SEO document from values already checked (stored, or by a command's rules)."""
    fields: dict[str, Any] = {name: values.get(name) for name in SEO_FIELDS}
    return SeoDoc.model_construct(**fields)
