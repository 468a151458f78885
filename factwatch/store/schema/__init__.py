"""Every table's schema, as sqlite-utils migration sets applied in this order by `open_db`.

One module per set; the set names ("factwatch.checker" …) are recorded in each store's
`_sqlite_migrations` table and never change.
"""

from __future__ import annotations

from factwatch.store.schema import bot, checker, crawler

MIGRATION_SETS = (checker.MIGRATIONS, crawler.MIGRATIONS, bot.MIGRATIONS)
