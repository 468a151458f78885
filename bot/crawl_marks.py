"""The environment the bot gives each crawl child: how the child finds its row in
`bot_crawl_runs`, and how a restarted bot recognises a leftover crawl as its own."""

from __future__ import annotations

ENV_RUN = "FACTWATCH_BOT_CRAWL_RUN"  # the bot_crawl_runs id, also how a leftover crawl is recognised
ENV_DB = "FACTWATCH_BOT_CRAWL_DB"  # the store, absolute
ENV_PARENT = "FACTWATCH_BOT_PID"
