from __future__ import annotations

from pathlib import Path

import pytest

from volmify_cli.errors import ConfigError
from volmify_cli.settings import config_path, load_settings, read_config, write_config_value


def test_default_is_embedded_sqlite_under_volmify_home(hermetic_env: Path) -> None:
    settings = load_settings()
    assert settings.database_is_default
    assert settings.database_url == f"sqlite:///{hermetic_env / 'data' / 'volmify.db'}"
    assert settings.locale == "en-US"
    assert settings.org is None


def test_precedence_flag_env_config(hermetic_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config_value(config_path(), "database_url", "sqlite:///from-config.db")
    write_config_value(config_path(), "org", "config-org")
    assert load_settings().database_url == "sqlite:///from-config.db"
    assert load_settings().org == "config-org"
    monkeypatch.setenv("VOLMIFY_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("VOLMIFY_ORG", "env-org")
    assert load_settings().database_url == "sqlite:///from-env.db"
    assert load_settings().org == "env-org"
    settings = load_settings(db="sqlite:///from-flag.db", org="flag-org")
    assert (settings.database_url, settings.org, settings.database_is_default) == (
        "sqlite:///from-flag.db",
        "flag-org",
        False,
    )


def test_volmify_config_points_at_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text('locale = "de-DE"\n')
    monkeypatch.setenv("VOLMIFY_CONFIG", str(config))
    assert load_settings().locale == "de-DE"


def test_write_keeps_other_keys_and_quotes_safely(hermetic_env: Path) -> None:
    path = config_path()
    write_config_value(path, "org", 'we"ird\\org')
    write_config_value(path, "locale", "ar-EG")
    assert read_config(path) == {"org": 'we"ird\\org', "locale": "ar-EG"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("org = [", "not valid TOML"),
        ("colour = 'red'", "unknown key 'colour'"),
        ("org = 3", "must be a string"),
    ],
)
def test_broken_config_is_a_clear_error(hermetic_env: Path, content: str, message: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings()
