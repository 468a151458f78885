"""`factwatch check` input: one bad article never stops the others, and HTML is known by its content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ARTICLES, jsonl, run_cli


def staff_record(**extra) -> dict:
    record = json.loads((ARTICLES / "staff_count_80.json").read_text(encoding="utf-8"))
    return {**record, **extra}


def alert_texts(output: str) -> list[tuple[str, str]]:
    return [(r["article"], r["text"]) for r in jsonl(output) if r["alert"]]


# ---------------------------------------------------------------- item 15: bad input does not stop the batch


def test_a_malformed_jsonl_line_does_not_stop_the_lines_after_it(tmp_path):
    good = json.dumps(staff_record(url="https://news.example.kr/a"), ensure_ascii=False)
    later = json.dumps(staff_record(url="https://news.example.kr/c"), ensure_ascii=False)
    batch = tmp_path / "batch.jsonl"
    batch.write_text(f'{good}\n{{"url": "b", "text": \n{later}\n[1, 2]\n', encoding="utf-8")
    result = run_cli("check", "--no-store", "--format", "jsonl", str(batch))
    assert result.exit_code == 2  # bad input wins over "alerts found", but only at the end
    assert alert_texts(result.stdout) == [("https://news.example.kr/a", "80명"), ("https://news.example.kr/c", "80명")]
    assert f"{batch}:2:" in result.stderr and f"{batch}:4:" in result.stderr
    assert "2건" in result.stderr  # the summary counts the bad ones


def test_an_unreadable_file_among_many_is_reported_and_the_rest_are_checked(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(staff_record(), ensure_ascii=False), encoding="utf-8")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    broken = tmp_path / "broken.json"
    broken.write_text('{"url": "x",\n "text": }', encoding="utf-8")
    result = run_cli("check", "--no-store", "--format", "jsonl",
                     str(tmp_path / "missing.txt"), str(folder), str(broken), str(good))
    assert result.exit_code == 2
    assert alert_texts(result.stdout) == [("https://news.example.kr/staff_count_80", "80명")]
    assert "missing.txt: 파일이 없습니다" in result.stderr
    assert "folder.txt:" in result.stderr and "폴더" in result.stderr
    assert f"{broken}:2:" in result.stderr
    assert "Traceback" not in result.output


def test_an_undecodable_line_is_one_bad_article_not_a_bad_file(tmp_path):
    good = json.dumps(staff_record(), ensure_ascii=False).encode("utf-8")
    batch = tmp_path / "mixed.jsonl"
    batch.write_bytes(b'{"url": "x", "text": "\xff\xfe\xfa"}\n' + good + b"\n")
    result = run_cli("check", "--no-store", "--format", "jsonl", str(batch))
    assert result.exit_code == 2
    assert f"{batch}:1:" in result.stderr
    assert len(alert_texts(result.stdout)) == 1


def test_bad_articles_are_not_stored_and_good_ones_are(tmp_path):
    from sqlite_utils import Database

    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(staff_record(), ensure_ascii=False) + '\n{"text": ""}\n', encoding="utf-8")
    db_path = tmp_path / "fw.db"
    result = run_cli("--db", str(db_path), "check", str(batch))
    assert result.exit_code == 2 and f"{batch}:2:" in result.stderr
    assert Database(db_path)["article_versions"].count == 1


def test_a_newsroom_export_with_extra_fields_is_accepted_with_one_warning(tmp_path):
    first = tmp_path / "a.json"
    first.write_text(json.dumps(staff_record(id=17, author="홍길동", section="사회", desk={"name": "전국"}),
                                ensure_ascii=False), encoding="utf-8")
    batch = tmp_path / "b.jsonl"
    batch.write_text("".join(json.dumps(staff_record(id=n, section="사회", byline_photo="x.jpg"), ensure_ascii=False) + "\n"
                             for n in range(3)), encoding="utf-8")
    result = run_cli("check", "--no-store", "--format", "jsonl", str(first), str(batch))
    assert result.exit_code == 1  # alerts, no bad input
    assert len(alert_texts(result.stdout)) == 4
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1, warnings
    assert "경고" in warnings[0]
    for key in ("id", "section", "desk", "byline_photo"):
        assert key in warnings[0]
    assert "author" not in warnings[0]  # a field factwatch uses is not "unknown"


def test_a_bad_published_option_is_reported_once(tmp_path):
    one, two = tmp_path / "1.txt", tmp_path / "2.txt"
    for path in (one, two):
        path.write_text("인공지능산업융합사업단 구성원은 80명이다.", encoding="utf-8")
    result = run_cli("check", "--no-store", "--published", "어제", str(one), str(two))
    assert result.exit_code == 2
    assert result.stderr.count("--published") == 1


# ---------------------------------------------------------------- item 17: HTML is known by its content

PAGE = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>사업단 인력 48명으로 늘어</title>
<meta property="article:published_time" content="2022-05-02T09:00:00+09:00">
<style>.staff::after { content: "사업단 구성원 90명"; } .w { width: 80명; }</style>
<script>var banner = "인공지능산업융합사업단 구성원은 80명"; var total = 4000;</script>
</head><body>
<noscript>인공지능산업융합사업단 구성원은 70명이라고 사업단은 밝혔다.</noscript>
<article><h1>사업단 인력 48명으로 늘어</h1>
<p>인공지능산업융합사업단 구성원은 48명이라고 사업단은 밝혔다.</p>
<p>사업단은 AI 집적단지 운영을 맡고 있으며 올해 안에 기업 지원을 넓힐 계획이다.</p>
<script>document.write("사업단 구성원은 60명");</script>
</article></body></html>
"""


