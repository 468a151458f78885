"""Linking a figure to the right fact, or to none (issue: accuracy on text and rules not seen).

The programme and every sentence are made up for these tests (tests/linking/haeoreum.yaml):
several 억원 facts share a unit, and each class of miss or false alert found on outside text
has a case here. Each case states what a fact-checker expects: an alert, or silence.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checker.check import judge_claims, link_claims
from checker.claims import extract_claims
from checker.rules import load_rules

RULES = load_rules(Path(__file__).parent / "linking")
ON = date(2024, 6, 1)


def findings(text: str, day: date = ON):
    claims = extract_claims(text, day, RULES.known_names)
    topics = RULES.topics_of("", text)
    return [(f.claim.text, f.fact.id if f.fact else None, f.verdict)
            for f in judge_claims(claims, RULES, day, topics)]


def alerts_under(tmp_path, rule: str, text: str, day: date = ON, title: str = ""):
    """The alerting findings of `text` (headline `title`) judged against a rule file written from `rule`."""
    from conftest import write_rule_file

    rules = load_rules(write_rule_file(tmp_path, rule))
    claims = extract_claims(text, day, rules.known_names)
    return [f for f in judge_claims(claims, rules, day, rules.topics_of(title, text), title) if f.alert]


def alerts(text: str, day: date = ON):
    return [(text_, fact, verdict) for text_, fact, verdict in findings(text, day)
            if verdict in ("conflict", "imprecise", "outdated")]


# 1. The wrong fact for a figure: a facility's own cost, a fund, are not the programme total.
@pytest.mark.parametrize("sentence", [
    "해오름 수소도시의 충전기지 건립비는 880억원이다.",
    "해오름 수소도시 사업으로 시는 수소펀드에 300억원을 모았다.",
    "해오름 수소도시 충전기지에는 880억원이 들어간다.",
])
def test_a_right_figure_of_one_thing_is_not_a_wrong_figure_of_another(sentence):
    assert alerts(sentence) == []


def test_the_label_right_before_a_figure_decides_among_facts_of_one_unit():
    found = findings("해오름 수소도시 총사업비는 5480억원이고, 충전기지 건립비는 890억원이다.")
    assert ("5480억원", "total-cost", "match") in found
    assert ("890억원", "plant-cost", "conflict") in found


# 2. Numbers that are not the fact's value although the label fits.
@pytest.mark.parametrize("sentence", [
    "해오름 수소도시 총사업비는 전년보다 280억원 늘어난 규모다.",  # a change
    "해오름 수소도시 총사업비는 5200억원에서 5480억원으로 늘었다.",  # a starting value (5200 then)
    "해오름 수소도시 총사업비를 6000억원으로 늘린다.",  # a value still to come
    "해오름 수소도시 용역안은 총사업비 7000억원을 제시했다.",  # a proposal
    "해오름 수소도시 사업단은 총사업비 6500억원을 건의했다.",  # a request
])
def test_changes_plans_and_requests_are_not_the_facts_value(sentence):
    assert alerts(sentence) == []


def test_an_explicit_past_anchor_is_judged_on_that_date():
    # 5200억원 was right in 2022 (5480억원 only from 2023-07): no alert, although it is not today's value.
    assert alerts("해오름 수소도시 총사업비는 2022년 당시 5200억원이었다.") == []
    assert alerts("2022년 5월에는 해오름 수소도시 총사업비가 5200억원이었다.") == []
    # A wrong figure at that anchor is still wrong, judged against the value of that day.
    assert [(f, v) for _, f, v in alerts("2022년 5월에는 해오름 수소도시 총사업비가 5300억원이었다.")] == [("total-cost", "conflict")]
    assert alerts("해오름 수소도시 총사업비가 당초 5200억원이던 것이 지금은 늘었다.") == []


# 3. Topic recognition: the name however written, or the facts' own proper names.
def test_a_name_written_with_spaces_brackets_or_the_foundation_mark_is_recognised():
    assert RULES.topics_of("", "(재)해오름 수소도시 사업단이 밝혔다.") == {"haeoreum"}
    assert RULES.topics_of("", "해오름 수소 도시 조성이 한창이다.") == {"haeoreum"}  # spacing varies
    assert RULES.topics_of("", "해오름 풍력단지 조성이 한창이다.") == set()
    decision = RULES.topic_decisions("", "충전기지가 완공됐다.")[0]
    assert not decision.recognised and "recognise" in decision.why


# 4. Roles: a vacancy, a later holder named early, a name the generic reader refuses.
def test_a_holder_named_during_a_vacancy_conflicts():
    assert [(f, v) for _, f, v in alerts("해오름수소도시사업단 문하은 단장은 점검에 나섰다.", date(2024, 1, 20))] == [
        ("head", "conflict")]


def test_a_known_holder_whose_name_ends_like_a_verb_is_read():
    found = findings("해오름수소도시사업단을 이끄는 정다해 단장은 현장을 찾았다.", date(2022, 1, 5))
    assert [(fact, verdict) for _, fact, verdict in found] == [("head", "match")]


def test_a_later_holder_named_before_taking_office_conflicts():
    assert [v for _, f, v in findings("문하은 단장이 이끄는 해오름수소도시사업단이 맡는다.", date(2023, 5, 1))] == ["conflict"]


# 5. Units a programme brings: a standard measure and a counter word no table knows.
def test_measures_and_new_counters_are_checked_in_the_facts_unit():
    assert alerts("해오름 수소도시 수소 배관은 42.5㎞, 수소버스는 120량이다.") == []
    assert alerts("해오름 수소도시 수소 배관은 4.25㎞다.") == [("4.25㎞", "pipeline-length", "conflict")]
    assert alerts("해오름 수소도시 수소버스 130량이 달린다.") == [("130량", "buses", "conflict")]


# 6. Dates need their event; a reference date or a date before a change is not a claim.
def test_a_date_is_linked_through_its_event_only():
    assert alerts("해오름 수소도시 사업단은 2021년 4월 16일 출범했다.") == [("2021년 4월 16일", "launch-date", "conflict")]
    assert alerts("해오름 수소도시 사업단은 2021년 4월 16일 시설 점검을 받았다.") == []


# 7. Exclusions stay in their clause: a phase-2 word does not silence the phase-1 figure.
def test_an_exclusion_in_one_clause_does_not_bleed_into_the_next():
    assert alerts("해오름 수소도시 2단계 사업비는 1조원이고, 1단계 총사업비는 4900억원이다.") == [
        ("4900억원", "total-cost", "conflict")]


def test_an_ordinal_before_the_name_and_an_appointment_are_read():
    assert [(f, v) for _, f, v in alerts("해오름수소도시사업단 제2대 단장 정다해는 밝혔다.", date(2022, 6, 1))] == [
        ("head", "conflict")]  # 정다해 is the first head
    found = findings("해오름수소도시사업단은 새 단장에 문하은 씨를 선임했다고 밝혔다.", date(2024, 2, 20))
    assert [(f, v) for _, f, v in found] == [("head", "match")]  # takes office on 2024-03-01


@pytest.mark.parametrize("sentence, verdict", [
    ("해오름 수소도시 조성사업은 '21년부터 '25년까지 이어진다.", "match"),
    ("해오름 수소도시 조성사업은 2021년에서 2026년까지 이어진다.", "conflict"),
    ("해오름 수소도시 조성사업은 2026년까지 마무리된다.", "conflict"),  # only the end is stated
    ("해오름 수소도시 조성사업은 2025년까지 마무리된다.", "match"),
])
def test_periods_in_the_ways_reporters_write_them(sentence, verdict):
    assert [v for _, f, v in findings(sentence) if f == "build-period"] == [verdict]


def test_a_counter_word_that_looks_like_a_particle_is_a_unit_when_a_rule_names_it():
    assert alerts("해오름 수소도시 이주자 주택은 720가구다.") == [("720가구", "homes", "conflict")]


def test_a_size_class_is_not_a_value():
    assert alerts("해오름 수소도시에는 하루 50톤급 충전소가 들어선다.") == []
    assert alerts("해오름 수소도시 충전소의 충전 능력은 하루 50톤이다.", date(2022, 6, 1)) == [
        ("50톤", "station-capacity", "conflict")]  # (a fresh value: see refresh_after in the rule file)


def test_a_date_whose_own_verb_is_another_event_is_not_the_facts_date():
    assert alerts("해오름 수소도시 사업단은 8월 3일 충전기지 착공 공사를 입찰 공고했다.", date(2022, 8, 10)) == []
    assert [f for _, f, _ in alerts("해오름 수소도시 충전기지는 8월 3일 착공했다.", date(2022, 8, 10))] == ["groundbreaking"]
    assert alerts("해오름 수소도시 충전기지는 9월 1일 착공을 준비하고 있다.", date(2022, 8, 10)) == []  # right date


def test_the_post_in_brackets_with_an_abbreviation_and_an_ordinal_before_the_organisation():
    assert [(f, v) for _, f, v in findings("해오름수소도시사업단(HSC·단장 문하은)은 4일 밝혔다.", date(2022, 6, 1))] == [
        ("head", "conflict")]
    assert [(f, v) for _, f, v in findings("초대 해오름수소도시사업단 단장인 정다해 단장은 밝혔다.", date(2022, 6, 1))] == [
        ("head", "match")]


# Classes found on real reporting (sentences written for this project).
@pytest.mark.parametrize("sentence", [
    "해오름 수소도시 충전소의 충전 능력 가운데 나머지 20톤은 버스용이다.",  # the rest of a whole
    "해오름 수소도시 충전소는 충전 능력 10톤을 승용차 전용으로 쓴다.",  # a share set aside
    "해오름 수소도시 사업단이 50억원을 출자하는 등 총 300억원 규모로 수소펀드가 조성됐다.",  # a contribution
    "해오름 수소도시 사업비 가운데 1000억원은 충전망 구축에 투입된다.",  # an allocation
    "해오름 수소도시 사업단은 배관 설계 및 감리에 사업비 700억원을 쓴다.",  # money for one part
])
def test_a_share_of_a_whole_is_not_the_whole(sentence):
    assert alerts(sentence) == []


def test_a_clause_about_another_facts_subject_is_not_about_this_one():
    # the charging base's own cost, told with the programme's attribute word: about the base, not the total
    assert [f for _, f, _ in alerts("해오름 수소도시에서 새로 짓는 충전기지는 총사업비 700억원으로 지어진다.")] == ["plant-cost"]


def test_a_figure_that_is_exactly_another_facts_value_goes_to_that_fact_when_its_label_is_weak():
    # '5년간' after the year hints at the build period, but 2021~2025 is exactly the build period's value;
    # a period no fact has with weak evidence stays silent
    assert alerts("해오름 수소도시는 2021년부터 5년간 조성된다.") == []


def test_an_exclusion_after_the_figure_counts_when_the_figure_describes_that_noun():
    assert alerts("해오름 수소도시의 300억원 규모의 2차 수소펀드가 결성됐다.") == []  # not the fund of the rule


def test_a_figure_in_brackets_belongs_to_the_noun_before_it():
    assert alerts("해오름 수소도시의 충전소는 이웃 도시 충전소(50톤)보다 작다.") == []
    assert alerts("해오름 수소도시 최대 충전소는 청정수소센터 2호기(50톤)다.") == []


def test_one_years_budget_is_not_a_multi_year_total():
    assert alerts("해오름 수소도시 조성사업의 2024년도 정부예산은 지난해보다 14% 늘어난 640억원이다.") == []


def test_a_clause_about_a_facility_no_fact_names_is_about_that_facility():
    assert alerts("해오름 수소도시 옆 창업지원센터는 사업비 300억원을 들여 2027년까지 지어진다.") == []
    assert alerts("지난 16일 해오름 수소도시 사업단 옆에 문을 연 ‘수소체험관 1호’는 시민에게 개방된다.",
                  date(2021, 4, 20)) == []


def test_an_excluded_phrase_still_counts_with_one_word_between():
    rules_text = (Path(__file__).parent / "linking" / "haeoreum.yaml").read_text(encoding="utf-8")
    assert "exclude: [2단계]" in rules_text  # total-cost's phrase-free exclusion; the spread applies to phrases
    from checker.link import _spread

    assert _spread("내년 예산").search("내년 정부 예산을 확보했다")
    assert not _spread("내년 예산").search("내년 사업과 올해 예산")




def test_a_longer_cue_matches_a_small_variation_right_before_the_figure():
    from dataclasses import replace

    from checker.link import _weigh, context_of

    (claim,) = [c for c in extract_claims("해오름 수소도시 이주자주텍 270가구가 들어선다.", ON) if c.kind == "quantity"]
    homes = RULES.fact("homes")
    ctx = context_of(claim)
    strict = _weigh(homes, ctx, {})[1]
    loose = _weigh(replace(homes, min_score=75), ctx, {})[1]  # '이주자주텍' is a typo of the cue '이주자 주택'
    assert "이주자주택" not in {e.term for e in strict}
    assert "이주자주택" in {e.term for e in loose}


def test_a_figure_judged_at_its_past_anchor_says_so():
    claims = extract_claims("2022년 5월에는 해오름 수소도시 총사업비가 5300억원이었다.", ON, RULES.known_names)
    (finding,) = [f for f in judge_claims(claims, RULES, ON, None) if f.fact and f.fact.id == "total-cost"]
    assert "기사가 가리킨 때(2022-05-31)" in finding.explanation and "5200억원" in finding.explanation


def test_the_report_says_why_an_article_was_not_taken_as_about_the_programme():
    from checker.models import Article
    from checker.report import build_text_report

    article = Article(url="x", text="충전기지가 완공됐다.", title="")
    reasons = tuple(d.why for d in RULES.topic_decisions("", article.text))
    report = build_text_report(article, [], [], reasons)
    assert "해오름 수소도시 조성사업" in report and "recognise" in report


# A sentence that names no programme takes its subject from the one before. The topic's words
# for other programmes carry over with it; a fact's own exclusions ('올해 예산') do not, unless
# the clause points back: the previous sentence's words described that sentence's own figure.
CARRY_RULE = """\
topic:
  id: dalbit
  name: 달빛 에너지단지
  recognise: [달빛 에너지단지]
  exclude_in_sentence: [부산]
