"""Settings resolved by one function: flag > environment > config file > default.

Nothing here runs at import time; `load_settings()` is called once per command invocation.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from volmify_cli.errors import ConfigError

APP_NAME = "volmify"
CONFIG_KEYS = ("database_url", "org", "locale", "format")
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
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown key {unknown[0]!r}",
            f"known keys: {', '.join(CONFIG_KEYS)}",
        )
    for key, value in data.items():
        if not isinstance(value, str):
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
    path.parent.mkdir(parents=True, exist_ok=True)
    # Every value is a string: a JSON string literal is a valid TOML basic string.
    text = "".join(
        f"{k} = {json.dumps(data[k], ensure_ascii=False)}\n" for k in CONFIG_KEYS if k in data
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
    return Settings(
        database_url=url or default_database_url(directory),
        database_is_default=not url,
        org=org or env.get("VOLMIFY_ORG") or config.get("org"),
        locale=locale or env.get("VOLMIFY_LOCALE") or config.get("locale") or DEFAULT_LOCALE,
        format=output_format or config.get("format"),
        config_path=path,
        data_dir=directory,
    )


def with_org(settings: Settings, org: str | None) -> Settings:
    return replace(settings, org=org) if org else settings
