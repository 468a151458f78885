"""`factwatch check --explain`: for every claim, the facts weighed, their evidence, and the decision.

Pure message building: a maintainer who sees a miss reads here which word decided, which
exclude word at which place ruled a fact out, which two facts tied, or why the topic was
not recognised — and fixes the rule file from that alone.
"""

from __future__ import annotations

from checker.link import Link
from checker.models import Article
from checker.topics import TopicDecision

_PLACE_KO = {"label": "수치 바로 앞", "after": "수치 뒤 꾸밈", "left": "앞쪽", "clause": "같은 절", "earlier": "같은 문장 앞 절",
             "sentence": "같은 문장", "previous": "앞 문장", "antecedent": "앞 문장(가리킴)"}
MAX_CANDIDATES = 5


def explain_text(decisions: list[TopicDecision], links: list[Link]) -> str:
    lines = ["  [설명] 주제: " + "; ".join(f"{d.topic} {'인식' if d.recognised else '인식 안 됨'} — {d.why}" for d in decisions)]
    for link in links:
        claim = link.claim
        chosen = f"→ {link.fact.id} ({link.score:.2f})" if link.fact else "→ 연결 안 함"
        lines.append(f"  «{claim.text}» {chosen}: {link.why}")
        for candidate in link.candidates[:MAX_CANDIDATES]:
            evidence = ", ".join(f"'{e.term}'({_PLACE_KO[e.place]} {e.weight:.2f})" for e in candidate.evidence) or "근거 없음"
            verdict = f" ✗ {candidate.ruled_out}" if candidate.ruled_out else ""
            lines.append(f"      {candidate.fact.id} {candidate.score:.2f}: {evidence}{verdict}")
    return "\n".join(lines)


def explain_records(article: Article, decisions: list[TopicDecision], links: list[Link]) -> list[dict]:
    records: list[dict] = [{
        "explain": "topic", "article": article.url, "topic": d.topic, "recognised": d.recognised, "why": d.why,
    } for d in decisions]
    for link in links:
        records.append({
            "explain": "claim", "article": article.url, "start": link.claim.start, "end": link.claim.end,
            "text": link.claim.text, "fact": link.fact.id if link.fact else None, "score": link.score, "why": link.why,
            "judged_on": link.judge_on.isoformat() if link.judge_on else None,
            "candidates": [{
                "fact": c.fact.id, "score": c.score, "ruled_out": c.ruled_out,
                "evidence": [{"word": e.term, "place": e.place, "weight": e.weight} for e in c.evidence],
            } for c in link.candidates[:MAX_CANDIDATES]],
        })
    return records
