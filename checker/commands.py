"""`factwatch check`, `recheck`, `rules check`, `rules test`, `rules suggest`: the checker's command line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click

# The command line sits above every part of the flow (docs/architecture.md): `recheck` and
# `rules keep` also settle the bot's held alerts, `check page.html` reads with the crawler's reader.
from bot.holds import NoCandidate, keep_value, open_candidates, settle_holds
from checker.article_input import HtmlPage, InputError, parse_published, read_input
from checker.check import judge_claims, link_claims
from checker.check_store import recheck_all, store_and_check
from checker.claims import extract_claims
from checker.examples import run_examples
from checker.explain import explain_records, explain_text
from checker.report import build_json_record, build_text_report
from checker.rules import RuleFileErrors, RuleSet, load_rules
from checker.suggest import frequent_unlinked, render_suggestions, summarize
from checker.suggest_store import load_reports, load_unlinked
from crawler.extract import extract_article
from factwatch.options import settings_group, with_settings
from factwatch.store import counts, open_db

EXIT_ALERTS = 1
EXIT_BAD_INPUT = 2


def _load_rules_or_exit(settings) -> RuleSet:
    try:
        return load_rules(settings.rules_dir)
    except RuleFileErrors as errors:
        for error in errors.errors:
            click.echo(f"오류: {error}", err=True)
        for warning in errors.warnings:
            click.echo(f"경고: {warning}", err=True)
        click.echo(f"규칙 파일에 문제가 {len(errors.errors)}건 있습니다. 위 file:line을 고친 뒤 다시 실행하세요.", err=True)
        sys.exit(EXIT_BAD_INPUT)


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--published", help="Publication date for .txt input (e.g. 2021-11-22).")
@click.option("--format", "output", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@click.option("--store/--no-store", default=True, show_default=True, help="Save articles, claims and findings in the database.")
@click.option("--explain", is_flag=True, help="Also show, for every figure, date and name, the candidate facts, their evidence and why one was chosen or none.")
@with_settings
def check(files, published, output, store, explain, settings):
    """Check articles (.txt .html .json .jsonl, or - for stdin) against the rules.

    Exit status: 0 no alerts, 1 alerts, 2 bad input (a bad article is named with file:line
    and skipped; every readable one is still checked). Unknown record fields are ignored.

    \b
    Example:
        factwatch check article.txt --published 2021-11-22
        factwatch check articles.jsonl --format jsonl
    """
    rules = _load_rules_or_exit(settings)
    try:
        published_at = parse_published(published, "--published")
    except InputError as error:
        click.echo(f"오류: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    db = open_db(settings.db_path) if store else None
    alerts, problems, ignored = 0, 0, {}
    # File by file, so a bad article is reported where it is met and the rest are still checked.
    # Progress only where a person watches stderr while the results go to a file or a pipe.
    progress = _Progress(sys.stderr) if sys.stderr.isatty() and not sys.stdout.isatty() else None
    for number, path in enumerate(files, 1):
        batch = read_input(path, published_at, _read_html)
        for problem in batch.problems:
            click.echo(f"오류: {problem}", err=True)
        problems += len(batch.problems)
        for key, where in batch.ignored.items():
            ignored.setdefault(key, where)
        for article in batch.articles:
            if progress:
                progress.step(number, len(files))
            topics = rules.topics_of(article.title, article.text)
            if db is not None:
                findings = store_and_check(db, article, rules)
            else:
                day = article.published_date
                findings = judge_claims(extract_claims(article.text, day, rules.known_names), rules, day, topics,
                                        article.title)
            alerts += sum(f.alert for f in findings)
            if output == "jsonl":
                for finding in findings:
                    click.echo(json.dumps(build_json_record(article, finding), ensure_ascii=False))
            else:
                skipped = tuple(d.why for d in rules.topic_decisions(article.title, article.text)) if not topics else ()
                click.echo(build_text_report(article, findings, sorted(topics), skipped))
            if explain:
                _explain(article, rules, output)
    if progress:
        progress.done(alerts)
    if ignored:
        first = next(iter(ignored.values()))
        click.echo(f"경고: 기사 항목 {', '.join(sorted(ignored))}은(는) factwatch가 쓰지 않아 무시했습니다 (처음 나온 곳: {first})",
                   err=True)
    if problems:
        click.echo(f"읽지 못한 기사 {problems}건은 건너뛰고 나머지를 검사했습니다. 위 file:line을 고친 뒤 그 기사만 다시 넣으세요.",
                   err=True)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_ALERTS if alerts else 0)


class _Progress:
    """"검사 중: 파일 3/120 · 기사 1,204건" on one terminal line (never when stderr is piped)."""

    def __init__(self, stream):
        self.stream, self.articles = stream, 0

    def step(self, file_number: int, files: int) -> None:
        self.articles += 1
        if self.articles % 50 == 1 or file_number == files:
            self.stream.write(f"\r검사 중: 파일 {file_number}/{files} · 기사 {self.articles:,}건")
            self.stream.flush()

    def done(self, alerts: int) -> None:
        self.stream.write(f"\r검사 끝: 기사 {self.articles:,}건, 알림 {alerts:,}건\n")
        self.stream.flush()


def _read_html(raw: bytes, url: str) -> HtmlPage:
    """A saved page read as the crawler reads one (trafilatura, htmldate, the outlet's clues)."""
    return extract_article(raw, url)


def _explain(article, rules: RuleSet, output: str) -> None:
    """What a rule maintainer needs to fix a miss: per claim, the facts weighed and the deciding word."""
    day = article.published_date
    decisions = rules.topic_decisions(article.title, article.text)
    topics = {d.topic for d in decisions if d.recognised}
    links = link_claims(extract_claims(article.text, day, rules.known_names), rules, day, topics, article.title)
    if output == "jsonl":
        for record in explain_records(article, decisions, links):
            click.echo(json.dumps(record, ensure_ascii=False))
    else:
        click.echo(explain_text(decisions, links))


@click.command()
@with_settings
def recheck(settings):
    """Re-judge every stored claim against the current rule files (no article is re-parsed).

    \b
    Example:
        factwatch recheck
    """
    rules = _load_rules_or_exit(settings)
    db = open_db(settings.db_path)
    versions, claims = recheck_all(db, rules)
    alerts = counts.alerting_findings(db)
    click.echo(f"기사 {versions}건의 주장 {claims}건을 규칙 {rules.content_hash}로 다시 판정했습니다. 알림 대상 {alerts}건.")
    # Held alerts ("규칙 확인 중") whose claims the new rules accept are closed (bot/holds.py).
    closed, adopted = settle_holds(db, datetime.now(UTC))
    if closed or adopted:
        click.echo(f"규칙 확인 중이던 알림 {closed}건을 닫았습니다 (새 값 후보 {adopted}건이 규칙에 반영됨).")


@click.group()
@settings_group
def rules():
    """Lint and test the rule files.

    \b
    Example:
        factwatch rules --rules rules/ check
    """


@rules.command("check")
@with_settings
def rules_check(settings):
    """Validate every rule file; problems are printed as file:line.

    \b
    Example:
        factwatch rules check --rules rules/
    """
    ruleset = _load_rules_or_exit(settings)
    for warning in ruleset.warnings:
        click.echo(f"경고: {warning}", err=True)
    verdict = f"오류는 없고 경고가 {len(ruleset.warnings)}건 있습니다 (위 file:line)" if ruleset.warnings else "문제 없습니다"
    click.echo(f"규칙 파일 {len(ruleset.files)}개, 주제 {len(ruleset.topics)}개, 사실 {len(ruleset.facts)}개: {verdict}.")


@rules.command("test")
@with_settings
def rules_test(settings):
    """Run every fact's examples: `flag` sentences must alert, `pass` sentences must not.

    \b
    Example:
        factwatch rules test
    """
    ruleset = _load_rules_or_exit(settings)
    results = run_examples(ruleset)
    failed = [r for r in results if not r.ok]
    for result in failed:
        click.echo(f"실패 {result.where}: [{result.fact.id}] {result.problem}\n    예문: {result.text}")
    click.echo(f"예문 {len(results)}개 중 {len(results) - len(failed)}개 통과, {len(failed)}개 실패.")
    sys.exit(EXIT_ALERTS if failed else 0)


@rules.command("suggest")
@click.option("--min-stories", default=2, show_default=True,
              help="Independent stories a figure no fact covers needs to be listed.")
@click.option("--fact", "fact_ids", multiple=True, help="Only these facts (repeatable).")
@with_settings
def rules_suggest(settings, min_stories, fact_ids):
    """From the stored archive: per fact, the values reported, by how many independent stories
    and outlets, first and last seen, examples and a ready-to-paste `versions:` entry; then the
    figures with a label of their own that no fact covers but several stories print.

    \b
    Example:
        factwatch --db factwatch.db rules suggest
        factwatch rules suggest --fact staff-count
    """
    ruleset = _load_rules_or_exit(settings)
    facts = [f for f in ruleset.facts if not fact_ids or f.id in fact_ids]
    db = open_db(settings.db_path)
    try:
        summaries = summarize(load_reports(db, {f.id for f in facts}), facts)
        unlinked = frequent_unlinked(load_unlinked(db), min_stories) if not fact_ids else []
    finally:
        db.close()
    click.echo(render_suggestions(facts, summaries, unlinked))


@rules.command("keep")
@click.argument("fact")
@click.argument("value")
@with_settings
def rules_keep(settings, fact, value):
    """Answer a "새 값 후보" notice: the rules are right, VALUE is wrong for FACT. The alerts held
    as "규칙 확인 중" are released (the bot sends them), and later reports of VALUE alert at once.

    \b
    Example:
        factwatch rules keep staff-count 61명
    """
    db = open_db(settings.db_path)
    try:
        released = keep_value(db, fact, value, datetime.now(UTC))
    except NoCandidate:
        open_ones = ", ".join(f"{row.fact_id} {row.written}" for row in open_candidates(db)) or "없음"
        click.echo(f"오류: [{fact}] {value}에 대한 열린 새 값 후보가 없습니다 (열린 후보: {open_ones})", err=True)
        sys.exit(EXIT_BAD_INPUT)
    finally:
        db.close()
    click.echo(f"[{fact}] {value}: 규칙의 값을 유지합니다. 보류했던 알림 {released}건을 보내도록 대기열에 넣었습니다.")


@rules.command("schema")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
@with_settings
def rules_schema(settings, out):
    """Print the JSON Schema of a rule file, for editors (`# yaml-language-server: $schema=…`)."""
    from factwatch.schemas import write_schema

    write_schema("rules", out)


COMMANDS = [check, recheck, rules]
