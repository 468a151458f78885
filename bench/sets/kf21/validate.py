#!/usr/bin/env python3
"""Validate the blind KF-21 보라매 evaluation set (heldout5) in this folder.

Checks
  facts.json        required keys, unique ids, well-formed dates, versions sorted and not overlapping,
                    a source on every version, tolerance is a number or null; topic.json names role facts
                    and ordinal facts that exist.
  articles/*.json   required keys, id == file stem, url == "blind5:<stem>", YYYY-MM-DD date, provenance URLs,
                    5-9 sentences.
  expected*.json    every label's article exists; its substring occurs at least `occurrence` times in the
                    article text (so the n-th occurrence exists); fact id is null or exists; expect is
                    flag|ok; flags name a fact and carry `claimed`; no duplicate labels; no two labels with
                    overlapping spans; expected_extra_ok.json holds only ok labels.
  ground truth      where a label carries `claimed`, the verdict recomputed from the fact version valid on
                    the article's publication date (numeric: |claimed-canonical|/canonical <= tolerance_rel;
                    strings and names: equality; ordinal_map: the person holding that ordinal) must equal
                    `expect`. Labels of kind trap_historical are exempt (they speak about a past date).
  provenance        no 30-character run of an article's title or text appears verbatim in the seed articles
                    (--seeds, default ../seeds beside this folder) or in the saved source pages (--pages: the
                    search excerpts the set was written from, one .txt per page group, each page introduced by
                    a line "URL: <address>"; not shipped with the set). When the pages folder is given, every
                    article provenance URL and every fact source_url must be one of its URLs. Without it the
                    page checks print "skipped"; the seed check and all label checks still run.

Usage: python3 validate.py [--seeds DIR] [--pages DIR]     exit 0 when clean, 1 otherwise.
"""
import argparse
import collections
import datetime as dt
import json
import os
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ERRORS = []


def err(msg):
    ERRORS.append(msg)


def date(s, where):
    try:
        return dt.date.fromisoformat(s)
    except Exception:
        err(f"{where}: bad date {s!r}")
        return None


def nth(text, sub, n):
    pos = -1
    for _ in range(n):
        pos = text.find(sub, pos + 1)
        if pos < 0:
            return None
    return pos


def load_facts():
    facts = json.loads((HERE / "facts.json").read_text())
    if not isinstance(facts, list):
        err("facts.json: must be a list")
        return {}
    by_id = {}
    need = {"id", "description_ko", "subject", "attribute", "versions", "cues", "not_cues", "tolerance_rel"}
    for i, f in enumerate(facts):
        where = f"facts.json[{i}] ({f.get('id')})"
        missing = need - set(f)
        if missing:
            err(f"{where}: missing keys {sorted(missing)}")
            continue
        if f["id"] in by_id:
            err(f"{where}: duplicate id")
        by_id[f["id"]] = f
        tol = f["tolerance_rel"]
        if tol is not None and not (isinstance(tol, (int, float)) and 0 <= tol < 1):
            err(f"{where}: tolerance_rel must be a number in [0,1) or null")
        if not f["cues"] or not all(isinstance(c, str) and c for c in f["cues"]):
            err(f"{where}: cues must be a non-empty list of strings")
        if not isinstance(f["not_cues"], list):
            err(f"{where}: not_cues must be a list")
        prev_until = None
        if not f["versions"]:
            err(f"{where}: no versions")
        for j, v in enumerate(f["versions"]):
            w = f"{where} version {j}"
            for k in ("value", "unit", "valid_from", "valid_until", "source_url"):
                if k not in v:
                    err(f"{w}: missing {k}")
            if not isinstance(v.get("source_url"), str) or not v.get("source_url"):
                err(f"{w}: source_url must be a non-empty string")
            frm = date(v.get("valid_from"), w)
            until = date(v["valid_until"], w) if v.get("valid_until") is not None else None
            if frm and until and until < frm:
                err(f"{w}: valid_until before valid_from")
            if j > 0 and prev_until is None:
                err(f"{w}: previous version is open-ended but another follows")
            if frm and prev_until and frm <= prev_until:
                err(f"{w}: overlaps the previous version (starts {frm}, previous ends {prev_until})")
            prev_until = until
    return by_id