facts:
  - id: total
    description: 달빛 에너지단지 총사업비
    kind: quantity
    unit: 억원
    cues: [총사업비, 사업비, 1단계]
    exclude_in_sentence: [올해 예산]
    versions:
      - value: 3200억원
        from: 2020-01-01
        source: 가상일보 2020-01-01
"""


@pytest.mark.parametrize(("text", "alerted"), [
    # the previous sentence's '올해 예산' is about its own 120억원: the total is still checked
    ("달빛 에너지단지는 올해 예산 120억원을 받았다. 사업단에 따르면 1단계 사업에는 총 3500억원이 들어간다.", True),
    # another programme named before: its figures are not this programme's
    ("부산 에너지단지도 추진된다. 사업단에 따르면 1단계 사업에는 총 3500억원이 들어간다.", False),
    # the clause points back at the annual budget: '이 예산' is not the total
    ("달빛 에너지단지 올해 예산은 따로 잡혔다. 이 예산에는 총사업비 3500억원 가운데 일부가 들어간다.", False),
])
def test_a_borrowed_subject_carries_programme_exclusions_not_the_facts_own(tmp_path, text, alerted):
    found = alerts_under(tmp_path, CARRY_RULE, text)
    assert bool(found) == alerted, [(f.claim.text, f.explanation) for f in found]


# Excludes read the figure's own label: a locative relative clause in front ('X가 들어서는 …')
# names what sits in the place, and '차량' does not exclude the '차량기지' (a depot).
PLACE_RULE = """\
topic:
  id: nuri
  name: 누리 항만 재개발
  recognise: [누리 항만]
