"""`factwatch run`, `demo`, `status` (filled in by the bot work)."""

COMMANDS: list = []