def check_topic(facts):
    p = HERE / "topic.json"
    if not p.exists():
        err("topic.json: missing")
        return
    t = json.loads(p.read_text())
    for k in ("id", "name", "recognise", "roles"):
        if k not in t:
            err(f"topic.json: missing {k}")
    for fid, spec in t.get("roles", {}).items():
        if fid not in facts or facts[fid]["versions"][0]["unit"] != "person":
            err(f"topic.json: role fact {fid!r} is not a person fact of facts.json")
        if not spec.get("role") or not spec.get("orgs"):
            err(f"topic.json: role {fid!r} needs role and orgs words")
        o = spec.get("ordinals")
        if o and (o not in facts or facts[o]["versions"][0]["unit"] != "ordinal_map"):
            err(f"topic.json: ordinals {o!r} is not an ordinal_map fact")


def version_at(fact, day):
    for v in fact["versions"]:
        frm = dt.date.fromisoformat(v["valid_from"])
        until = dt.date.fromisoformat(v["valid_until"]) if v["valid_until"] else None
        if frm <= day and (until is None or day <= until):
            return v
    return None


def judge(fact, v, claimed):
    """Return 'ok' or 'flag' for a claimed value against version v of fact."""
    unit = v["unit"]
    val = v["value"]
    if unit == "ordinal_map":
        return "ok" if val.get(str(claimed["ordinal"])) == claimed["person"] else "flag"
    if isinstance(val, (int, float)) and not isinstance(val, bool):
        tol = fact["tolerance_rel"] or 0.0
        return "ok" if abs(claimed - val) <= tol * abs(val) + 1e-9 else "flag"
    return "ok" if claimed == val else "flag"


def load_articles():
    arts = {}
    need = {"id", "url", "published", "outlet", "provenance_urls", "title", "text"}
    for p in sorted((HERE / "articles").glob("*.json")):
        where = f"articles/{p.name}"
        try:
            a = json.loads(p.read_text())
        except Exception as e:
            err(f"{where}: not JSON ({e})")
            continue
        missing = need - set(a)
        if missing:
            err(f"{where}: missing keys {sorted(missing)}")
            continue
        if a["id"] != p.stem:
            err(f"{where}: id {a['id']!r} != file stem")
        if a.get("url") != f"blind5:{p.stem}":
            err(f"{where}: url must be 'blind5:{p.stem}'")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["published"]) or not date(a["published"], where):
            err(f"{where}: published must be YYYY-MM-DD")
        if not a["provenance_urls"] or not all(isinstance(u, str) and u.startswith("http") for u in a["provenance_urls"]):
            err(f"{where}: provenance_urls must be a non-empty list of http(s) URLs")
        n = len(re.findall(r"[다요]\.(?=\s|$)", a["text"]))
        if not 5 <= n <= 9:
            err(f"{where}: {n} sentences (want 5-9)")
        arts[p.stem] = a
    return arts


def check_labels(name, labels, arts, facts, spans_seen):
    need = {"article", "text", "occurrence", "fact", "expect", "kind", "why"}
    seen = set()
    checked = 0
    for i, lab in enumerate(labels):
        where = f"{name}[{i}] {lab.get('article')} «{lab.get('text')}»"
        missing = need - set(lab)
        if missing:
            err(f"{where}: missing keys {sorted(missing)}")
            continue
        key = (lab["article"], lab["text"], lab["occurrence"])
        if key in seen:
            err(f"{where}: duplicate label")
        seen.add(key)
        art = arts.get(lab["article"])
        if art is None:
            err(f"{where}: no such article")
            continue
        if lab["expect"] not in ("flag", "ok"):
            err(f"{where}: expect must be flag|ok")
        if lab["fact"] is not None and lab["fact"] not in facts:
            err(f"{where}: unknown fact {lab['fact']!r}")
        if lab["expect"] == "flag" and (lab["fact"] is None or "claimed" not in lab):
            err(f"{where}: a flag must name the fact it contradicts and carry `claimed`")
        if not lab["kind"] or not lab["why"]:
            err(f"{where}: kind and why must be non-empty")
        occ = lab["occurrence"]
        if not isinstance(occ, int) or occ < 1:
            err(f"{where}: occurrence must be a positive integer")
            continue
        count = art["text"].count(lab["text"])
        pos = nth(art["text"], lab["text"], occ)
        if pos is None:
            err(f"{where}: substring occurs {count} time(s), label wants occurrence {occ}")
            continue
        span = (pos, pos + len(lab["text"]))
        for other, osp in spans_seen[lab["article"]]:
            if span[0] < osp[1] and osp[0] < span[1]:
                err(f"{where}: span {span} overlaps label «{other}» {osp}")
        spans_seen[lab["article"]].append((lab["text"], span))
        if lab["fact"] in facts and "claimed" in lab and lab["kind"] != "trap_historical":
            day = dt.date.fromisoformat(art["published"])
            v = version_at(facts[lab["fact"]], day)
            derived = "ok" if v is None else judge(facts[lab["fact"]], v, lab["claimed"])
            checked += 1
            if derived != lab["expect"]:
                canon = None if v is None else v["value"]
                err(f"{where}: expect={lab['expect']} but claimed {lab['claimed']!r} vs canonical {canon!r} "
                    f"on {day} gives {derived}")
    return checked