facts:
  - id: area
    description: 누리 항만 1단계 구역 면적
    kind: quantity
    unit: ㎡
    cues: [1단계, 구역, 면적]
    exclude: [오페라하우스]
    versions:
      - value: 153만㎡
        from: 2020-01-01
        source: 가상일보 2020-01-01
  - id: tram-cost
    description: 누리 항만 트램 사업비
    kind: quantity
    unit: 억원
    cues: [트램 사업비, 건설 사업비]
    exclude: [차량, 공사비 2818]
    versions:
      - value: 482억원
        from: 2020-01-01
        source: 가상일보 2020-01-01
"""


@pytest.mark.parametrize(("text", "alerted"), [
    ("누리 항만에는 오페라하우스가 들어서는 1단계 구역은 152만㎡ 규모다.", True),
    ("누리 항만 오페라하우스 1단계 구역 152만㎡", False),  # the label itself names the excluded thing
    ("누리 항만 1단계 사업은 중앙부두 일대 135만㎡를 공원으로 바꾼다.", True),  # '일대' is where, not what
    ("누리 항만에 정거장과 차량기지를 짓는 데 드는 건설 사업비는 4820억원이다.", True),
    ("누리 항만 트램 차량 건설 사업비는 4820억원이다.", False),
    ("누리 항만 건설 사업비 중 공사비 2818억원이 먼저 들어간다.", False),  # the rule names this figure
])
def test_excludes_read_the_figures_own_label(tmp_path, text, alerted):
    found = alerts_under(tmp_path, PLACE_RULE, text)
    assert bool(found) == alerted, [(f.claim.text, f.explanation) for f in found]


# A numbered title with no name of its own belongs to the sentence's subject when the rules know
# that person: "문하은 전 시 국장이 … 제1대 단장으로 취임했다" names 문하은 as the first head.
@pytest.mark.parametrize(("text", "alerted"), [
    ("문하은 전 해오름시 국장이 1일 해오름수소도시사업단 제1대 단장으로 취임했다.", True),
    ("문하은 전 해오름시 국장이 1일 해오름수소도시사업단 제2대 단장으로 취임했다.", False),
])
def test_a_numbered_title_belongs_to_the_sentences_subject(text, alerted):
    found = alerts(text, date(2024, 3, 2))
    assert bool(found) == alerted, found


# Values said to have changed, and a past anchor that belongs to a relative clause.
CHANGE_RULE = """\
topic:
  id: bada
  name: 바다 음악당
  recognise: [바다 음악당]
