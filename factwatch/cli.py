"""The `factwatch` command: one click group; each part of the flow contributes its own commands."""

from __future__ import annotations

import click

from factwatch.config import ConfigError, resolve_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="FACTWATCH_DB", help="SQLite store path [env FACTWATCH_DB; default factwatch.db]")
@click.option("--rules", envvar="FACTWATCH_RULES", help="Rule files directory [env FACTWATCH_RULES; default rules/]")
@click.option("--sources", envvar="FACTWATCH_SOURCES", help="News sources file [env FACTWATCH_SOURCES; default sources.yaml]")
@click.option("--config", envvar="FACTWATCH_CONFIG", help="Bot settings file [env FACTWATCH_CONFIG; default factwatch.yaml]")
@click.version_option(None, "-V", "--version", package_name="factwatch")
@click.pass_context
def cli(ctx: click.Context, db, rules, sources, config) -> None:
    """Check Korean news articles against the canonical facts in rules/.

    \b
    Example:
        factwatch check article.txt --published 2021-11-22
    """
    try:
        ctx.obj = resolve_settings(db=db, rules=rules, sources=sources, config=config)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def _register() -> None:
    from bot.commands import COMMANDS as bot_commands
    from checker.commands import COMMANDS as checker_commands
    from crawler.commands import COMMANDS as crawler_commands
    from factwatch.browse import COMMANDS as browse_commands
    from factwatch.schemas import COMMANDS as schema_commands

    for command in (*checker_commands, *crawler_commands, *bot_commands, *browse_commands, *schema_commands):
        cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="factwatch")