def page_texts(folder):
    return [p.read_text() for p in sorted(pathlib.Path(folder).glob("*.txt"))] if folder else []


def check_overlap(arts, texts, what, width=30):
    if not texts:
        return False
    blob = "\n".join(re.sub(r"\s+", " ", s) for s in texts)
    for stem, a in arts.items():
        for field in ("title", "text"):
            t = re.sub(r"\s+", " ", a[field])
            for i in range(0, max(0, len(t) - width + 1)):
                chunk = t[i:i + width]
                if chunk in blob:
                    err(f"articles/{stem}.json: {field} copies {what} text verbatim: «{chunk}»")
                    break
    return True


def check_page_urls(arts, facts, texts):
    urls = set()
    for t in texts:
        urls.update(re.findall(r"^URL: (\S+)", t, re.M))
    for stem, a in arts.items():
        for u in a["provenance_urls"]:
            if u not in urls:
                err(f"articles/{stem}.json: provenance URL not among the saved pages: {u}")
    for fid, f in facts.items():
        for j, v in enumerate(f["versions"]):
            if v.get("source_url") not in urls:
                err(f"facts.json {fid} version {j}: source_url not among the saved pages: {v.get('source_url')}")
    return len(urls)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default=str(HERE.parent / "seeds"), help="seed .txt folder for the verbatim-copy check")
    ap.add_argument("--pages", default=os.environ.get("DEVSET_PAGES", str(HERE / "pages")),
                    help="saved source-page excerpts (.txt) for the verbatim-copy and URL checks (not shipped)")
    a = ap.parse_args()
    facts = load_facts()
    check_topic(facts)
    arts = load_articles()
    spans_seen = collections.defaultdict(list)
    core = json.loads((HERE / "expected.json").read_text())
    checked = check_labels("expected.json", core, arts, facts, spans_seen)
    extra_path = HERE / "expected_extra_ok.json"
    extra = json.loads(extra_path.read_text()) if extra_path.exists() else []
    checked += check_labels("expected_extra_ok.json", extra, arts, facts, spans_seen)
    for lab in extra:
        if lab.get("expect") != "ok":
            err(f"expected_extra_ok.json: {lab.get('article')} «{lab.get('text')}» must be an ok label")
    labelled = {l["article"] for l in core}
    for stem in arts:
        if stem not in labelled:
            err(f"articles/{stem}.json: no label in expected.json")
    seed_texts = page_texts(a.seeds if pathlib.Path(a.seeds).is_dir() else None)
    seeds_checked = check_overlap(arts, seed_texts, "seed")
    pages = page_texts(a.pages if pathlib.Path(a.pages).is_dir() else None)
    pages_checked = check_overlap(arts, pages, "source-page")
    n_urls = check_page_urls(arts, facts, pages) if pages_checked else 0

    flags = [l for l in core if l.get("expect") == "flag"]
    print(f"facts: {len(facts)}   articles: {len(arts)}   labels: {len(core)} "
          f"(flag {len(flags)}, ok {len(core) - len(flags)})   extra ok labels: {len(extra)}")
    print("flag kinds:", dict(collections.Counter(l['kind'] for l in flags).most_common()))
    print("ok kinds:  ", dict(collections.Counter(l['kind'] for l in core if l.get('expect') == 'ok').most_common()))
    print(f"ground truth recomputed from the store for {checked} labels; "
          f"seed verbatim check: {'done' if seeds_checked else 'skipped (no seeds dir)'}; "
          f"source-page verbatim + URL check: {f'done ({n_urls} pages)' if pages_checked else 'skipped (no pages dir)'}")
    for e in ERRORS:
        print("ERROR", e)
    print("CLEAN" if not ERRORS else f"{len(ERRORS)} error(s)")
    return 1 if ERRORS else 0


if __name__ == "__main__":
    sys.exit(main())
