"""The answers of the second process that reads a large catalog's last products
(exchange/product_text.TailReader), recorded as they come back."""

from __future__ import annotations

from typing import Any

import pytest

from volmify_cli.exchange import product_text


def tail_answers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each answer (products and digests, or None: read in one piece) as the reader takes it."""
    answers: list[Any] = []
    products = product_text.TailReader.products

    def recorded(self: product_text.TailReader) -> Any:
        answers.append(products(self))
        return answers[-1]

    monkeypatch.setattr(product_text.TailReader, "products", recorded)
    return answers
