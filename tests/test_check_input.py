"""`factwatch check` input: one bad article never stops the others, and HTML is known by its content."""

from __future__ import annotations

import json

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
