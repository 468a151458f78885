"""The bot's crawl child: `factwatch crawl` in a process group that ends with the bot.

Started by bot/crawl_job.py in a session of its own (so a Ctrl-C in the operator's terminal
reaches only the bot). It

- ends its whole group — Scrapy included — when it gets SIGTERM (the bot stopping it, or the
  bot dying: Linux sends the signal chosen with PR_SET_PDEATHSIG when the parent goes, even
  on kill -9), so no crawl outlives the bot;
- writes its own exit code into the bot's crawl row, so a bot that died before it could record
  the crawl does not later call a crawl that finished "interrupted".
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from datetime import UTC, datetime

# Both standard library only: cheap before the signal handlers are set.
from bot.crawl_marks import ENV_DB, ENV_PARENT, ENV_RUN
from bot.procgroup import end_group

# Scrapy finishes its in-flight requests on SIGTERM; a hung one must not hold the bot's exit.
GROUP_GRACE_SECONDS = 5
_PR_SET_PDEATHSIG = 1


def _end_group(signum, _frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # our own killpg below must not cut this short
    end_group(os.getpgrp(), GROUP_GRACE_SECONDS, spare=os.getpid())
    os._exit(128 + signum)  # not a finished crawl: nothing is recorded as its exit code


def _die_with_parent() -> None:
    with contextlib.suppress(Exception):  # Linux only; elsewhere the bot's start-up check catches leftovers
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    parent = os.environ.get(ENV_PARENT)
    if parent and os.getppid() != int(parent):  # the bot died before the line above ran
        _end_group(signal.SIGTERM, None)


def _record_exit(code: int) -> None:
    run_id, db_path = os.environ.get(ENV_RUN), os.environ.get(ENV_DB)
    if not run_id or not db_path:
        return
    # Imported here, not at the top: main() installs the signal handlers before anything slow
    # is imported, so a SIGTERM that comes early still ends the whole group.
    from factwatch.store import bot_runs, open_db

    try:
        db = open_db(db_path)
        try:
            bot_runs.save_child_exit(db, int(run_id), code, datetime.now(UTC))
        finally:
            db.close()
    except Exception as error:  # noqa: BLE001 — the bot records the crawl too; say why this copy is missing
        print(f"수집 종료 코드를 저장소에 적지 못했습니다: {error}", file=sys.stderr)


def main() -> None:
    signal.signal(signal.SIGTERM, _end_group)
    signal.signal(signal.SIGHUP, _end_group)
    _die_with_parent()
    from factwatch.cli import cli

    try:
        cli.main(args=sys.argv[1:], prog_name="factwatch")
        code = 0
    except SystemExit as exit_:
        if isinstance(exit_.code, str):
            print(exit_.code, file=sys.stderr)  # what Python would print had the exit not been caught
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    _record_exit(code)
    sys.exit(code)


if __name__ == "__main__":
    main()