facts:
  - id: finish
    description: 바다 음악당 완공 목표
    kind: date
    cues: [완공]
    versions:
      - value: 2021
        from: 2017-01-01
        until: 2022-12-31
        source: 가상일보 2017-01-01
      - value: 2026
        from: 2023-01-01
        source: 가상일보 2023-01-01
  - id: build-period
    description: 바다 음악당 공사 기간
    kind: period
    cues: [공사 기간, 공사]
    versions:
      - value: 2018~2021
        from: 2017-01-01
        until: 2022-12-31
        source: 가상일보 2017-01-01
      - value: 2018~2026
        from: 2023-01-01
        source: 가상일보 2023-01-01
  - id: port-share
    description: 바다항만공사 분담금
    kind: quantity
    unit: 억원
    cues: [분담금, 바다항만공사]
    versions:
      - value: 800억원
        from: 2018-01-01
        until: 2022-12-31
        source: 가상일보 2018-01-01
      - value: 500억원
        from: 2023-01-01
        source: 가상일보 2023-01-01
  - id: head
    description: 바다항만공사 사장
    kind: role
    role: [사장]
    cues: [바다항만공사]
    versions:
      - value: 한가람
        from: 2018-01-01
        source: 가상일보 2018-01-01
"""


@pytest.mark.parametrize(("text", "day", "alerted"), [
    # the date before 에서 … 으로 (1년) 미루는 is the one that was changed
    ("바다 음악당은 완공 시점을 2020년에서 2021년으로 1년 미루는 안을 냈다.", date(2017, 6, 1), False),
    # 당초 belongs to the relative clause about the project, not to the period after it
    ("바다 음악당은 당초 2020년 완공을 목표로 했던 사업이 2018년부터 2026년까지 공사가 이어지게 됐다.", date(2024, 3, 1), False),
    # the value before a later change, said to have changed
    ("바다 음악당에 바다항만공사가 약속한 800억원은 이후 500억원으로 줄었다.", date(2024, 3, 1), False),
    ("바다 음악당에 바다항만공사가 내는 분담금은 800억원이다.", date(2024, 3, 1), True),
    # '공사' inside 바다항만공사 (the corporation) is not construction
    ("바다 음악당 운영은 바다항만공사가 연내 맡는다.", date(2024, 3, 1), False),
])
def test_changed_values_and_names_that_contain_a_cue(tmp_path, text, day, alerted):
    found = alerts_under(tmp_path, CHANGE_RULE, text, day)
    assert bool(found) == alerted, [(f.claim.text, f.explanation) for f in found]


# A word a fact knows only from its description weighs less in the others' share of it: the
# total's own cue '총사업비' is not halved by a part whose description says '총사업비 가운데 공사비'.
PART_RULE = """\
topic:
  id: sori
  name: 소리 예술관
  recognise: [소리 예술관]
