"""A rates of an editor's ratings of generated items, per round, recipe and language.

    python -m benchmarks.rating_report benchmarks/ratings/round1.tsv [round2.tsv ...] [--docs FILE]

Each TSV has the columns ``item_id, bulletin, lang, recipe, rating, reason`` (a header row is
optional; ratings are A, B or C). For each file (a round) the command prints a Markdown table
of the share of A ratings by recipe and language, the counts of B and C, and the C ratings
whose reason names the key (wrong or ambiguous key). With ``--docs`` the tables replace the
text between ``<!-- ratings:start -->`` and ``<!-- ratings:end -->`` in that file, so the
numbers in the documentation always come from the ratings files.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

START, END = "<!-- ratings:start -->", "<!-- ratings:end -->"
KEY_PROBLEM = re.compile(r"\b(wrong|ambiguous|two|several|more than one|no)\s+(correct\s+)?"
                         r"(key|answers?)\b|\bkey\b.*\b(wrong|ambiguous)\b|정답", re.IGNORECASE)


@dataclass(frozen=True)
class Rating:
    """One rated item."""

    item: str
    bulletin: str
    lang: str
    recipe: str
    rating: str
    reason: str


def read(path: Path) -> list[Rating]:
    """The ratings of one TSV file; a header row and blank lines are skipped."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            cells = [cell.strip() for cell in row] + [""] * 6
            if not cells[0] or cells[0].casefold() == "item_id":
                continue
            rating = cells[4].upper()[:1]
            if rating not in ("A", "B", "C"):
                raise ValueError(f"{path}: item {cells[0]}: rating '{cells[4]}' is not A, B or C")
            rows.append(Rating(cells[0], cells[1], cells[2].lower()[:2], cells[3], rating,
                               cells[5]))
    return rows


def _share(ratings: Sequence[Rating]) -> str:
    a = sum(r.rating == "A" for r in ratings)
    return f"{100 * a / len(ratings):.1f}% ({a}/{len(ratings)})" if ratings else "n/a"


def table(name: str, ratings: Sequence[Rating]) -> str:
    """A Markdown section: A rate by recipe and language, then the totals."""
    langs = sorted({r.lang for r in ratings})
    by: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for r in ratings:
        by[(r.recipe, r.lang)].append(r)
        by[(r.recipe, "all")].append(r)
        by[("all", r.lang)].append(r)
        by[("all", "all")].append(r)
    recipes = sorted({r.recipe for r in ratings}) + ["all"]
    lines = [f"#### {name}", "", "| recipe | " + " | ".join([*langs, "all"]) + " |",
             "|---|" + "---|" * (len(langs) + 1)]
    for recipe in recipes:
        cells = [_share(by[(recipe, lang)]) for lang in [*langs, "all"]]
        lines.append(f"| {recipe} | " + " | ".join(cells) + " |")
    counts = {grade: sum(r.rating == grade for r in ratings) for grade in "ABC"}
    key_cs = [r for r in ratings if r.rating == "C" and KEY_PROBLEM.search(r.reason)]
    lines += ["", (f"A {counts['A']}, B {counts['B']}, C {counts['C']};"
              f" C for a wrong or ambiguous key: {len(key_cs)}")]
    lines += [f"- {r.bulletin} {r.item}: {r.reason}" for r in key_cs]
    return "\n".join(lines) + "\n"


def report(paths: Sequence[Path]) -> str:
    """One section per ratings file, in the order given."""
    return "\n".join(table(path.stem, read(path)) for path in paths)


def update_docs(doc: Path, text: str) -> None:
    """Replace the text between the ratings markers of ``doc`` with ``text``."""
    content = doc.read_text(encoding="utf-8")
    if START not in content or END not in content:
        raise ValueError(f"{doc}: no '{START}' ... '{END}' block to update")
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    doc.write_text(f"{before}{START}\n{text}{END}{after}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Print (and with ``--docs`` write) the A rates of the ratings files given."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rating_report",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="ratings TSV files, one per round")
    parser.add_argument("--docs", help="Markdown file whose ratings block to replace")
    args = parser.parse_args(argv)
    try:
        text = report([Path(p) for p in args.files])
        if args.docs:
            update_docs(Path(args.docs), text)
    except (OSError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
