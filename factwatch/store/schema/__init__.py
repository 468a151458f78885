"""Every table's schema, as sqlite-utils migration sets applied in this order by `open_db`.

One module per set; the set names ("factwatch.checker" …) are recorded in each store's
`_sqlite_migrations` table and never change.
"""

from __future__ import annotations

from factwatch.store.schema import answers, bot, checker, crawler

# answers last: its views read the bot's and the checker's tables.
MIGRATION_SETS = (checker.MIGRATIONS, crawler.MIGRATIONS, bot.MIGRATIONS, answers.MIGRATIONS)
