"""The alert policy: what one checked article version means for the outbox; pure.

Given the alerts already made about a story (syndicated copies included) and the findings of
a new version, decide per finding:
- a new alert (a figure not alerted in this story before);
- a thread reply on the first alert (an edit of the article changed the figure, "update");
- a regression reply (an edit brought back a figure that had been corrected);
- a correction reply per earlier alert whose fact no longer alerts ("바로잡힘", "corrected");
- nothing (the figure was alerted already, in this article or in a copy of the story).
A new alert or reply on a claim under a maintainer's question is queued held ("규칙 확인 중").

"The same figure" is the parsed value (checker/alertable.py figure_key: 4천억원 = 4000억원);
alerts stored before figures existed are compared by their text, normalised.
bot/outbox.py applies the decisions; tests/test_alert_policy.py is their table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from checker.alertable import AlertableFinding, CheckedVersion

ALERT, UPDATE, CORRECTED = "alert", "update", "corrected"

_INVISIBLE = re.compile(r"[\s,\u200b\u200c\u200d\u2060\ufeff]+")


def normalize_claimed(claimed: str | None) -> str:
    """The claimed figure as written, as a key: NFKC, no spaces, zero-width characters or thousands commas.

    "4,000억원", "4000억 원" and "４０００억원" are one text.
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", claimed or ""))


def figure_of(finding: AlertableFinding) -> str:
    """What an alert key says about the figure: the parsed figure, else the text normalised."""
    return finding.figure or normalize_claimed(finding.claimed)


def build_dedup_key(story_id: int | None, fact_key: str, figure: str) -> str:
    """Same story (syndicated copies included), same fact, same figure → same alert."""
    return f"{story_id}|{fact_key}|{figure}"


@dataclass(frozen=True)
class PriorAlert:
    """What the policy needs to know of an alert already in the outbox."""

    id: int
    kind: str  # alert | update | corrected
    parent_id: int | None
    article_id: int | None
    version_id: int | None
    fact_key: str | None
    claimed: str | None
    figure: str | None  # None: stored before figures were (compare the text)
    channel: str
    dedup_key: str


# -- decisions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAlert:
    """A figure not alerted in this story before: a message of its own, routed by topic."""

    finding: AlertableFinding
    key: str
    held: bool = False


@dataclass(frozen=True)
class ThreadReply:
    """An edit of the article changed a figure that was alerted: a reply under the first alert."""

    finding: AlertableFinding
    key: str
    parent_id: int
    channel: str
    previous_claimed: str | None
    held: bool = False


@dataclass(frozen=True)
class Regression:
    """An edit brought back a figure that had been corrected: said again under the first alert."""

    finding: AlertableFinding
    key: str
    parent_id: int
    channel: str
    previous_claimed: str | None


@dataclass(frozen=True)
class Correction:
    """An earlier alert's fact no longer alerts in this edit: "바로잡힘" under it, once.

    `finding` is the fact's finding in this version, now right; None when the claim was dropped
    (the reply then shows the first alert's content).
    """

    parent_id: int
    key: str
    channel: str
    fact_key: str
    finding: AlertableFinding | None


ALREADY_ALERTED = "already_alerted"  # this article alerted this figure, and it was not corrected since
COPY = "copy"  # another article of the story (a syndicated copy) alerted this figure


@dataclass(frozen=True)
class Suppress:
    finding: AlertableFinding
    reason: str  # ALREADY_ALERTED | COPY


Decision = NewAlert | ThreadReply | Regression | Correction | Suppress


def _never_held(fact_key: str, claimed: str) -> bool:
    return False


def decide(version: CheckedVersion, prior: Sequence[PriorAlert],
           held: Callable[[str, str], bool] = _never_held) -> list[Decision]:
    """The decisions for one checked version, in the order their rows are to be written.

    `prior`: the alerts of the version's story and article, oldest first. `held(fact_key,
    claimed)`: is this claim under an open new-value question (bot/holds.py)?
    """
    state = _State(list(prior))
    decisions: list[Decision] = []
    alerting: set[str] = set()
    for finding in version.findings:
        if not finding.alert:
            continue
        alerting.add(finding.fact_key)
        decision = _decide_finding(version, finding, state, held)
        decisions.append(decision)
        state.record(version, decision)
    if version.version > 1:
        for decision in _corrections(version, alerting, state):
            decisions.append(decision)
            state.record(version, decision)
    return decisions


