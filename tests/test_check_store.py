"""`factwatch check` stores what it read; claims are extracted once per version and re-judged by `recheck`."""

from __future__ import annotations

import json
import shutil

from sqlite_utils import Database

from conftest import ARTICLES, RULES, SEEDS, jsonl, run_cli


def test_input_formats_agree(tmp_path):
    record = json.loads((ARTICLES / "staff_count_80.json").read_text(encoding="utf-8"))
    (tmp_path / "a.txt").write_text(record["text"], encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    html = (f"<html><head><title>{record['title']}</title>"
            f"<meta property='article:published_time' content='{record['published']}'></head>"
            "<body><article>" + "".join(f"<p>{line}</p>" for line in record["text"].splitlines()) + "</article></body></html>")
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    outputs = {}
    for name, extra in [("a.txt", ["--published", "2023-06-01"]), ("a.jsonl", []), ("a.html", [])]:
        result = run_cli("check", "--no-store", "--format", "jsonl", *extra, str(tmp_path / name))
        outputs[name] = [(r["fact"], r["text"], r["verdict"]) for r in jsonl(result.output)]
        assert result.exit_code == 1, name
    stdin = run_cli("check", "--no-store", "--format", "jsonl", "--published", "2023-06-01", "-", input=record["text"])
    assert outputs["a.txt"] == outputs["a.jsonl"] == outputs["a.html"] == [
        (r["fact"], r["text"], r["verdict"]) for r in jsonl(stdin.output)
    ] == [("staff-count", "80명", "conflict")]


def test_bad_input_exits_2_with_the_file_and_line(tmp_path):
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"url": "x", "text": "본문"}\n{"url": \n', encoding="utf-8")
    result = run_cli("check", "--no-store", str(broken))
    assert result.exit_code == 2
    assert "b.jsonl:2:" in result.stderr
    missing = run_cli("check", "--no-store", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2 and "파일이 없습니다" in missing.stderr
    bad_date = run_cli("check", "--no-store", "--published", "어제", "-", input="본문")
    assert bad_date.exit_code == 2 and "--published" in bad_date.stderr


def test_readable_report_marks_the_claim_and_names_the_rule_line():
    result = run_cli("check", "--no-store", str(ARTICLES / "hedge_beyond.json"))
    assert result.exit_code == 1
    assert "【4000여억원】" in result.output
    assert "rules/gwangju_ai.yaml:" in result.output
    assert "전자신문 2022-01-24" in result.output  # the source of the value in force on the article's date (2022-11-22)


def test_unchanged_article_is_stored_once_and_not_reparsed(tmp_path):
    db_path = tmp_path / "fw.db"
    article = str(ARTICLES / "hedge_beyond.json")
    run_cli("--db", str(db_path), "check", article)
    db = Database(db_path)
    first_claims = [r["id"] for r in db["claims"].rows]
    run_cli("--db", str(db_path), "check", article)
    assert db["article_versions"].count == 1
    assert [r["id"] for r in db["claims"].rows] == first_claims
    assert db.execute("select count(*) from findings where alert = 1").fetchone()[0] == 1


def test_recheck_rejudges_stored_claims_without_reading_articles_again(tmp_path):
    db_path = tmp_path / "fw.db"
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    run_cli("--db", str(db_path), "--rules", str(rules), "check", str(ARTICLES / "staff_count_80.json"))
    db = Database(db_path)
    assert [r["verdict"] for r in db.query("select verdict from findings where fact_id = 'staff-count'")] == ["conflict"]
    # Prove the article is not re-parsed: replace its stored text with nothing but the topic's
    # name (topic recognition still reads the text); the claims can only come from storage.
    db.execute("update article_versions set text = '인공지능산업융합사업단'")
    db.conn.commit()
    rule_file = rules / "gwangju_ai.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace(
        "      - value: 48명\n        from: 2022-04-13",
        "      - value: 48명\n        from: 2022-04-13\n        until: 2023-01-31\n      - value: 80명\n        from: 2023-02-01",
    ), encoding="utf-8")
    result = run_cli("--db", str(db_path), "--rules", str(rules), "recheck")
    assert result.exit_code == 0, result.output
    assert [r["verdict"] for r in db.query("select verdict from findings where fact_id = 'staff-count'")] == ["match"]


def test_syndicated_copy_is_stored_but_checked_once(tmp_path):
    from checker.models import Article
    from checker.check_store import check_pending
    from checker.rules import load_rules
    from factwatch.store.articles import save_article
    from factwatch.store import open_db

    record = json.loads((ARTICLES / "hedge_beyond.json").read_text(encoding="utf-8"))
    db = open_db(tmp_path / "fw.db")
    for url in ("https://a.example.kr/1", "https://b.example.kr/9"):
        save_article(db, Article(url=url, title=record["title"], text=record["text"], story_key="story-1"))
    ids = check_pending(db, load_rules(RULES))
    assert db["articles"].count == 2
    assert len({r["version_id"] for r in db.query(f"select version_id from findings where id in ({','.join(map(str, ids))})")}) == 1


def test_seed_archive_rechecks(tmp_path):
    """The real seeds go through the stored path too (skipped only when ../shared is absent)."""
    import pytest

    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repo")
    db_path = tmp_path / "fw.db"
    seed = sorted(SEEDS.glob("003_*.txt"))[0]
    result = run_cli("--db", str(db_path), "check", "--published", "2021-11-22", str(seed))
    assert result.exit_code == 1
    again = run_cli("--db", str(db_path), "recheck")
    assert "알림 대상 1건" in again.output


