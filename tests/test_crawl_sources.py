"""The sources file: the documented example loads, and every mistake is reported with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sources import Source, SourcesError, load_sources

REPO = Path(__file__).resolve().parent.parent


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_documented_example_loads():
    sources = load_sources(REPO / "sources.example.yaml")
    assert {source.kind for source in sources} == {"feed", "sitemap", "listing", "naver_api"}


def test_fixture_sources_load_once_filled_in(tmp_path):
    text = (REPO / "tests/newsweb/sources.yaml").read_text(encoding="utf-8").replace("{{base_url}}", "http://127.0.0.1:1")
    names = [source.name for source in load_sources(_write(tmp_path, text))]
    assert names == ["bitgoeul_rss", "namdo_sitemap", "daum_local", "naver_search", "broken_feed"]


def test_defaults_and_disabled_sources(tmp_path):
    path = _write(tmp_path, "sources:\n  - {name: a, kind: feed, url: 'https://x.kr/rss'}\n"
                            "  - {name: b, kind: feed, url: 'https://y.kr/rss', enabled: false}\n")
    assert load_sources(path) == [Source(name="a", kind="feed", url="https://x.kr/rss", site="https://x.kr")]


@pytest.mark.parametrize(
    "entry, message",
    [
        ("{name: a, kind: rss, url: 'https://x.kr'}", ":3: sources[1].kind: 'rss'은(는) 쓸 수 없습니다. 쓸 수 있는 값: feed, sitemap, listing, naver_api"),
        ("{name: a, kind: feed}", ":3: sources[1].url: http(s) 주소가 필요합니다"),
        ("{name: A B, kind: feed, url: 'https://x.kr'}", ":3: sources[1].name:"),
        ("{name: a, kind: naver_api}", ":3: sources[1].query: 검색어가 필요합니다"),
        ("{name: a, kind: listing, url: 'https://x.kr'}", ":3: sources[1].link_pattern:"),
        ("{name: a, kind: listing, url: 'https://x.kr', link_pattern: '(['}", ":3: sources[1].link_pattern: 정규식 오류"),
        ("{name: a, kind: feed, url: 'https://x.kr', selectors: {headline: h1}}", ":3: sources[1].selectors: 'headline'은(는) 알 수 없는 항목입니다."),
        ("{name: a, kind: feed, url: 'https://x.kr', urls: 1}", ":3: sources[1]: 'urls'은(는) 알 수 없는 항목입니다. 'url'을(를) 쓰려던 것인가요?"),
        ("{name: ok, kind: feed, url: 'https://x.kr'}", ":3: sources[1].name: 'ok' 이름이 중복됩니다"),
        ("{name: a, kind: naver_api, query: q, display: 500}", ":3: sources[1].display: 1~100 사이의 값입니다 (기본 50, 지금 500)"),
        ("{name: a, kind: feed, url: 'https://x.kr', enabled: maybe}", ":3: sources[1].enabled: true 또는 false를 씁니다"),
    ],
)
def test_mistakes_name_the_line_and_the_fix(tmp_path, entry, message):
    path = _write(tmp_path, f"sources:\n  - {{name: ok, kind: feed, url: 'https://x.kr/rss'}}\n  - {entry}\n")
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(SourcesError, match="소스 파일이 없습니다"):
        load_sources(tmp_path / "nope.yaml")
    with pytest.raises(SourcesError, match=r"sources.yaml:\d+: YAML 문법 오류"):
        load_sources(_write(tmp_path, "sources:\n  - {name: a\n"))


def test_every_problem_is_reported_at_once_at_the_line_of_its_key(tmp_path):
    path = _write(tmp_path, "sources:\n  - name: a\n    kind: feed\n    urll: 'https://x.kr/rss'\n"
                            "  - name: b\n    kind: listing\n    url: 'https://y.kr'\n    max_pages: many\n")
    with pytest.raises(SourcesError) as error:
        load_sources(path)
    lines = str(error.value).splitlines()
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in lines] == ["2", "4", "5", "8"], lines
    assert "sources[0]: 'urll'은(는) 알 수 없는 항목입니다. 'url'을(를) 쓰려던 것인가요?" in lines[1]
    assert "sources[0].url: http(s) 주소가 필요합니다" in lines[0]
    assert "sources[1].link_pattern: 기사 링크의 정규식이 필요합니다" in lines[2]
    assert "sources[1].max_pages: 정수를 씁니다 (예: 5)" in lines[3]


def test_a_key_written_twice_is_an_error(tmp_path):
    path = _write(tmp_path, "sources:\n  - name: a\n    kind: feed\n    url: 'https://x.kr/rss'\n    url: 'https://y.kr/rss'\n")
    with pytest.raises(SourcesError, match=r"sources.yaml:5: YAML 문법 오류: 'url' 키가 두 번 나옵니다"):
        load_sources(path)
