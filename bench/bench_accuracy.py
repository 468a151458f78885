"""Accuracy on a labelled set written by others: the development set in ../shared/devset (GTX-A).

Run:  .venv/bin/python bench/bench_accuracy.py            (../shared/devset, its converter unchanged)
      .venv/bin/python bench/bench_accuracy.py --set DIR  (any folder in the same format)
      .venv/bin/python bench/bench_accuracy.py --show     (also every miss and false alert)

It converts the set's facts.json with the set's own to_rules.py (no hand edits of the rule file),
runs `factwatch check --format jsonl` through the set's score.py, and prints score.py's last
line: precision, recall, true positives, false alerts, misses. Exit status is score.py's, with
--min-precision/--min-recall passed on (the issue's bar: 0.95 and 0.90).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default=str(REPO.parent / "shared" / "devset"))
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--min-precision", default="0")
    parser.add_argument("--min-recall", default="0")
    args = parser.parse_args()
    labelled = Path(args.set).resolve()
    scripts = REPO.parent / "shared" / "devset"  # the converter and scorer shared by every set
    factwatch = shutil.which("factwatch", path=str(Path(sys.executable).parent)) or "factwatch"
    with tempfile.TemporaryDirectory() as scratch:
        convert = subprocess.run(
            [sys.executable, str(scripts / "to_rules.py"), str(labelled / "facts.json"), f"{scratch}/rules",
             "--factwatch", factwatch], capture_output=True, text=True, cwd=scratch)
        dropped = [line for line in convert.stderr.splitlines() if line.startswith("DROPPED")]
        if convert.returncode != 0:
            print(convert.stderr)
            return 2
        score = subprocess.run(
            [sys.executable, str(scripts / "score.py"), "--articles", str(labelled / "articles"),
             "--expected", str(labelled / "expected.json"), "--rules", f"{scratch}/rules", "--cmd", factwatch,
             "--min-precision", args.min_precision, "--min-recall", args.min_recall],
            capture_output=True, text=True, cwd=scratch)
    lines = score.stdout.strip().splitlines()
    if args.show:
        print("\n".join(lines[:-1]))
    for line in dropped:
        print(line)
    print(f"{labelled.name}: {lines[-1] if lines else score.stderr.strip()} ; facts dropped by the converter: {len(dropped)}")
    return score.returncode


if __name__ == "__main__":
    sys.exit(main())