def test_facts_are_mirrored_from_the_rule_files(tmp_path):
    db_path = tmp_path / "fw.db"
    run_cli("--db", str(db_path), "check", str(ARTICLES / "hedge_beyond.json"))
    db = Database(db_path)
    row = db["facts"].get("phase1-budget")
    assert row["file"] == "rules/gwangju_ai.yaml"
    versions = json.loads(row["data"])["versions"]
    assert [v["display"] for v in versions] == ["4061억원", "4116억원", "4119억원", "4265억원", "4269억원"]
    assert db["rule_sets"].count == 1
    run_cli("--db", str(db_path), "check", str(ARTICLES / "hedge_beyond.json"))
    assert db["rule_sets"].count == 1  # unchanged rules are not synced again


def test_near_copy_of_a_story_is_checked_but_an_exact_copy_is_not(tmp_path):
    from datetime import datetime

    from checker.models import Article
    from checker.check_store import check_pending
    from checker.rules import load_rules
    from factwatch.store.articles import save_article
    from factwatch.store import open_db

    record = json.loads((ARTICLES / "hedge_beyond.json").read_text(encoding="utf-8"))
    db = open_db(tmp_path / "fw.db")
    edited = record["text"].replace("4000여억원", "3000억원")
    for url, text in (("https://a.example.kr/1", record["text"]), ("https://b.example.kr/2", record["text"]),
                      ("https://c.example.kr/3", edited)):
        save_article(db, Article(url=url, title=record["title"], text=text, story_key="story-1",
                                 published=datetime.fromisoformat(record["published"])))
    check_pending(db, load_rules(RULES))
    checked = {r["url"]: r["verdicts"] for r in db.query(
        "select a.url, group_concat(f.verdict) as verdicts from findings f join article_versions v on v.id = f.version_id "
        "join articles a on a.id = v.article_id where f.fact_id = 'phase1-budget' group by a.url")}
    assert checked == {"https://a.example.kr/1": "imprecise", "https://c.example.kr/3": "conflict"}


def test_an_edit_marked_by_a_new_update_time_is_a_new_version(tmp_path):
    from datetime import datetime

    from checker.models import Article
    from factwatch.store.articles import save_article
    from factwatch.store import open_db

    db = open_db(tmp_path / "fw.db")
    first = Article(url="https://a.example.kr/1", title="제목", text="본문", updated=datetime(2021, 11, 22, 18, 0))
    assert save_article(db, first).status == "new"
    assert save_article(db, first).status == "unchanged"
    edited = Article(**{**first.__dict__, "updated": datetime(2021, 11, 23, 9, 0)})
    assert save_article(db, edited).status == "updated"
    assert save_article(db, edited).status == "unchanged"
    changed = Article(**{**edited.__dict__, "text": "고친 본문"})
    assert save_article(db, changed).status == "updated"
    undone = Article(**{**edited.__dict__, "text": "본문"})
    assert save_article(db, undone).status == "updated"  # an undone edit is the current text again
    assert [r["version"] for r in db["article_versions"].rows] == [1, 2, 3, 4]


def test_a_modified_time_that_is_just_the_fetch_time_is_not_an_edit(tmp_path):
    from datetime import datetime, timedelta, timezone

    from checker.models import Article
    from factwatch.store.articles import save_article
    from factwatch.store import open_db

    db = open_db(tmp_path / "fw.db")
    now = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)
    for hours in range(3):
        when = now + timedelta(hours=hours)
        article = Article(url="https://a.example.kr/1", title="제목", text="본문", updated=when)
        save_article(db, article, now=when)
    assert db["article_versions"].count == 1


def test_an_article_that_breaks_the_checker_is_recorded_and_skipped(tmp_path, monkeypatch):
    """A poison article must not stop every later one, cycle after cycle."""
    from checker import check_store
    from checker.models import Article
    from checker.rules import load_rules
    from factwatch.store.articles import save_article
    from factwatch.store import open_db

    record = json.loads((ARTICLES / "staff_count_80.json").read_text(encoding="utf-8"))
    db = open_db(tmp_path / "fw.db")
    save_article(db, Article(url="https://a.example.kr/poison", title="독", text="터지는 기사"))
    save_article(db, Article(url="https://a.example.kr/ok", title=record["title"], text=record["text"]))
    real = check_store.extract_claims

    def extract(text, published, *names):
        if text == "터지는 기사":
            raise RuntimeError("boom")
        return real(text, published, *names)

    monkeypatch.setattr(check_store, "extract_claims", extract)
    rules = load_rules(RULES)
    check_store.check_pending(db, rules)
    assert [r["verdict"] for r in db.query("select verdict from findings where alert = 1")] == ["conflict"]
    (poison,) = db.query("select check_error from article_versions where check_error is not null")
    assert "boom" in poison["check_error"]
    assert check_store.check_pending(db, rules) == []  # not retried every cycle


def test_report_and_stored_finding_point_at_the_same_line_to_edit(tmp_path):
    """The bot's alert and `factwatch check` both name the canonical value's line in the rule file."""
    db_path = tmp_path / "fw.db"
    result = run_cli("--db", str(db_path), "check", "--format", "jsonl", str(ARTICLES / "staff_count_80.json"))
    lines = (RULES / "gwangju_ai.yaml").read_text(encoding="utf-8").splitlines()
    value_line = next(n for n, line in enumerate(lines, start=1) if line.strip() == "- value: 48명")
    (record,) = jsonl(result.output)
    stored = json.loads(next(Database(db_path).query("select data from findings where alert = 1"))["data"])
    assert record["rule"] == stored["rule"] == f"rules/gwangju_ai.yaml:{value_line}"
