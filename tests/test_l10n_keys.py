"""Locale keys keep the subtags that were written (babel would add likely scripts)."""

from __future__ import annotations

import pytest

from volmify_cli.l10n import LocaleError, canonical_key, describe_locale


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("zh-CN", "zh-CN"),  # babel: zh_Hans_CN; the registry seeds zh-CN
        ("zh_tw", "zh-TW"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("EN-us", "en-US"),
        ("de_at", "de-AT"),
        ("es-419", "es-419"),
        ("sr-RS", "sr-RS"),
        ("en", "en"),
    ],
)
def test_canonical_keys(written: str, key: str) -> None:
    assert canonical_key(written) == key
    assert describe_locale(written).key == key


def test_names_still_come_from_babel() -> None:
    info = describe_locale("zh-CN")
    assert info.english_name == "Chinese (Simplified, China)"
    assert describe_locale("ar-EG").direction == "rtl"


def test_unknown_is_refused() -> None:
    with pytest.raises(LocaleError, match="unknown locale 'xx-YY'"):
        canonical_key("xx-YY")
