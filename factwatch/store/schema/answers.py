"""The answers' tables: fact-checkers' answers to alerts (맞음 / 오탐 / 무시) and what follows from them.

Frozen: a migration that has shipped is never edited, and never calls live code, so a store of
any age opens the same way. New columns and tables are a new function at the end.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("factwatch.answers")


@MIGRATIONS()
def m001_answers(db: Database) -> None:
    # Every answer event, kept: a reaction removed is withdrawn (withdrawn_at), not deleted, so
    # the history shows a ❌ changed to ⭕. `source` makes a reply or a click one row however
    # often it is read; an active reaction is one row per (alert, person, emoji).
    db.table("bot_answers").create(
        {
            "id": int,
            "alert_id": int,
            "user": str,
            "kind": str,  # confirmed | false_alarm | ignored
            "via": str,  # reaction | reply | button
            "emoji": str,
            "reason": str,
            "source": str,
            "answered_at": str,
            "withdrawn_at": str,
            "read_at": str,
        },
        pk="id",
        foreign_keys=[("alert_id", "bot_alerts", "id")],
    )
    db.table("bot_answers").create_index(["source"], unique=True)
    db.table("bot_answers").create_index(["alert_id"])
    db.execute(
        "create unique index idx_bot_answers_active_reaction on bot_answers (alert_id, user, emoji) "
        "where via = 'reaction' and withdrawn_at is null"
    )
    # The answer in force per alert, with what identifies its finding (story, fact, figure):
    # a false alarm here keeps the same alert from coming back for the story's copies and edits.
    db.table("bot_alert_answers").create(
        {
            "alert_id": int,
            "kind": str,
            "user": str,
            "via": str,
            "reason": str,
            "answered_at": str,
            "finding_id": int,
            "story_id": int,
            "fact_id": str,
            "claimed": str,
            "claimed_key": str,  # the figure normalised as the outbox compares it
            "updated_at": str,
        },
        pk="alert_id",
    )
    db.table("bot_alert_answers").create_index(["story_id", "fact_id", "claimed_key"])
    # How far each alert's thread has been read (a Slack ts), so a reply is read once across restarts.
    db.table("bot_answer_threads").create({"alert_id": int, "replies_read_to": str, "read_at": str}, pk="alert_id")
    # The one "오탐으로 표시됨" thread note per alert, with the outbox's in-flight rule.
    db.table("bot_answer_notes").create(
        {
            "alert_id": int,
            "channel": str,
            "thread_ts": str,
            "status": str,  # pending | sending | sent
            "slack_ts": str,
            "last_error": str,
            "created_at": str,
            "attempted_at": str,
            "sent_at": str,
        },
        pk="alert_id",
    )
    # One maintainers' notice per fact whose false alarms passed the threshold; `fact_data` is
    # the fact's rule as it was, so an edit of the rule (an `exclude` word) starts a new count.
    db.table("bot_fact_notices").create(
        {"fact_id": str, "notice_key": str, "false_alarms": int, "fact_data": str, "raised_at": str, "cleared_at": str},
        pk="fact_id",
    )
    # One row per top-level alert posted to Slack (not the console: nobody can answer there), with its answer (NULL: none yet) and rule file;
    # the two precision views count it per fact and per rule file (`factwatch browse`).
    db.execute(
        """
        create view bot_alert_outcomes as
        select b.id as alert_id, b.fact_id,
               coalesce(f.description, json_extract(b.view, '$.fact_description'), b.fact_id) as fact,
               coalesce(f.file, nullif(substr(json_extract(b.view, '$.rule'), 1,
                        instr(json_extract(b.view, '$.rule'), ':') - 1), ''),
                        json_extract(b.view, '$.rule'), '(규칙 파일 없음)') as rule_file,
               a.kind as answer, a.reason, b.claimed, b.story_id, b.sent_at
        from bot_alerts b
        left join facts f on f.id = b.fact_id
        left join bot_alert_answers a on a.alert_id = b.id
        where b.kind = 'alert' and b.status = 'sent' and b.slack_ts not like 'console-%'
        """
    )
    for name, column in (("bot_precision_by_fact", "fact_id, fact"), ("bot_precision_by_rule_file", "rule_file")):
        db.execute(
            f"""
            create view {name} as
            select {column}, count(*) as alerts,
                   sum(answer = 'confirmed') as confirmed, sum(answer = 'false_alarm') as false_alarms,
                   sum(answer = 'ignored') as ignored, sum(answer is null) as no_answer,
                   round(1.0 * sum(answer = 'confirmed')
                         / nullif(sum(answer = 'confirmed') + sum(answer = 'false_alarm'), 0), 2) as precision
            from bot_alert_outcomes
            group by {column}
            """
        )
