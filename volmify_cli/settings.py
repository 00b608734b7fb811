"""Settings resolved by one function: flag > environment > config file > default.

Nothing here runs at import time; `load_settings()` is called once per command invocation.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from volmify_cli.errors import ConfigError

APP_NAME = "volmify"
CONFIG_KEYS = ("database_url", "org", "locale", "format")
ORGS_TABLE = "orgs"  # [orgs]: `volmify orgs use` remembered per database (masked URL -> slug)
DEFAULT_LOCALE = "en-US"


@dataclass(frozen=True)
class Settings:
    database_url: str
    database_is_default: bool
    org: str | None
    locale: str
    format: str | None
    config_path: Path
    data_dir: Path
    # where each of database_url, org, locale came from (for `volmify status`)
    sources: Mapping[str, str] = field(default_factory=dict)


def data_dir() -> Path:
    home = os.environ.get("VOLMIFY_HOME")
    if home:
        return Path(home) / "data"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    explicit = os.environ.get("VOLMIFY_CONFIG")
    if explicit:
        return Path(explicit)
    home = os.environ.get("VOLMIFY_HOME")
    if home:
        return Path(home) / "config" / "config.toml"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def read_config(path: Path) -> dict[str, Any]:
    """Read the TOML config; a missing file is an empty config, a broken one a clear error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {*CONFIG_KEYS, ORGS_TABLE})
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown key {unknown[0]!r}",
            f"known keys: {', '.join(CONFIG_KEYS)}, [{ORGS_TABLE}]",
        )
    for key, value in data.items():
        if key == ORGS_TABLE:
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(
                    f"config file {path}: [{ORGS_TABLE}] maps database URLs to org slugs"
                )
        elif not isinstance(value, str):
            raise ConfigError(f"config file {path}: {key} must be a string")
    return data


def write_config_value(path: Path, key: str, value: str) -> None:
    """Set one key in the config file, keeping the others. Written whole or not at all; it may
    hold a database password, so a new file is 0600 and an existing one keeps its mode.
    Raises ConfigError, and what `volmify_cli.files.write_file` raises (FileWriteError...)."""
    if key not in CONFIG_KEYS:
        raise ConfigError(f"unknown config key {key!r}")
    data = read_config(path)
    data[key] = value
    _write_config(path, data)


def remember_org(path: Path, database_url: str, slug: str) -> None:
    """`volmify orgs use SLUG`: the default org of this database only (another database keeps
    its own). Raises what `write_config_value` raises."""
    data = read_config(path)
    data.setdefault(ORGS_TABLE, {})[org_key(database_url)] = slug
    _write_config(path, data)


def org_key(database_url: str) -> str:
    """A database's key in [orgs]: its URL masked (no password is written twice)."""
    from volmify_cli.db.urls import mask_url

    return mask_url(database_url)


def _write_config(path: Path, data: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Every value is a string: a JSON string literal is a valid TOML basic string (and key).
    text = "".join(
        f"{k} = {json.dumps(data[k], ensure_ascii=False)}\n" for k in CONFIG_KEYS if k in data
    )
    if data.get(ORGS_TABLE):
        text += f"\n[{ORGS_TABLE}]\n" + "".join(
            f"{json.dumps(url, ensure_ascii=False)} = {json.dumps(slug, ensure_ascii=False)}\n"
            for url, slug in data[ORGS_TABLE].items()
        )
    from volmify_cli.files import write_file

    write_file(path, text, force=True, private=True)


def default_database_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'volmify.db'}"


def load_settings(
    *,
    db: str | None = None,
    org: str | None = None,
    locale: str | None = None,
    output_format: str | None = None,
) -> Settings:
    """Resolve every setting. Flags win over VOLMIFY_* variables, which win over the config file.

    Raises ConfigError when the config file is unreadable or malformed.
    """
    env = os.environ
    path = config_path()
    config = read_config(path)
    directory = data_dir()
    url = db or env.get("VOLMIFY_DATABASE_URL") or config.get("database_url")
    database_url = url or default_database_url(directory)
    used = config.get(ORGS_TABLE, {}).get(org_key(database_url)) if config.get(ORGS_TABLE) else None
    chosen_org, org_source = _first(
        (org, "--org"),
        (env.get("VOLMIFY_ORG"), "VOLMIFY_ORG"),
        (used, f"orgs use, for this database ({path})"),
        (config.get("org"), f"config ({path})"),
    )
    chosen_locale, locale_source = _first(
        (locale, "--locale"),
        (env.get("VOLMIFY_LOCALE"), "VOLMIFY_LOCALE"),
        (config.get("locale"), f"config ({path})"),
        (DEFAULT_LOCALE, "default"),
    )
    _url, url_source = _first(
        (db, "--db"),
        (env.get("VOLMIFY_DATABASE_URL"), "VOLMIFY_DATABASE_URL"),
        (config.get("database_url"), f"config ({path})"),
        (database_url, "default (the embedded SQLite database)"),
    )
    return Settings(
        database_url=database_url,
        database_is_default=not url,
        org=chosen_org,
        locale=str(chosen_locale),
        format=output_format or config.get("format"),
        config_path=path,
        data_dir=directory,
        sources={"database_url": url_source, "org": org_source, "locale": locale_source},
    )


def _first(*candidates: tuple[str | None, str]) -> tuple[str | None, str]:
    """The first value given, and where it came from ("" and "not set" when none is)."""
    for value, source in candidates:
        if value:
            return value, source
    return None, "not set"


def with_org(settings: Settings, org: str | None) -> Settings:
    return replace(settings, org=org) if org else settings
