"""Where factwatch finds its database, rule files, sources and settings: options, environment, defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Every path setting has a command-line option (see factwatch/cli.py), an environment
# variable and a default, in that order of precedence, so a staging run or a test can
# point anywhere without editing files.
ENV_DB = "FACTWATCH_DB"
ENV_RULES = "FACTWATCH_RULES"
ENV_SOURCES = "FACTWATCH_SOURCES"
ENV_CONFIG = "FACTWATCH_CONFIG"

DEFAULT_DB = "factwatch.db"
DEFAULT_RULES = "rules"
DEFAULT_SOURCES = "sources.yaml"
DEFAULT_CONFIG = "factwatch.yaml"


class ConfigError(ValueError):
    """A settings file is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class Settings:
    db_path: Path
    rules_dir: Path
    sources_path: Path
    config_path: Path
    # The parsed `factwatch.yaml` (empty when the file does not exist): the bot reads its
    # `slack:` and `schedule:` sections, the crawler its `crawl:` section.
    config: dict = field(default_factory=dict)


def resolve_settings(
    db: str | None = None,
    rules: str | None = None,
    sources: str | None = None,
    config: str | None = None,
    environ: dict | None = None,
) -> Settings:
    env = os.environ if environ is None else environ
    config_path = Path(config or env.get(ENV_CONFIG) or DEFAULT_CONFIG)
    return Settings(
        db_path=Path(db or env.get(ENV_DB) or DEFAULT_DB),
        rules_dir=Path(rules or env.get(ENV_RULES) or DEFAULT_RULES),
        sources_path=Path(sources or env.get(ENV_SOURCES) or DEFAULT_SOURCES),
        config_path=config_path,
        config=load_config_file(config_path, required=bool(config or env.get(ENV_CONFIG))),
    )


def load_config_file(path: Path, required: bool = False) -> dict:
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: 설정 파일이 없습니다")
        return {}
    from checker.rulefile import explain_yaml_error, load_yaml_with_lines

    try:
        # Mappings that remember their lines, so bot/settings.py names factwatch.yaml:LINE.
        data = load_yaml_with_lines(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        line, reason = explain_yaml_error(error)
        raise ConfigError(f"{path}:{line}: YAML 문법 오류: {reason}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: YAML 문법 오류: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: 설정 파일의 최상위는 'key: value' 형태여야 합니다")
    return data
