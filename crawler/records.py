"""The crawler's tables: crawl runs and per-source statistics (filled in by the crawler work)."""

from sqlite_utils import Migrations

MIGRATIONS = Migrations("factwatch.crawler")
