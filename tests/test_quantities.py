"""Tests for checker.quantities: quantities with counters, hedges and exact spans in Korean text."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.quantities import Quantity, parse_quantities

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
EOK = 10**8


def only(text: str) -> Quantity:
    found = parse_quantities(text)
    assert len(found) == 1, found
    return found[0]


def seed_quantities(prefix: str) -> dict[str, Quantity]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return {q.text: q for q in parse_quantities(path.read_text(encoding="utf-8"))}


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles not available")


@pytest.mark.parametrize(
    "sentence, text, value, unit, counter",
    [
        ("사업비 4116억원을 들인다.", "4116억원", 4116 * EOK, "KRW", "억원"),
        ("예산은 1조2천억원이다.", "1조2천억원", 12 * 10**11, "KRW", "억원"),
        ("기금 3천965억 원이 모였다.", "3천965억 원", 3965 * EOK, "KRW", "억원"),
        ("입장료 5천원을 받는다.", "5천원", 5000, "KRW", "천원"),
        ("직원은 57명이다.", "57명", 57, "person", "명"),
        ("3인 가구가 늘었다.", "3인", 3, "person", "인"),
        ("부품 12개를 샀다.", "12개", 12, "count", "개"),
        ("센터 2개소를 연다.", "2개소", 2, "count", "개소"),
        ("기업 41개사가 모였다.", "41개사", 41, "company", "개사"),
        ("협력사 12社와 계약했다.", "12社", 12, "company", "社"),
        ("전국 9곳에 세운다.", "9곳", 9, "place", "곳"),
        ("민원 230건을 처리했다.", "230건", 230, "case", "건"),
        ("점유율 12.5%를 기록했다.", "12.5%", Decimal("12.5"), "percent", "%"),
        ("금리가 0.25%p 올랐다.", "0.25%p", Decimal("0.25"), "percent_point", "%p"),
        ("매출이 3배로 뛰었다.", "3배", 3, "times", "배"),
        ("부지 1만2천㎡를 샀다.", "1만2천㎡", 12000, "m2", "㎡"),
        ("부지 530m2를 샀다.", "530m2", 530, "m2", "m2"),
        ("아파트 84제곱미터가 팔렸다.", "84제곱미터", 84, "m2", "제곱미터"),
        ("매장 30평을 빌렸다.", "30평", 30, "pyeong", "평"),
        ("연산 능력 12.3PF를 갖춘다.", "12.3PF", Decimal("12.3"), "PF", "PF"),
        ("성능 950테라플롭스에 이른다.", "950테라플롭스", 950, "TF", "테라플롭스"),
        ("저장 용량 20PB가 늘었다.", "20PB", 20, "PB", "PB"),
        ("디스크 4TB를 달았다.", "4TB", 4, "TB", "TB"),
        ("공사는 6개월간 이어진다.", "6개월간", 6, "duration_month", "개월"),
        ("계획은 3개년으로 짰다.", "3개년", 3, "duration_year", "개년"),
        ("행정고시 31회 출신이다.", "31회", 31, "round", "회"),
        ("매장 5호점을 열었다.", "5호점", 5, "ho", "호점"),
        ("부산 5개국 대표가 왔다.", "5개국", 5, "country", "개국"),
    ],
)
def test_counter_and_unit(sentence, text, value, unit, counter):
    q = only(sentence)
    assert (q.text, q.value, q.unit, q.counter) == (text, Decimal(value), unit, counter)


@pytest.mark.parametrize(
    "sentence, text",
    [
        ("그는 7년간 일했다.", "7년간"),
        ("그는 7년 동안 일했다.", "7년 동안"),
        ("그는 7년 만에 돌아왔다.", "7년 만에"),
        ("그는 7년만에 돌아왔다.", "7년만에"),
        ("올해로 7년째 이어진다.", "7년째"),
        ("지난 20여년 간 일했다.", "20여년 간"),
        ("20여년 경력을 쌓았다.", "20여년"),
        ("공사는 1년여 만에 끝났다.", "1년여 만에"),
        ("공사는 10년 이상 걸린다.", "10년 이상"),
    ],
)
def test_duration_years(sentence, text):
    q = only(sentence)
    assert (q.text, q.unit) == (text, "duration_year")


@pytest.mark.parametrize(
    "sentence",
    ["2019년에 시작했다.", "7년 전 일이다.", "앞으로 100년을 내다본다.", "1990년대 이야기", "2020년 이상 기후"],
)
def test_years_that_are_not_durations_are_skipped(sentence):
    assert parse_quantities(sentence) == []


@pytest.mark.parametrize(
    "sentence, text, value, unit",
    [
        ("제5대 회장이 취임했다.", "제5대", 5, "ordinal"),
        ("제 12대 총장이다.", "제 12대", 12, "ordinal"),
        ("제41회 대회가 열렸다.", "제41회", 41, "round"),
        ("제2호 안건을 다뤘다.", "제2호", 2, "ho"),
        ("그는 초대 원장을 지냈다.", "초대", 1, "ordinal"),
        ("국가 5대 과제를 정했다.", "5대", 5, "item_dae"),
        ("10대중점과제를 발표했다.", "10대", 10, "item_dae"),
    ],
)
def test_ordinals_rounds_and_dae(sentence, text, value, unit):
    q = only(sentence)
    assert (q.text, q.value, q.unit) == (text, Decimal(value), unit)


@pytest.mark.parametrize("sentence", ["손님을 초대했다.", "초대장을 보냈다.", "헌법 제3조를 읽었다.", "제4차 회의를 열었다."])
def test_non_ordinal_uses_of_je_and_chodae_are_skipped(sentence):
    assert parse_quantities(sentence) == []


def test_bare_magnitude_without_won_is_bare():
    q = only("국비 327억에 시비를 더했다.")
    assert (q.text, q.value, q.unit, q.counter) == ("327억", 327 * EOK, "bare", "억")


@pytest.mark.parametrize(
    "sentence, text, hedge, kind, low, high, low_inc, high_inc",
    [
        ("모두 3000여억원을 쓴다.", "3000여억원", "여", "over", 3000 * EOK, 4000 * EOK, True, False),
        ("기업 60여개가 왔다.", "60여개", "여", "over", 60, 70, True, False),
        ("기업 60여 개가 왔다.", "60여 개", "여", "over", 60, 70, True, False),
        ("관객 2만여명이 모였다.", "2만여명", "여", "over", 20000, 30000, True, False),
        ("관객 300명 남짓이 왔다.", "300명 남짓", "남짓", "over", 300, 400, True, False),
        ("관객이 300명이 넘는 날", "300명이 넘는", "넘는", "over", 300, None, False, False),
        ("관객 300명 넘는 행사", "300명 넘는", "넘는", "over", 300, None, False, False),
        ("관객 300명 초과 시", "300명 초과", "초과", "over", 300, None, False, False),
        ("관객 300명 이상이 왔다.", "300명 이상", "이상", "over", 300, None, True, False),
        ("최소 300명이 왔다.", "최소 300명", "최소", "over", 300, None, True, False),
        ("약 4000억원을 쓴다.", "약 4000억원", "약", "approx", 3500 * EOK, 4500 * EOK, True, True),
        ("관객 300명가량이 왔다.", "300명가량", "가량", "approx", 250, 350, True, True),
        ("관객 310명 정도가 왔다.", "310명 정도", "정도", "approx", 305, 315, True, True),
        ("900억원 규모의 기금", "900억원 규모", "규모", "approx", 850 * EOK, 950 * EOK, True, True),
        ("물가는 2% 안팎이다.", "2% 안팎", "안팎", "approx", Decimal("1.5"), Decimal("2.5"), True, True),
        ("인원 30명 이하로 제한", "30명 이하", "이하", "under", 0, 30, True, True),
        ("인원 30명 미만이다.", "30명 미만", "미만", "under", 0, 30, True, False),
        ("최대 30명이 들어간다.", "최대 30명", "최대", "under", 0, 30, True, True),
        ("수백명이 몰렸다.", "수백명", "수백", "vague", 100, 1000, True, False),
        ("수십억원이 들었다.", "수십억원", "수십억", "vague", 10 * EOK, 100 * EOK, True, False),
        ("수만 명이 봤다.", "수만 명", "수만", "vague", 10**4, 10**5, True, False),
        ("지지율 30%대를 지켰다.", "30%대", "대", "over", 30, 40, True, False),
        ("1000억원대의 사업", "1000억원대", "대", "over", 1000 * EOK, 2000 * EOK, True, False),
    ],
)
def test_hedges_and_intervals(sentence, text, hedge, kind, low, high, low_inc, high_inc):
    q = only(sentence)
    assert (q.text, q.hedge, q.hedge_kind) == (text, hedge, kind)
    assert q.low == Decimal(low)
    assert q.high == (None if high is None else Decimal(high))
    assert (q.low_inclusive, q.high_inclusive) == (low_inc, high_inc)


def test_exact_quantity_is_a_point_interval():
    q = only("직원은 57명이다.")
    assert (q.hedge, q.hedge_kind, q.low, q.high, q.low_inclusive, q.high_inclusive) == (
        None, "exact", Decimal(57), Decimal(57), True, True)


def test_approx_and_yeo_together_cover_both_readings():
    q = only("약 4000여억원을 쓴다.")
    assert (q.text, q.hedge, q.hedge_kind) == ("약 4000여억원", "약 여", "over")
    assert (q.low, q.high) == (Decimal(3500 * EOK), Decimal(5000 * EOK))


def test_step_is_in_base_units():
    assert only("사업비 4116억원").step == Decimal(EOK)


def test_space_between_number_and_counter_and_unit_abbreviation():
    q = only("연산 12.5 페타플롭스(PF)의 성능")
    assert (q.text, q.value, q.unit, q.counter) == ("12.5 페타플롭스(PF)", Decimal("12.5"), "PF", "페타플롭스")


def test_mismatched_abbreviation_stays_outside_the_span():
    assert only("용량 30 페타바이트(PF) 오기").text == "30 페타바이트"


@pytest.mark.parametrize(
    "sentence",
    [
        "문의 (031)555-0199 로 연락",
        "메일 kim2024@example.com 으로",
        "사진 190101 현장 007.jpg",
        "https://example.org/news/12345 참조",
        "오후 14:30 시작",
        "서울 맑음12.5℃",
        "2023년 3월 2일 개막",
        "2021~2023년 사업",
        "2024. 3. 5. 09:10",
        "9-3번지",
        "2021 인공지능 대회",
        "3 개발 과제",
    ],
)
def test_no_quantities_in_phone_mail_files_times_temperatures_dates(sentence):
    assert parse_quantities(sentence) == []


@given(st.text(alphabet="0123456789,.억만조천여원명개약 수백십이상규모넘는가량%㎡()-:년간대제초", max_size=40))
def test_spans_always_slice_to_text(text):
    for q in parse_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.low is None or q.high is None or q.low <= q.high


@given(st.integers(min_value=1, max_value=10**15))
def test_comma_numbers_with_won_round_trip(n):
    q = only(f"사업비 {n:,}원을 쓴다")
    assert (q.value, q.unit) == (Decimal(n), "KRW")


def test_quantities_are_frozen():
    q = only("직원은 57명이다.")
    with pytest.raises(AttributeError):
        q.value = Decimal(1)


@needs_seeds
def test_seed_003_groundbreaking():
    found = seed_quantities("003")
    budget = found["4000여억원"]
    assert (budget.unit, budget.hedge_kind, budget.low, budget.high) == (
        "KRW", "over", Decimal(4000 * EOK), Decimal(5000 * EOK))
    assert (budget.low_inclusive, budget.high_inclusive) == (True, False)
    site = found["4만7256㎡ 규모"]
    assert (site.value, site.unit, site.step) == (Decimal(47256), "m2", Decimal(1))
    compute = found["88.5페타플롭스(PF)"]
    assert (compute.value, compute.unit) == (Decimal("88.5"), "PF")
    guests = found["200여명"]
    assert (guests.value, guests.unit, guests.hedge_kind) == (Decimal(200), "person", "over")
    assert found["5년간"].unit == "duration_year"


@needs_seeds
def test_seed_004_site_visit():
    found = seed_quantities("004")
    assert found["4116억원"].value == Decimal(4116 * EOK)
    assert found["4116억원"].hedge_kind == "exact"
    assert found["4만7256㎡"].hedge_kind == "exact"
    assert (found["8.85페타플롭스(PF)"].value, found["8.85페타플롭스(PF)"].unit) == (Decimal("8.85"), "PF")
    assert (found["10.7페타바이트(PB)"].value, found["10.7페타바이트(PB)"].unit) == (Decimal("10.7"), "PB")
    fund = found["1098억원 규모"]  # written '(1098억원 규모)': 규모 sits inside the brackets
    assert (fund.value, fund.hedge_kind) == (Decimal(1098 * EOK), "approx")
    assert found["80여개"].hedge_kind == "over"
    assert found["80여 개"].unit == "count"
    assert (found["35개사"].value, found["35개사"].unit) == (Decimal(35), "company")
    assert (found["155명"].value, found["155명"].unit) == (Decimal(155), "person")
    assert found["645억"].unit == "bare"


@needs_seeds
def test_seed_002_interview():
    found = seed_quantities("002")
    assert (found["48명"].value, found["48명"].unit) == (Decimal(48), "person")
    assert (found["48개"].value, found["48개"].unit) == (Decimal(48), "count")
    fund = found["1100억원 규모"]
    assert (fund.value, fund.hedge_kind, fund.low, fund.high) == (
        Decimal(1100 * EOK), "approx", Decimal(1050 * EOK), Decimal(1150 * EOK))
    assert (found["17회"].value, found["17회"].unit) == (Decimal(17), "round")
    assert (found["초대"].value, found["초대"].unit) == (Decimal(1), "ordinal")


@needs_seeds
def test_seed_000_new_director():
    found = seed_quantities("000")
    assert (found["88.5 페타플롭스(PF)"].value, found["88.5 페타플롭스(PF)"].unit) == (Decimal("88.5"), "PF")
    assert (found["107 페타바이트(PB)"].value, found["107 페타바이트(PB)"].unit) == (Decimal(107), "PB")
    assert (found["제3대"].value, found["제3대"].unit) == (Decimal(3), "ordinal")
    assert (found["28회"].value, found["28회"].unit) == (Decimal(28), "round")


@needs_seeds
def test_seed_001_ceremony():
    found = seed_quantities("001")
    assert (found["700여 명"].low, found["700여 명"].high) == (Decimal(700), Decimal(800))
    assert found["10년간"].unit == "duration_year"


@needs_seeds
@pytest.mark.parametrize("marker", ["℃", "TEL", "@", ".jpg", "Copyright", "등록번호", "2024.04.27"])
def test_no_quantity_from_boilerplate_lines(marker):
    for path in sorted(SEEDS.glob("0*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if marker not in line:
                continue
            claimed = [(q.start, q.end) for q in parse_quantities(line)]
            for token in re.finditer(r"\S+", line):
                if marker in token.group() or marker in ("TEL", "Copyright", "등록번호"):
                    assert not any(s < token.end() and token.start() < e for s, e in claimed), line


@needs_seeds
def test_seed_spans_slice_to_text():
    for path in sorted(SEEDS.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        for q in parse_quantities(text):
            assert text[q.start:q.end] == q.text


def test_gakkai_means_just_under():
    (q,) = parse_quantities("구성원은 50명 가까이 된다")
    assert (q.text, q.hedge, q.low, q.high) == ("50명 가까이", "가까이", Decimal(40), Decimal(50))



@pytest.mark.parametrize("text, value, unit", [
    ("총사업비는 4161 억원이다", Decimal("416100000000"), "KRW"),
    ("5년간 4116 억 원이 투입됐다", Decimal("411600000000"), "KRW"),
    ("연산능력 8.85 PFLOPS 규모", Decimal("8.85"), "PF"),
])
def test_spaced_magnitudes_and_pflops(text, value, unit):
    (q,) = [q for q in parse_quantities(text) if q.unit == unit]
    assert q.value == value


def test_counter_words_no_table_knows_become_their_own_units():
    """A program brings counters ('160량', '5개 역', '20편성'): each is its own unit, so a rule
    that names the word is enough, and labels such as '2지구' never pass for money or people."""
    found = {q.text: q.unit for q in parse_quantities("첨단 2지구 1단계에 전동차 160량, 5개 역, 8량씩 20편성")}
    assert found == {"2지구": "counter:지구", "1단계": "counter:단계", "160량": "counter:량",
                     "5개 역": "counter:개역", "8량": "counter:량", "20편성": "counter:편성"}
    assert {q.text: q.unit for q in parse_quantities("48개 정부기관, 3월 2일, 50개 기업")} == {"48개": "count", "50개": "count"}


@pytest.mark.parametrize("text, unit, value", [
    ("최고 시속 170㎞로", "km/h", Decimal(170)),
    ("연장 32.3㎞ 구간", "m", Decimal(32300)),
    ("3만2300m", "m", Decimal(32300)),
    ("21분 30초 만에", "s", Decimal(1290)),
    ("1시간 10분이면", "s", Decimal(4200)),
    ("하루 5만톤", "kg", Decimal(5 * 10**7)),
    ("설비용량 40MW", "kW", Decimal(40000)),
])
def test_standard_measures_are_read_into_one_base_unit(text, unit, value):
    (quantity,) = parse_quantities(text)
    assert (quantity.unit, quantity.value) == (unit, value)


@pytest.mark.parametrize("text", ["오후 2시 30분", "3분의 1", "1분기 실적"])
def test_clock_times_fractions_and_quarters_are_not_durations(text):
    assert all(q.unit != "s" for q in parse_quantities(text))


# Units a program may bring that no table lists: area and volume measures convert to one base
# unit; Latin counters ('TEU', 'GB') become generic units like the Hangul ones ('량').
@pytest.mark.parametrize(
    ("sentence", "text", "value", "unit"),
    [
        ("부지 3.3㏊를 확보했다.", "3.3㏊", Decimal("33000"), "m2"),
        ("부지는 12ha 규모다.", "12ha 규모", Decimal("120000"), "m2"),
        ("면적은 2.5㎢에 이른다.", "2.5㎢", Decimal("2500000"), "m2"),
        ("하루 1만5천ℓ를 쓴다.", "1만5천ℓ", Decimal("15000"), "L"),
        ("25t 트럭이 오간다.", "25t", Decimal("25000"), "kg"),
        ("연간 250만TEU를 처리한다.", "250만TEU", Decimal("2500000"), "counter:TEU"),
        ("저장 공간은 20GB다.", "20GB", Decimal("20"), "counter:GB"),
        ("공정은 20mm 두께다.", "20mm", Decimal("20"), "counter:mm"),
    ],
)
def test_area_volume_and_latin_counters(sentence, text, value, unit):
    found = only(sentence)
    assert (found.text, found.value, found.unit) == (text, value, unit)


@pytest.mark.parametrize("sentence", ["5G 망을 깐다.", "4K 영상을 튼다.", "2025 APEC 정상회의", "1st 라운드", "3D 프린터"])
def test_one_letter_tags_and_years_before_latin_words_are_no_quantities(sentence):
    assert parse_quantities(sentence) == []


def test_a_counter_the_rules_name_is_read_after_a_space_but_not_after_a_year():
    from checker.rulecompile import unit_code

    assert unit_code("만가구") == "counter:가구" and unit_code("만TEU") == "counter:TEU"
    assert [(q.text, q.value) for q in parse_quantities("신규 1만 가구를 공급한다.")] == [("1만 가구", Decimal(10000))]
    assert [(q.text, q.unit) for q in parse_quantities("처리량 250만 TEU 달성")] == [("250만 TEU", "counter:TEU")]
    assert parse_quantities("2030 가구 조사") == []  # a year-like number before a spaced word is a name
    assert [q.unit for q in parse_quantities("설비는 5MWh다.")] == ["kWh"]  # known units are not shadowed
