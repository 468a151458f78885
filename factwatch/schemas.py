"""The three declared file schemas by name, their JSON Schema export for editors, and the
`factwatch schema …` commands (`factwatch rules schema` is the same for rule files).

The exported files are committed in schemas/ so that the `# yaml-language-server: $schema=…`
line at the top of rules/*.yaml and the example files finds them in a checkout;
tests/test_schema_export.py fails when they differ from what the loader's models export.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from factwatch.fileschema import json_schema
from factwatch.options import with_settings

NAMES = ("rules", "sources", "settings")
SCHEMA_DIR = "schemas"  # in the repository, next to rules/


def model_of(name: str):
    if name == "rules":
        from checker.schema import RuleFileSpec

        return RuleFileSpec
    if name == "sources":
        from crawler.sources_schema import SourcesFileSpec

        return SourcesFileSpec
    from bot.settings_schema import SettingsFileSpec

    return SettingsFileSpec


_ABOUT = {
    "rules": ("factwatch rule file", "One program (topic) and its canonical facts; see rules/README.md."),
    "sources": ("factwatch sources file", "The feeds, sitemaps, listings and searches to crawl; see docs/crawler.md."),
    "settings": ("factwatch settings file", "factwatch.yaml: Slack, schedules, health, new values, crawl settings; "
                                            "see docs/bot.md."),
}


def export(name: str) -> dict:
    title, description = _ABOUT[name]
    return json_schema(model_of(name), title, description)


def export_text(name: str) -> str:
    return json.dumps(export(name), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def schema_file(name: str) -> str:
    return f"{SCHEMA_DIR}/{name}.schema.json"


def write_schema(name: str, out: str | None) -> None:
    text = export_text(name)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"{out}: {name} JSON Schema를 썼습니다", err=True)
    else:
        click.echo(text, nl=False)


@click.group("schema")
def schema() -> None:
    """The declared schema of the files people edit: JSON Schema for editors, key tables for the docs.

    \b
    Examples:
        factwatch schema rules --out schemas/rules.schema.json
        factwatch schema docs --write
    """


def _export_command(name: str):
    @schema.command(name)
    @click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
    @with_settings
    def command(settings, out):
        write_schema(name, out)

    command.help = f"Print the JSON Schema of the {name} file (for `# yaml-language-server: $schema=…`)."
    return command


for _name in NAMES:
    _export_command(_name)


@schema.command("docs")
@click.option("--write", is_flag=True, help="Rewrite the generated tables in place.")
@with_settings
def schema_docs(settings, write):
    """Check (or --write) the key tables in rules/README.md and docs/*.md, generated from the schema.

    Run from the repository root; exits 1 when a table differs from the schema (without --write).
    """
    from factwatch.schema_docs import stale_docs, write_docs

    if write:
        for path in write_docs(Path.cwd()):
            click.echo(f"{path}: 표를 다시 썼습니다", err=True)
        return
    stale = stale_docs(Path.cwd())
    for path in stale:
        click.echo(f"{path}: 스키마와 다른 표가 있습니다 (factwatch schema docs --write)", err=True)
    if stale:
        raise SystemExit(1)


COMMANDS = [schema]
