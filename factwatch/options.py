"""The path options every factwatch command accepts, before or after the command name."""

from __future__ import annotations

import functools
import sqlite3

import click

from factwatch.config import ConfigError, Settings, resolve_settings

_PATH_OPTIONS = (
    ("--db", "SQLite store path [env FACTWATCH_DB; default factwatch.db]"),
    ("--rules", "Rule files directory [env FACTWATCH_RULES; default rules/]"),
    ("--sources", "News sources file [env FACTWATCH_SOURCES; default sources.yaml]"),
    ("--config", "Bot settings file [env FACTWATCH_CONFIG; default factwatch.yaml]"),
)


def with_settings(command=None, *, db_help: str | None = None):
    """Give a command `settings: Settings` built from its own options, the group's, env and defaults.

    `factwatch --db x.db check a.txt` and `factwatch check --db x.db a.txt` mean the same.
    `db_help` replaces the --db help for a command whose store default differs (`demo`).
    """
    if command is None:
        return lambda real: with_settings(real, db_help=db_help)

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        settings = _merged(kwargs, ctx.find_object(Settings))
        return _with_store_errors(ctx, settings, lambda: command(*args, settings=settings, **kwargs))

    return _add_path_options(wrapper, db_help)


def settings_group(group):
    """The same options for a sub-command group (`factwatch rules --rules X check`): what the
    group is given becomes the settings its sub-commands start from."""

    @functools.wraps(group)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        ctx.obj = _merged(kwargs, ctx.find_object(Settings))
        return group(*args, **kwargs)

    return _add_path_options(wrapper)


def _merged(kwargs: dict, group: Settings | None) -> Settings:
    """Settings from the path options in `kwargs` (removed from it) over the enclosing group's."""
    own = {name.lstrip("-"): kwargs.pop(name.lstrip("-")) for name, _ in _PATH_OPTIONS}
    if not any(own.values()) and group is not None:
        return group
    try:
        return resolve_settings(
            db=own["db"] or (str(group.db_path) if group else None),
            rules=own["rules"] or (str(group.rules_dir) if group else None),
            sources=own["sources"] or (str(group.sources_path) if group else None),
            config=own["config"] or (str(group.config_path) if group and group.config else None),
        )
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def _add_path_options(wrapper, db_help: str | None = None):
    for name, help_text in reversed(_PATH_OPTIONS):
        if name == "--db" and db_help:
            help_text = db_help
        wrapper = click.option(name, default=None, help=help_text)(wrapper)
    return wrapper


EXIT_BAD_INPUT = 2


def _with_store_errors(ctx: click.Context, settings: Settings, run):
    """A store that cannot be used is bad input (exit 2, one line), not a crash with a traceback
    and exit 1, which would read as "alerts found"."""
    from factwatch.store import StoreError, store_problem

    try:
        return run()
    except StoreError as error:
        message = str(error)
    except sqlite3.Error as error:  # met after opening, e.g. the first write to a read-only file
        message = store_problem(settings.db_path, error)
    click.echo(f"오류: {message}", err=True)
    ctx.exit(EXIT_BAD_INPUT)
