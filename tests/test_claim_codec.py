"""A claim is one class per kind with real dates, stored as JSON by one pydantic adapter
(checker/claim_codec.py); claims stored by older versions (one flat dict, dates as ordinal day
numbers) still decode and re-judge the same."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlite_utils import Database

from checker.claim_codec import claim_from_json, claim_to_json
from checker.claims import extract_claims
from checker.models import DateClaim, PeriodClaim, QuantityClaim, RoleClaim, SumClaim
from conftest import ARTICLES, run_cli

PUBLISHED = date(2024, 5, 20)
TEXT = (
    "해오름 연구단 예산은 320억원(국비 200억원, 시비 120억원)이다. 올해 운영비는 약 32억원이다. "
    "연구단은 '21년부터 '24년까지 1단계를 마쳤고 2027년까지 2단계를 끝낸다. "
    "2022년 3월 한지우 단장이 취임했다. 지난달 개소식이 열렸다."
)


def _claims():
    return {c.text: c for c in extract_claims(TEXT, PUBLISHED)}


def test_each_kind_is_its_own_class_with_real_dates():
    claims = _claims()
    assert isinstance(claims["320억원(국비 200억원, 시비 120억원)"], SumClaim)
    assert claims["320억원(국비 200억원, 시비 120억원)"].parts == (("국비", Decimal(200 * 10**8)), ("시비", Decimal(120 * 10**8)))
    rough = claims["약 32억원"]
    assert isinstance(rough, QuantityClaim) and (rough.unit, rough.hedge_kind) == ("KRW", "approx")
    span = claims["'21년부터 '24년까지"]
    assert isinstance(span, PeriodClaim) and (span.first, span.last, span.grain) == (date(2021, 1, 1), date(2024, 12, 31), "year")
    end = claims["2027년"]
    assert isinstance(end, DateClaim) and end.until and (end.first, end.last) == (date(2027, 1, 1), date(2027, 12, 31))
    last_month = claims["지난달"]
    assert isinstance(last_month, DateClaim) and last_month.relative and last_month.first == date(2024, 4, 1)
    holder = claims["한지우 단장"]
    assert isinstance(holder, RoleClaim) and (holder.person, holder.role, holder.as_of) == ("한지우", "단장", date(2022, 3, 1))
    # The judge and the linker compare a claim's days with a fact's ordinal bounds.
    assert (span.low, span.high) == (Decimal(date(2021, 1, 1).toordinal()), Decimal(date(2024, 12, 31).toordinal()))


def test_every_kind_round_trips_through_the_stored_json():
    for claim in extract_claims(TEXT, PUBLISHED):
        stored = claim_to_json(claim)
        back = claim_from_json(stored)
        assert back == claim and type(back) is type(claim), stored
    row = json.loads(claim_to_json(_claims()["2027년"]))
    assert (row["kind"], row["first"], row["last"], row["until"]) == ("date", "2027-01-01", "2027-12-31", True)
    assert "person" not in row and "low" not in row  # a date carries a date's fields only
    assert json.loads(claim_to_json(_claims()["약 32억원"]))["value"] == "3200000000"  # exact: no float


# Rows as factwatch stored them before the claim kinds had classes (checker/pipeline.py's
# claim_to_json of that time: every field of every kind, sorted, Decimals and ordinals as strings).
OLD_ROWS = {
    "sum": r'''{"as_of": null, "counter": "억원", "end": 37, "grain": null, "hedge": null, "hedge_kind": "exact", "high": null, "high_inclusive": true, "kind": "sum", "left": "해오름 연구단 예산은 ", "low": null, "low_inclusive": true, "ordinal": null, "parts": [["국비", "20000000000"], ["시비", "12000000000"]], "person": null, "previous": "", "right": "", "role": null, "role_tense": "current", "sentence": "해오름 연구단 예산은 320억원(국비 200억원, 시비 120억원)이다.", "sentence_start": 0, "start": 12, "step": "1000000000", "text": "320억원(국비 200억원, 시비 120억원)", "unit": "KRW", "until": false, "value": "32000000000"}''',
    "quantity": r'''{"as_of": null, "counter": "억원", "end": 55, "grain": null, "hedge": "약", "hedge_kind": "approx", "high": "3250000000", "high_inclusive": true, "kind": "quantity", "left": "올해 운영비는 ", "low": "3150000000", "low_inclusive": true, "ordinal": null, "parts": [], "person": null, "previous": "해오름 연구단 예산은 320억원(국비 200억원, 시비 120억원)이다.", "right": "이다.", "role": null, "role_tense": "current", "sentence": "올해 운영비는 약 32억원이다.", "sentence_start": 41, "start": 49, "step": "100000000", "text": "약 32억원", "unit": "KRW", "until": false, "value": "3200000000"}''',
    "period": r'''{"as_of": null, "counter": null, "end": 77, "grain": "year", "hedge": null, "hedge_kind": "exact", "high": "739251", "high_inclusive": true, "kind": "period", "left": "연구단은 ", "low": "737791", "low_inclusive": true, "ordinal": null, "parts": [], "person": null, "previous": "올해 운영비는 약 32억원이다.", "right": " 1단계를 마쳤고 ", "role": null, "role_tense": "current", "sentence": "연구단은 '21년부터 '24년까지 1단계를 마쳤고 2027년까지 2단계를 끝낸다.", "sentence_start": 59, "start": 64, "step": null, "text": "'21년부터 '24년까지", "unit": null, "until": false, "value": "737791"}''',
    "date": r'''{"as_of": null, "counter": null, "end": 92, "grain": "year", "hedge": null, "hedge_kind": "exact", "high": "740346", "high_inclusive": true, "kind": "date", "left": " 1단계를 마쳤고 ", "low": "739982", "low_inclusive": true, "ordinal": null, "parts": [], "person": null, "previous": "올해 운영비는 약 32억원이다.", "right": "까지 2단계를 끝낸다.", "role": null, "role_tense": "current", "sentence": "연구단은 '21년부터 '24년까지 1단계를 마쳤고 2027년까지 2단계를 끝낸다.", "sentence_start": 59, "start": 87, "step": null, "text": "2027년", "unit": null, "until": true, "value": "739982"}''',
    "relative date": r'''{"as_of": null, "counter": null, "end": 131, "grain": "month", "hedge": "relative", "hedge_kind": "exact", "high": "739006", "high_inclusive": true, "kind": "date", "left": "", "low": "738977", "low_inclusive": true, "ordinal": null, "parts": [], "person": null, "previous": "2022년 3월 한지우 단장이 취임했다.", "right": " 개소식이 열렸다.", "role": null, "role_tense": "current", "sentence": "지난달 개소식이 열렸다.", "sentence_start": 128, "start": 128, "step": null, "text": "지난달", "unit": null, "until": false, "value": "738977"}''',
    "role": r'''{"as_of": 738215, "counter": null, "end": 120, "grain": null, "hedge": null, "hedge_kind": "exact", "high": null, "high_inclusive": true, "kind": "role", "left": "2022년 3월", "low": null, "low_inclusive": true, "ordinal": null, "parts": [], "person": "한지우", "previous": "연구단은 '21년부터 '24년까지 1단계를 마쳤고 2027년까지 2단계를 끝낸다.", "right": "", "role": "단장", "role_tense": "current", "sentence": "2022년 3월 한지우 단장이 취임했다.", "sentence_start": 105, "start": 114, "step": null, "text": "한지우 단장", "unit": null, "until": false, "value": null}''',
}


@pytest.mark.parametrize("kind", sorted(OLD_ROWS))
def test_a_claim_stored_by_an_older_version_decodes_to_what_is_extracted_today(kind):
    old = claim_from_json(OLD_ROWS[kind])
    today = _claims()[old.text]
    assert old == today and type(old) is type(today)


def test_old_rows_with_fields_missing_or_unknown_still_decode():
    row = json.loads(OLD_ROWS["date"])
    del row["until"], row["previous"]  # the oldest rows had neither
    row["rule_line"] = 12  # a field some version wrote and this one does not know
    claim = claim_from_json(json.dumps(row, ensure_ascii=False))
    assert isinstance(claim, DateClaim) and (claim.until, claim.previous, claim.first) == (False, "", date(2027, 1, 1))
    role = json.loads(OLD_ROWS["role"])
    role.update(role=None, as_of=None)
    assert claim_from_json(json.dumps(role, ensure_ascii=False)).role == ""


def test_a_row_of_no_known_kind_is_refused_clearly():
    with pytest.raises(ValidationError, match="weather"):
        claim_from_json('{"kind": "weather", "text": "맑음"}')
    with pytest.raises(ValidationError, match="first"):
        claim_from_json('{"kind": "date", "start": 0, "end": 4, "text": "어느 날", "sentence": "어느 날", '
                        '"sentence_start": 0, "left": "", "right": "", "grain": "day", "last": "2024-01-01"}')
    dateless = json.loads(OLD_ROWS["date"]) | {"low": None, "high": None, "value": None}
    with pytest.raises(ValidationError, match="저장된 날짜 주장에 날짜가 없습니다: '2027년'"):
        claim_from_json(json.dumps(dateless, ensure_ascii=False))


def _old_shape(data: str) -> str:
    """A row of today's shape, written the way factwatch wrote it before (flat, ordinal days)."""
    claim = claim_from_json(data)
    flat = dict.fromkeys(("as_of", "counter", "grain", "hedge", "high", "low", "ordinal", "person", "role", "step",
                          "unit", "value"))
    flat.update(hedge_kind="exact", high_inclusive=True, low_inclusive=True, parts=[], role_tense="current", until=False)
    flat.update({k: v for k, v in json.loads(data).items() if k not in ("first", "last", "relative")})
    if isinstance(claim, DateClaim | PeriodClaim):
        flat.update(value=claim.low, low=claim.low, high=claim.high, hedge="relative" if claim.relative else None)
    if isinstance(claim, RoleClaim) and claim.as_of:
        flat["as_of"] = claim.as_of.toordinal()
    return json.dumps(flat, ensure_ascii=False, default=str, sort_keys=True)


