"""`factwatch crawl` (filled in by the crawler work)."""

COMMANDS: list = []