def page_records(output: str) -> list[tuple[str, str]]:
    return [(r["text"], r["verdict"]) for r in jsonl(output)]


@pytest.mark.parametrize("name", ["article.php", "article", "article.txt", "-"])
def test_html_is_parsed_as_html_whatever_the_file_is_called(tmp_path, name):
    args = ["check", "--no-store", "--format", "jsonl"]
    if name == "-":
        result = run_cli(*args, "-", input=PAGE)
    else:
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
        result = run_cli(*args, str(tmp_path / name))
    # Only the article's own sentence is a claim: nothing from <script>, <style> or <noscript>,
    # and the date comes from the page's metadata (no --published needed).
    assert page_records(result.stdout) == [("48명", "match")], result.output
    assert result.exit_code == 0
    assert all(r["published"].startswith("2022-05-02") for r in jsonl(result.stdout))


def test_cp949_html_without_an_extension_is_parsed_as_html(tmp_path):
    page = tmp_path / "view"
    page.write_bytes(PAGE.replace('charset="utf-8"', 'charset="euc-kr"').encode("cp949"))
    result = run_cli("check", "--no-store", "--format", "jsonl", str(page))
    assert page_records(result.stdout) == [("48명", "match")]


def test_html_in_a_record_text_field_is_parsed_as_html(tmp_path):
    batch = tmp_path / "export.jsonl"
    batch.write_text(json.dumps({"url": "https://news.example.kr/p", "text": PAGE}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    result = run_cli("check", "--no-store", "--format", "jsonl", str(batch))
    assert page_records(result.stdout) == [("48명", "match")]


def test_text_that_only_mentions_angle_brackets_stays_text(tmp_path):
    script = tmp_path / "broadcast.txt"
    script.write_text("<앵커>\n인공지능산업융합사업단 구성원은 80명이라고 사업단은 밝혔다.\n", encoding="utf-8")
    result = run_cli("check", "--no-store", "--format", "jsonl", "--published", "2023-06-01", str(script))
    assert page_records(result.stdout) == [("80명", "conflict")]


def test_a_big_jsonl_export_on_stdin_is_read_whole(tmp_path):
    line = json.dumps(staff_record(text=staff_record()["text"] + "\n" + "사업단 소식. " * 60_000), ensure_ascii=False)
    assert len(line.encode("utf-8")) < 2_000_000
    export = "\n".join([line] * 3) + "\n"
    assert len(export.encode("utf-8")) > 2_000_000  # more than the one-article cap, all of it read
    result = run_cli("check", "--no-store", "--format", "jsonl", "-", input=export)
    assert result.exit_code == 1, result.stderr
    assert "UTF-8" not in result.stderr
    assert len(alert_texts(result.stdout)) == 3


def test_stdin_over_the_input_cap_says_it_was_cut(monkeypatch):
    import checker.article_input as article_input

    monkeypatch.setattr(article_input, "MAX_INPUT_BYTES", 2_000)
    line = json.dumps(staff_record(), ensure_ascii=False)
    export = "\n".join([line] * 20) + "\n"
    result = run_cli("check", "--no-store", "--format", "jsonl", "-", input=export)
    assert result.exit_code == 2
    assert "UTF-8" not in result.stderr
    assert "읽지 않았습니다" in result.stderr and "<stdin>:" in result.stderr
    assert len(alert_texts(result.stdout)) >= 1  # the lines before the cut are checked


def test_one_article_on_stdin_over_2_mb_says_too_big():
    result = run_cli("check", "--no-store", "--published", "2023-06-01", "-", input="사업단 소식. " * 200_000)
    assert result.exit_code == 2
    assert "너무 큽니다" in result.stderr and "UTF-8" not in result.stderr


# ---------------------------------------------------------------- item 21: progress on long work


def test_check_shows_progress_on_a_terminal_and_stays_quiet_when_piped(tmp_path):
    import subprocess
    import sys

    from conftest import run_with_terminal_stderr

    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(staff_record(url=f"https://news.example.kr/{n}"), ensure_ascii=False)
                               for n in range(3)) + "\n", encoding="utf-8")
    rules = Path(__file__).resolve().parent.parent / "rules"
    command = [sys.executable, "-c", "from factwatch.cli import main; main()", "--rules", str(rules), "check",
               "--no-store", "--format", "jsonl", str(batch)]
    piped = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 1 and "검사" not in piped.stderr and "\r" not in piped.stderr

    status, text, out = run_with_terminal_stderr(command, tmp_path)
    assert status == 1
    assert "검사 중: 파일 1/1" in text and "검사 끝: 기사 3건, 알림 3건" in text, text
    assert len(jsonl(out)) >= 3 and "\r" not in out
