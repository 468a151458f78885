"""The Slack outbox: one row per alert, delivered exactly once (filled in by the bot work)."""

from sqlite_utils import Migrations

MIGRATIONS = Migrations("factwatch.bot")