facts:
  - id: total
    description: 소리 예술관 건립 총사업비
    kind: quantity
    unit: 억원
    cues: [총사업비, 사업비]
    versions:
      - value: 3050억원
        from: 2020-01-01
        source: 가상일보 2020-01-01
  - id: works
    description: 소리 예술관 총사업비 가운데 공사비
    kind: quantity
    unit: 억원
    cues: [공사비]
    versions:
      - value: 2818억원
        from: 2020-01-01
        source: 가상일보 2020-01-01
"""


@pytest.mark.parametrize(("text", "alerted"), [
    ("소리 예술관에는 총사업비 3500억원이 들어간다.", True),
    ("소리 예술관 사업비는 2500억원으로 출발했으나 지금은 3050억원이다.", False),  # where it started
])
def test_a_description_word_is_weaker_and_a_part_is_not_the_whole(tmp_path, text, alerted):
    found = alerts_under(tmp_path, PART_RULE, text)
    assert bool(found) == alerted, [(f.claim.text, f.explanation) for f in found]


STOP_RULE = """\
topic:
  id: noeul
  name: 노을 공연장
  recognise: [노을 공연장]
facts:
  - id: stop-day
    description: 노을 공연장 공사 중단일
    kind: date
    cues: [중단된, 멈춘]
    versions:
      - value: 2018-08-31
        from: 2018-09-01
        source: 가상일보 2018-09-01
  - id: resume-day
    description: 노을 공연장 공사 재개일
    kind: date
    cues: [재개]
    versions:
      - value: 2024-05-02
        from: 2024-04-01
        source: 가상일보 2024-04-01
  - id: total
    description: 노을 공연장 총사업비
    kind: quantity
    unit: 억원
    cues: [총사업비]
    versions:
      - value: 3117억원
        from: 2021-01-01
        source: 가상일보 2021-01-01
  - id: mayor
    description: 노을시장
    kind: role
    role: [시장]
    cues: [노을시]
    versions:
      - value: 한결
        from: 2021-01-01
        source: 가상일보 2021-01-01
