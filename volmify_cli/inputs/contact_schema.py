"""`contact:` in documents (issue 21): an org's, a brand's or an instructor's e-mail, phone,
website and postal address, each read by the rule book's contact checks (the commands' rules)
and kept in the form stored, so a file's value compares with the database's as it is.

A phone in a file is written with + and its country code: a file has no `--region`, and the
number it means must not depend on which market is the default at the time of the import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import PlainValidator, model_validator

from volmify_cli import rulebook as rb
from volmify_cli.errors import RuleError
from volmify_cli.inputs.documents import DocModel
from volmify_cli.inputs.fields import text_rule
from volmify_cli.inputs.marks import Scalar


def _stored(check: Callable[[str], str]) -> Callable[[Any], Scalar]:
    """Text checked by `check`, replaced by the form it returns (its position kept)."""
    read = text_rule(check)

    def validate(value: Any) -> Scalar:
        text = read(value)
        return Scalar(check(str(text)), text.line, text.column, text.plain)

    return validate


def _international_phone(value: str) -> str:
    try:
        return rb.check_contact_phone(value, None)
    except RuleError as exc:
        hint = "in a file, write it with + and its country code (e.g. +49 30 901820)"
        raise RuleError(exc.reason, hint if exc.hint else None) from None


ContactEmail = Annotated[Scalar, PlainValidator(_stored(rb.check_contact_email))]
ContactPhone = Annotated[Scalar, PlainValidator(_stored(_international_phone))]
ContactWebsite = Annotated[Scalar, PlainValidator(_stored(rb.check_contact_website))]
ContactAddress = Annotated[Scalar, PlainValidator(_stored(rb.check_contact_address))]


class ContactDoc(DocModel):
    email: ContactEmail | None = None
    phone: ContactPhone | None = None
    website: ContactWebsite | None = None
    address: ContactAddress | None = None

    @model_validator(mode="after")
    def _something(self) -> ContactDoc:
        if not self.model_fields_set:
            raise ValueError("a contact holds at least one of email, phone, website, address")
        return self

    def values(self) -> dict[str, str | None]:
        """The fields as plain text (None: not given), by name."""
        return {
            name: (str(value) if (value := getattr(self, name)) is not None else None)
            for name in ("email", "phone", "website", "address")
        }