class _State:
    """The outbox rows as they will be once the decisions so far are written."""

    def __init__(self, alerts: list[PriorAlert]) -> None:
        self.alerts = alerts
        self._next_id = max((alert.id for alert in alerts), default=0) + 1

    def record(self, version: CheckedVersion, decision: Decision) -> None:
        if isinstance(decision, Suppress):
            return
        finding = decision.finding
        kind = {NewAlert: ALERT, ThreadReply: UPDATE, Regression: UPDATE, Correction: CORRECTED}[type(decision)]
        self.alerts.append(PriorAlert(
            id=self._next_id, kind=kind, parent_id=getattr(decision, "parent_id", None),
            article_id=version.article_id, version_id=version.version_id,
            fact_key=decision.fact_key if isinstance(decision, Correction) else finding.fact_key if finding else None,
            claimed=finding.claimed if finding else None, figure=finding.figure if finding else None,
            channel=getattr(decision, "channel", ""), dedup_key=decision.key,
        ))
        self._next_id += 1

    def get(self, alert_id: int) -> PriorAlert | None:
        return next((alert for alert in self.alerts if alert.id == alert_id), None)

    def latest_reply(self, parent_id: int) -> PriorAlert | None:
        replies = [alert for alert in self.alerts if alert.parent_id == parent_id]
        return max(replies, key=lambda alert: alert.id) if replies else None

    def has_key(self, key: str) -> bool:
        return any(alert.dedup_key == key for alert in self.alerts)


def _same_figure(alert: PriorAlert, finding: AlertableFinding) -> bool:
    if alert.figure is not None and finding.figure is not None and alert.figure == finding.figure:
        return True
    return normalize_claimed(alert.claimed) == normalize_claimed(finding.claimed)


def _decide_finding(version: CheckedVersion, finding: AlertableFinding, state: _State,
                    held: Callable[[str, str], bool]) -> Decision:
    same = next((alert for alert in state.alerts if alert.kind in (ALERT, UPDATE)
                 and alert.fact_key == finding.fact_key and _same_figure(alert, finding)), None)
    if same is not None:
        return _again(version, finding, same, state)
    key = build_dedup_key(version.story_id, finding.fact_key, figure_of(finding))
    # A thread reply only for an edit: the first alert came from an earlier version of this
    # article. Two figures for one fact in one version, or a syndicated copy with its own
    # figure, are alerts of their own.
    parent = next((alert for alert in state.alerts if alert.kind == ALERT and alert.article_id == version.article_id
                   and alert.fact_key == finding.fact_key and (alert.version_id or 0) < version.version_id), None)
    is_held = held(finding.fact_key, finding.claimed)
    if parent is None:
        return NewAlert(finding, key, held=is_held)
    # A thread reply lives where its first alert was posted.
    return ThreadReply(finding, key, parent.id, parent.channel, parent.claimed, held=is_held)


def _again(version: CheckedVersion, finding: AlertableFinding, same: PriorAlert, state: _State) -> Decision:
    """The figure was alerted before: say so again only if this article had been corrected since."""
    root = state.get(same.parent_id or same.id)
    if root is None or root.article_id != version.article_id:
        return Suppress(finding, COPY)  # a syndicated copy of an alerted story: the first alert covers it
    latest = state.latest_reply(root.id)
    if latest is None or latest.kind != CORRECTED or (latest.version_id or 0) >= version.version_id:
        return Suppress(finding, ALREADY_ALERTED)
    key = f"regressed|{root.id}|{version.version_id}|{figure_of(finding)}"
    if state.has_key(key):
        return Suppress(finding, ALREADY_ALERTED)
    return Regression(finding, key, root.id, root.channel, root.claimed)


def _corrections(version: CheckedVersion, alerting: set[str], state: _State) -> list[Correction]:
    """An edit that no longer makes a flagged claim gets a "바로잡힘" reply on its alert, once."""
    corrections = []
    earlier = [alert for alert in state.alerts if alert.kind == ALERT and alert.article_id == version.article_id
               and (alert.version_id or 0) < version.version_id]
    for parent in earlier:
        if parent.fact_key in alerting:
            continue
        latest = state.latest_reply(parent.id)
        if latest is not None and latest.kind == CORRECTED:
            continue  # already said; a later edit that keeps it right says nothing new
        key = f"corrected|{parent.id}|{version.version_id}"
        if state.has_key(key):
            continue
        now_right = next((f for f in version.findings if f.fact_key == parent.fact_key), None)
        corrections.append(Correction(parent.id, key, parent.channel, parent.fact_key or "", now_right))
    return corrections


__all__ = ["ALREADY_ALERTED", "COPY", "Correction", "Decision", "NewAlert", "PriorAlert", "Regression", "Suppress",
           "ThreadReply", "build_dedup_key", "decide", "figure_of", "normalize_claimed"]