"""


@pytest.mark.parametrize(("text", "day", "alerted"), [
    # a stop or a restart is an event of its own (not only 개통·착공)
    ("노을 공연장 공사가 멈춘 것은 2019년 8월 31일 시장 지시로 중단된 때다.", date(2024, 6, 1), True),
    ("멈췄던 노을 공연장 공사가 다음 달 12일 재개된다.", date(2024, 4, 10), True),
    # a time told by its distance from the event is not the event's day
    ("노을 공연장 공정률은 공사가 재개되기 직전인 지난해 4월 40%였다.", date(2025, 6, 1), False),
    # the organisation that acts is not what the figure measures; '총사업비 N억원을 늘리는' states N
    ("노을시는 노을 공연장 총사업비 3171억원을 늘리는 증액안을 검토한다.", date(2024, 6, 1), True),
    ("노을 공연장 사업비를 300억원 늘리는 증액안", date(2024, 6, 1), False),
    # a price '짜리' is the cost, not a size class
    ("노을 공연장은 총사업비 310억원짜리 공사다.", date(2024, 6, 1), True),  # ×10 slip
])
def test_events_that_stop_and_resume_and_the_figures_around_them(tmp_path, text, day, alerted):
    found = alerts_under(tmp_path, STOP_RULE, text, day)
    assert bool(found) == alerted, [(f.claim.text, f.explanation) for f in found]


# A clause whose subject only says what is measured ('사업 기간은', '착공은') is about the part of
# the programme the previous sentence, or else the headline, names.
PARTS_RULE = """\
topic:
  id: mirae
  name: 미래항 재개발
  recognise: [미래항 재개발]