def _findings(db: Database) -> list[tuple]:
    return [tuple(row.values()) for row in db.query(
        "select version_id, claim_id, fact_id, verdict, alert, claimed, canonical, explanation, data from findings "
        "order by version_id, claim_id")]


def test_a_store_written_before_the_claim_kinds_is_rechecked_the_same(tmp_path):
    director = tmp_path / "director_as_of.json"
    director.write_text(json.dumps({
        "url": "https://news.example.kr/director_as_of", "title": "인공지능 중심도시 광주, 사업단 4년",
        "published": "2024-10-15T10:00:00+09:00",
        "text": "광주 인공지능 집적단지 조성사업을 맡은 인공지능산업융합사업단이 출범 4년을 맞았다.\n"
                "2020년 2월 임차식 인공지능산업융합사업단장이 취임했다.\n사업단은 2020년 1월 29일 출범했다.",
    }, ensure_ascii=False), encoding="utf-8")
    db_path = tmp_path / "fw.db"
    checked = run_cli("--db", str(db_path), "check", *sorted(str(p) for p in ARTICLES.glob("*.json")), str(director))
    assert checked.exit_code == 1, checked.output
    db = Database(db_path)
    judged = _findings(db)
    kinds = {row["kind"]: row["match_key"] for row in db.query("select kind, match_key from claims")}
    assert {k: v for k, v in kinds.items() if k != "quantity"} == {
        "date": "kind:date", "period": "kind:date", "role": "kind:role", "sum": "sum"}  # as before the classes
    assert set(db.execute("select match_key from claims where kind = 'quantity'").fetchall()) >= {("unit:KRW",), ("unit:person",)}
    # The judgement on the appointment day (2020-02), not on publication (2024-10, a later holder).
    assert any(f[2] == "director" and f[3] == "match" and "2020-02-01" in f[7] for f in judged)

    for row in list(db.query("select id, data from claims")):
        db.execute("update claims set data = ? where id = ?", [_old_shape(row["data"]), row["id"]])
    assert db.execute("select count(*) from claims where data like '%\"as_of\": 7%'").fetchone()[0] == 1
    db.execute("delete from findings")  # recheck keeps a version's findings when its claims fail to decode
    db.conn.commit()
    rechecked = run_cli("--db", str(db_path), "recheck")
    assert rechecked.exit_code == 0, rechecked.output
    assert _findings(Database(db_path)) == judged
