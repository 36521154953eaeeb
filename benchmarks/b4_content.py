"""B4: importing and generating items for 1,000 bulletins.

    python -m benchmarks.b4_content [--bulletins 1000] [--database URL]

The bulletins are the corpus in benchmarks/corpus/ repeated with varied slugs and titles
(``<slug>-0001``...). Measured per bulletin:

- the baseline: parsing and generating items offline, pure domain code (what
  ``quiz generate`` does), with no other bulletins as context;
- the same with the other 999 bulletins' facts as the generation context (as the server
  generates once they are published), indexed once by type and label (FactIndex);
- ``content import`` of all of them through the service (validate all, then parse, generate
  items and store every draft in one transaction);
- importing them again (unchanged: the idempotency check only).

Without ``--database`` it uses a new SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from .harness import app_for, machine, ratio

CORPUS = Path(__file__).resolve().parent / "corpus"


def variants(count: int) -> list[str]:
    """``count`` bulletin files from the corpus, each with its own slug and title."""
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))]
    out = []
    for n in range(count):
        text = sources[n % len(sources)]
        text = re.sub(r"^id: *(\S+)", lambda m, n=n: f"id: {m.group(1)}-{n:04d}", text, count=1,
                      flags=re.M)
        text = re.sub(r"^title: *(.+)$", lambda m, n=n: f"title: {m.group(1)} ({n:04d})", text,
                      count=1, flags=re.M)
        out.append(text)
    return out


def offline(texts: list[str], with_context: bool) -> tuple[float, int]:
    """Seconds per bulletin to parse and generate offline; the number of items made."""
    from app.domain.bulletin.format import parse_bulletin
    from app.domain.generation import FactIndex, GenerationContext, generate_items

    docs = [parse_bulletin(t, f"b{n}.md") for n, t in enumerate(texts)]
    items, started = 0, time.perf_counter()
    # Built once per run, as the server does per import; its cost is part of the time.
    index = FactIndex.of((d.slug, f) for d in docs for f in d.facts) if with_context else None
    for n, text in enumerate(texts):
        doc = parse_bulletin(text, f"b{n}.md")
        context = GenerationContext.around(index, doc.slug) if with_context else None
        items += len(generate_items(doc, context=context))
    return (time.perf_counter() - started) / len(texts), items


def prepare(app, texts: list[str], folder: Path) -> None:
    """Write the files; create the database schema and the skills and teams they name."""
    from flask_migrate import upgrade

    from app.core.database import unit_of_work
    from app.domain.bulletin.format import parse_bulletin
    from app.services.accounts.accounts import ensure_skill, ensure_team

    for n, text in enumerate(texts):
        (folder / f"bulletin-{n:04d}.md").write_text(text, encoding="utf-8")
    docs = [parse_bulletin(t) for t in texts[:len(list(CORPUS.glob("*.md")))]]
    with app.app_context():
        upgrade(revision="heads")
        with unit_of_work():
            for code in sorted({s for d in docs for s in d.skills}):
                ensure_skill(code)
            for code in sorted({t for d in docs for t in d.teams}):
                ensure_team(code)


def imported(app, folder: Path) -> tuple[float, object]:
    """Seconds for one ``content import`` of the folder, and its report."""
    from app.services.content.content_io import import_paths

    with app.app_context():
        started = time.perf_counter()
        report = import_paths([folder], publish_ready=True)
        return time.perf_counter() - started, report


def main(argv: list[str] | None = None) -> int:
    """Run B4."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulletins", type=int, default=1000)
    parser.add_argument("--database", help="an empty database URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    texts = variants(args.bulletins)
    base_s, items = offline(texts, with_context=False)
    context_s, context_items = offline(texts, with_context=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "policy_changes"
        folder.mkdir()
        app = app_for(args.database or f"sqlite:///{Path(tmp) / 'b4.sqlite3'}")
        prepare(app, texts, folder)
        first_s, report = imported(app, folder)
        again_s, again = imported(app, folder)
    n = args.bulletins
    print(f"B4 content — {machine()}")
    print(f"{n} bulletins from {len(list(CORPUS.glob('*.md')))} corpus files; "
          f"{items} items generated offline ({items / n:.1f} per bulletin)")
    print(f"RATIO import/offline generation: {ratio(first_s / n, base_s)}  "
          f"({1000 * first_s / n:.1f} ms vs {1000 * base_s:.1f} ms per bulletin)")
    print(f"RATIO offline with a {n - 1}-bulletin context/without: "
          f"{ratio(context_s, base_s)}  ({1000 * context_s:.1f} ms per bulletin, "
          f"{context_items} items)")
    print(f"RATIO unchanged re-import/import: {ratio(again_s, first_s)}  "
          f"({1000 * again_s / n:.1f} ms per bulletin)")
    print(f"import: {len(report.created)} created, {len(report.published)} published, "
          f"{len(report.drafts)} left as drafts (no reviewed quiz file), total {first_s:.1f} s;"
          f" again: {len(again.unchanged)} unchanged in {again_s:.1f} s")
    return 0 if len(report.created) == n and len(again.unchanged) == n else 1


if __name__ == "__main__":
    sys.exit(main())