facts:
  - id: stage2-period
    description: 미래항 2단계 사업 기간
    kind: period
    cues: [사업 기간, 2단계]
    exclude: [1단계, 트램]
    versions:
      - value: 2020~2030
        from: 2020-01-01
        source: 가상일보 2020-01-01
  - id: stage1-end
    description: 미래항 1단계 준공 목표
    kind: date
    cues: [준공, 1단계]
    exclude: [2단계, 트램]
    versions:
      - value: 2024
        from: 2020-01-01
        source: 가상일보 2020-01-01
  - id: fab-start
    description: 미래항 첫 공장 가동 목표
    kind: date
    cues: [첫 공장, 가동]
    exclude: [발전소, 트램]
    versions:
      - value: 2030
        from: 2020-01-01
        source: 가상일보 2020-01-01
  - id: plant
    description: 미래항 발전소 착공 목표
    kind: date
    cues: [발전소, 착공]
    exclude: [1단계, 2단계]
    versions:
      - value: 2026
        from: 2020-01-01
        source: 가상일보 2020-01-01
"""


@pytest.mark.parametrize(("title", "text", "alerted"), [
    # headline about stage 1: '사업 기간은 …까지' is stage 1's, not stage 2's period
    ("미래항 재개발 1단계 사업계획 변경", "미래항 재개발 변경안이 고시됐다. 사업 기간은 2024년까지로 늘어났다.", []),
    ("미래항 재개발 2단계 사업계획 변경", "미래항 재개발 변경안이 고시됐다. 사업 기간은 2020년부터 2032년까지로 늘어났다.",
     ["stage2-period"]),
    # a clause with its own subject is not overridden by the headline (the first factory, not the plant)
    ("미래항 재개발 발전소 사업자 공모", "미래항 재개발 발전소 공모가 시작됐다. 정부는 첫 공장이 2031년 가동된다는 일정에 맞췄다.",
     ["fab-start"]),
])
def test_a_clause_without_its_own_subject_takes_the_part_its_context_names(tmp_path, title, text, alerted):
    found = alerts_under(tmp_path, PARTS_RULE, text, title=title)
    assert [f.fact.id for f in found] == alerted, [(f.claim.text, f.explanation) for f in found]


# A sixth programme of another shape (an aircraft): flights and roll-outs are events, a
# correction notice's quoted error and a meeting about the first flight are not claims.
JET_RULE = """\
topic:
  id: maru
  name: 마루 전투기 개발사업
  recognise: [마루 전투기]
facts:
  - id: first-flight
    description: 마루 전투기 첫 비행일
    kind: date
    cues: [첫 비행, 최초비행]
    versions:
      - value: 2022-07-19
        from: 2022-07-19
        source: 가상일보 2022-07-19
  - id: production-period
    description: 마루 전투기 양산 기간
    kind: period
    cues: [양산, 부터, 까지, "~"]
    versions:
      - value: 2026~2032
        from: 2022-01-01
        source: 가상일보 2022-01-01
  - id: contract
    description: 마루 전투기 잔여 계약 규모
    kind: quantity
    unit: 억원
    cues: [잔여 계약]
    versions:
      - value: 2조3900억원
        from: 2025-06-01
        source: 가상일보 2025-06-01
  - id: localisation
    description: 마루 전투기 국산화율 목표
    kind: quantity
    unit: "%"
    cues: [국산화율]
    versions:
      - value: 65%
        from: 2021-01-01
        source: 가상일보 2021-01-01
  - id: chief
    description: 방위조달청장
    kind: role
    role: [청장]
    cues: [방위조달청, 방조청]
    versions:
      - value: 나봄
        ordinal: 12
        from: 2022-06-01
        source: 가상일보 2022-06-01
