"""The verdicts a finding can carry and the one Korean word for each, shared by the CLI report,
Slack messages and the docs (tests/test_verdicts.py checks that README.md and rules/README.md
teach the same words).

The enum's values are the strings stored in SQLite (`findings.verdict`, the JSON of
`findings.data` and `bot_alerts.view`), so stored rows read back unchanged.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    MATCH = "match"  # the value, or a rounding within the fact's `rounding`
    CONFLICT = "conflict"  # outside what the figure can mean
    IMPRECISE = "imprecise"  # a hedge or rounding that covers the value but loses too much precision
    OUTDATED = "outdated"  # the value of an earlier version
    UNKNOWN = "unknown"  # no version to judge against (no date, or none registered yet)
    SUM_MISMATCH = "sum_mismatch"  # a total and its bracketed parts that do not add up


# The one label table. Words a Korean fact-checker uses: a wrong figure, date or role holder is
# 사실과 다름 (not only 수치: a succeeded director is a conflict too); an old value is 지난 정보.
VERDICT_KO: dict[str, str] = {
    Verdict.MATCH: "일치",
    Verdict.CONFLICT: "사실과 다름",
    Verdict.IMPRECISE: "지나친 어림",
    Verdict.OUTDATED: "지난 정보",
    Verdict.UNKNOWN: "판단 보류",
    Verdict.SUM_MISMATCH: "합계 불일치",
}

# The verdicts that raise an alert.
ALERT_VERDICTS: frozenset[Verdict] = frozenset(
    {Verdict.CONFLICT, Verdict.IMPRECISE, Verdict.OUTDATED, Verdict.SUM_MISMATCH})

# What a rule file's example may expect (`examples: flag: - verdict: …`).
EXAMPLE_VERDICTS: tuple[Verdict, ...] = (Verdict.MATCH, Verdict.CONFLICT, Verdict.IMPRECISE, Verdict.OUTDATED)


def verdict_label(verdict: str) -> str:
    """The Korean word for a verdict; an unknown string (a row from a newer version) as written."""
    return VERDICT_KO.get(verdict, verdict)


__all__ = ["Verdict", "VERDICT_KO", "ALERT_VERDICTS", "EXAMPLE_VERDICTS", "verdict_label"]
