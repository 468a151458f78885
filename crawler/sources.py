"""Reads and validates the sources file (sources.yaml): which feeds, sitemaps, listings and searches to crawl."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from checker.rulefile import explain_yaml_error, load_yaml_with_lines
from crawler.sites import Scope, Sites, SiteSettings, parse_scope
from crawler.sources_schema import KINDS, NAVER_API_BASE, SourcesFileSpec, SourceSpec
from factwatch.fileschema import Problem, dotted, unknown_keys, validate

__all__ = ["KINDS", "NAVER_API_BASE", "Source", "SourcesError", "load_sources", "sites_of"]


class SourcesError(ValueError):
    """The sources file is malformed; the message says path:line and how to fix it."""


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str | None = None
    outlet: str | None = None
    selectors: dict = field(default_factory=dict)
    enabled: bool = True
    link_pattern: str | None = None
    next_page: str | None = None
    max_pages: int = 5
    query: str | None = None
    display: int = 50
    sort: str = "date"
    api_base: str = NAVER_API_BASE
    follow: str = "link"  # naver_api: "link" (the portal copy) or "originallink" (the outlet's page)
    max_results: int = 100
    # Where `selectors` and `outlet` apply (crawler/sites.py): a host or a URL prefix; by default
    # the host of `url`. None for a naver_api source without settings.
    site: str | None = None

    @property
    def scope(self) -> Scope | None:
        return parse_scope(self.site) if self.site else None


def sites_of(sources: list[Source]) -> Sites:
    """The per-site extraction settings the sources declare (checked for conflicts by load_sources)."""
    return Sites([
        (source.scope, SiteSettings(dict(source.selectors), source.outlet))
        for source in sources if source.scope is not None and (source.selectors or source.outlet)
    ])


def load_sources(path: str | Path) -> list[Source]:
    """All enabled sources in the file, validated; raises SourcesError naming path:line of
    every problem (the schema in crawler/sources_schema.py, then names and sites)."""
    path = Path(path)
    if not path.exists():
        raise SourcesError(f"{path}: 소스 파일이 없습니다 (예시: sources.example.yaml)")
    text = path.read_text(encoding="utf-8")
    try:
        data = load_yaml_with_lines(text) or {}
    except yaml.MarkedYAMLError as error:
        line, reason = explain_yaml_error(error)
        raise SourcesError(f"{path}:{line}: YAML 문법 오류: {reason}") from None
    except yaml.YAMLError as error:
        raise SourcesError(f"{path}:1: YAML 문법 오류: {error}") from None
    items = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SourcesError(f"{path}:1: 최상위에 'sources:' 목록이 있어야 합니다")
    problems = unknown_keys(SourcesFileSpec, data, (), _where)
    sources, names = [], set()
    claimed: dict[Scope, tuple[str, SiteSettings]] = {}
    for index, item in enumerate(items):
        line = items.line_at(index) if hasattr(items, "line_at") else 1
        source, found = _parse(item, ("sources", index))
        problems += [p if p.line else Problem(line, p.path, p.message) for p in found]
        if source is None:
            continue
        where = f"{path}:{line}: sources[{index}]"
        try:
            if source.name in names:
                raise SourcesError(f"{where}.name: '{source.name}' 이름이 중복됩니다")
            names.add(source.name)
            _check_site_claim(source, where, claimed)
        except SourcesError as error:
            problems.append(Problem(0, (), str(error)))
            continue
        if source.enabled:
            sources.append(source)
    if problems:
        raise SourcesError("\n".join(_say(path, p) for p in sorted(problems, key=lambda p: p.line)))
    return sources


def _where(path) -> str:
    return dotted(path) or "파일 맨 위"


def _say(path: Path, problem: Problem) -> str:
    if not problem.line:  # already worded with its place
        return problem.message
    if "알 수 없는 항목" in problem.message or "이름 없는 항목" in problem.message:
        return f"{path}:{problem.line}: {problem.message}"
    return f"{path}:{problem.line}: {dotted(problem.path)}: {problem.message}"


def _check_site_claim(source: Source, where: str, claimed: dict) -> None:
    """Two sources may not give one site different settings: which would apply would depend on their order."""
    if source.scope is None or not (source.selectors or source.outlet):
        return
    settings = SiteSettings(dict(source.selectors), source.outlet)
    other = claimed.setdefault(source.scope, (source.name, settings))
    if other[1] != settings:
        raise SourcesError(
            f"{where}: 소스 '{other[0]}'와 같은 사이트({source.scope})에 다른 selectors/outlet 을 줍니다. "
            f"사이트마다 한 번만 적거나, 한 호스트에 여러 언론사가 있으면 site: 에 URL 접두어를 적으세요 "
            f"(예: site: 'https://news.example.kr/economy/')"
        )


def _parse(item, path) -> tuple[Source | None, list[Problem]]:
    if not isinstance(item, dict):
        return None, [Problem(0, path, SourceSpec.NOT_A_MAPPING)]
    spec, problems = validate(SourceSpec, item, path, named=False)
    if spec is None:
        return None, problems
    selectors = {key: value for key, value in (spec.selectors.model_dump() if spec.selectors else {}).items() if value}
    site = spec.site
    if site is None and spec.kind != "naver_api":
        site = f"{urlsplit(spec.url or '').scheme}://{urlsplit(spec.url or '').netloc}"
    if site is None and (selectors or spec.outlet):
        # A search returns pages of every outlet: say which site these settings are for.
        return None, [Problem(spec.line_of("selectors") or spec.line, (*path, "site"),
                              "naver_api 소스의 selectors/outlet 은 어느 사이트의 것인지 site: 로 적어야 합니다 "
                              "(예: site: n.news.naver.com)")]
    values = spec.model_dump(exclude={"selectors", "site"})
    return Source(**values, selectors=selectors, site=site), []
