"""`factwatch check`, `recheck`, `rules check`, `rules test`."""

COMMANDS: list = []