"""


@pytest.mark.parametrize(("text", "day", "alerted"), [
    ("마루 전투기 시제기가 지난 20일 첫 비행에 성공했다.", date(2022, 7, 22), True),
    ("마루 전투기 시제기는 지난달 최초비행 준비검토회의를 통과했다.", date(2022, 7, 22), False),
    ("마루 전투기 국산화율 목표는 56%다.", date(2024, 1, 1), True),
    # '까지' of another time phrase is grammar, not the period's cue
    ("마루 전투기 측은 이달 말까지 2023~2025년 3년간의 납부 계획을 내라고 했다.", date(2023, 10, 1), False),
    ("바로잡습니다. 마루 전투기 잔여 계약 규모를 2조9300억원으로 적었으나 2조3900억원이 맞기에 바로잡습니다.",
     date(2025, 7, 1), False),
])
def test_an_aircraft_programme(tmp_path, text, day, alerted):
    found = alerts_under(tmp_path, JET_RULE, text, day)
    assert bool(found) == alerted, [(f.claim.text, f.explanation) for f in found]


@pytest.mark.parametrize(("text", "day", "alerted"), [
    # the clause before ('… 출고됐고') has its own words: '출고' does not exclude the first flight
    ("마루 전투기 시제기는 2021년 4월 9일 출고됐고 첫 비행은 2022년 7월 29일 이뤄졌다.", date(2024, 1, 1), True),
])
def test_an_exclude_stays_in_its_clause(tmp_path, text, day, alerted):
    rule = JET_RULE.replace("    cues: [첫 비행, 최초비행]\n", "    cues: [첫 비행, 최초비행]\n    exclude: [출고]\n")
    found = alerts_under(tmp_path, rule, text, day)
    assert bool(found) == alerted, [(f.claim.text, f.explanation) for f in found]


def test_a_change_still_to_come_starts_from_todays_value(tmp_path):
    text = "소리 예술관 총사업비는 3500억원에서 내년 4000억원대로 불어난다."
    found = [f.claim.text for f in alerts_under(tmp_path, PART_RULE, text)]
    assert found == ["3500억원"]


def test_a_clause_sharing_the_subject_keeps_the_excludes_before_it(tmp_path):
    # '건물은 … 3개동으로 구성되고 오는 2023년 완공된다': the buildings (all three) are completed,
    # not the one building the fact is about, which the rule's exclude says.
    rule = JET_RULE + """\
  - id: hangar-done
    description: 마루 전투기 정비고 완공
    kind: date
    cues: [완공]
    exclude: [3개 동, 조립동]
    versions:
      - value: 2022-12
        from: 2021-01-01
        source: 가상일보 2021-01-01
"""
    text = "마루 전투기 단지의 건물은 조립동, 정비고 등 3개 동으로 구성되고 오는 2023년 완공된다."
    assert alerts_under(tmp_path, rule, text, date(2021, 11, 22)) == []


@pytest.mark.parametrize(("text", "alerted"), [
    # one post under two names: '방위조달청장 나봄' then '제13대 방조청장인 나 청장' (she is the 12th)
    ("나봄 방위조달청장은 마루 전투기 사업을 점검했다. 제13대 방조청장인 나 청장은 계약을 서두르겠다고 했다.", True),
    ("나봄 방위조달청장은 마루 전투기 사업을 점검했다. 제12대 방조청장인 나 청장은 계약을 서두르겠다고 했다.", False),
])
def test_numbered_titles_under_an_abbreviated_organisation(tmp_path, text, alerted):
    found = alerts_under(tmp_path, JET_RULE, text, date(2023, 1, 1))
    assert bool(found) == alerted, [(f.claim.text, f.explanation) for f in found]
