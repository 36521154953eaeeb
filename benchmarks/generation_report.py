"""Item-generation quality benchmark: run the generator over a corpus of bulletin files.

Run it from the repository root::

    python -m benchmarks.generation_report [DIR] [--json] [--repeat N] [--context corpus|none]

``DIR`` defaults to ``benchmarks/corpus``. Every ``*.md`` file there is parsed and its items
generated with :func:`app.domain.generation.generate_items`; the report gives item counts,
what each recipe produced, how often each quality gate passes on the *raw* recipe output
(before :func:`generate_items` drops failing items) and on the delivered items, coverage,
whether choice items carry the fact's old (``was:``) value, where the correct option lands
after shuffling, and the generation time. It ends with a targets block; the exit status is 1
when a target fails (2 when there is nothing to measure).

The numbers come from :func:`measure` (a :class:`Report`) and the text from :func:`render`,
so tests can check both on a corpus of their own.

By default each bulletin is generated with the other corpus bulletins' facts as its
:class:`GenerationContext`, as the server does once they are all published (source
``other_bulletin``); ``--context none`` generates each bulletin on its own, as the offline
``quiz generate`` command does.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import OPTION_SOURCES, BulletinDoc, ContentError, ItemDraft
from app.domain.generation import (
    GATES,
    RECIPES,
    FactIndex,
    GenerationContext,
    check_item,
    coverage_problems,
    deliverable,
    generate_items,
    generation_warnings,
    lint_items,
)
from app.domain.generation.advice import old_not_offered
from app.domain.generation.korean import BLANK
from app.domain.generation.phrasing import display_value, is_korean

DEFAULT_DIR = Path(__file__).resolve().parent / "corpus"
REPEAT = 5
SEED = 0
TIME_TARGET_SECONDS = 1.0
CONTEXTS = ("corpus", "none")
LINT_TARGET = 0.95
_PAIRED = ("(으)로", "을(를)", "이(가)", "은(는)", "와(과)")


@dataclass
class Share:
    """``passed`` of ``total``; ``value`` is ``None`` when there is nothing to count."""

    passed: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.passed / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.total += 1
        self.passed += bool(ok)

    def __str__(self) -> str:
        value = self.value
        percent = "n/a" if value is None else f"{100 * value:.1f}%"
        return f"{percent} ({self.passed}/{self.total})"


@dataclass
class Spread:
    """Minimum, mean and maximum of a list of counts (``None`` when the list is empty)."""

    min: int | None = None
    mean: float | None = None
    max: int | None = None
    n: int = 0

    @classmethod
    def of(cls, values: Sequence[int]) -> Spread:
        if not values:
            return cls()
        return cls(min(values), statistics.fmean(values), max(values), len(values))

    def __str__(self) -> str:
        if not self.n:
            return "n/a"
        return f"min {self.min}, mean {self.mean:.2f}, max {self.max} (over {self.n} facts)"


@dataclass
class BulletinStats:
    """One bulletin of the corpus."""

    file: str
    slug: str
    lang: str
    facts: int
    critical_facts: int
    items: int
    seconds: float  # median generation time over the repetitions
    coverage_problems: list[str] = field(default_factory=list)


@dataclass
class RecipeStats:
    """What one recipe wrote: raw (before the gates) and delivered (after them)."""

    raw: int = 0
    delivered: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # delivered items by kind


@dataclass
class Target:
    name: str
    measured: str
    goal: str
    passed: bool


@dataclass
class Report:
    """Everything :func:`measure` finds; :func:`render` writes it out."""

    directory: str
    context: str
    seed: int
    repeat: int
    bulletins: list[BulletinStats] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)
    files: int = 0
    facts: int = 0
    critical_facts: int = 0
    items: int = 0
    raw_items: int = 0
    items_per_fact: dict[str, Spread] = field(default_factory=dict)  # "all" and each language
    recipes: dict[str, RecipeStats] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)  # wrong options of delivered items
    gates_raw: dict[str, Share] = field(default_factory=dict)
    gates_delivered: dict[str, Share] = field(default_factory=dict)
    raw_all_gates: Share = field(default_factory=Share)
    delivered_all_gates: Share = field(default_factory=Share)
    gate_failures: list[str] = field(default_factory=list)  # "slug item: gate: problem" (raw)
    raw_reproduces_delivered: bool = True
    coverage_facts: Share = field(default_factory=Share)  # >= 2 items of >= 2 kinds
    coverage_critical: Share = field(default_factory=Share)  # critical with >= 3 items
    coverage_problems: list[str] = field(default_factory=list)  # "slug: problem"
    old_value: Share = field(default_factory=Share)
    old_value_misses: list[str] = field(default_factory=list)  # "slug item"
    key_positions: dict[int, dict[int, int]] = field(default_factory=dict)  # options -> pos -> n
    cloze_key_positions: dict[int, dict[int, int]] = field(default_factory=dict)
    shared_keys: int = 0  # item keys (e.g. f-date-1) found in two bulletins or more
    shared_keys_same_position: int = 0  # ... whose correct option is at the same position in all
    korean_cloze: int = 0
    korean_cloze_paired: int = 0  # with a paired particle such as (으)로 right after the blank
    seconds: float = 0.0  # median over the repetitions, whole corpus
    seconds_runs: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0  # median CPU time (time.process_time) of a run, whole corpus
    cpu_seconds_runs: list[float] = field(default_factory=list)
    parse_seconds: float = 0.0
    cores: int = 0
    load_average: float | None = None  # 1-minute load average when the measurement started
    lint: Share = field(default_factory=Share)  # delivered items free of every lint defect
    lint_by_lang: dict[str, Share] = field(default_factory=dict)
    lint_defects: dict[str, int] = field(default_factory=dict)  # defect code -> items
    lint_flagged: list[str] = field(default_factory=list)  # "slug item: defects"
    warnings: list[str] = field(default_factory=list)  # "slug: warning" (generation_warnings)
    targets: list[Target] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.targets) and all(target.passed for target in self.targets)


def _position(item: ItemDraft) -> int:
    """The 1-based position of the correct option."""
    return next(n for n, option in enumerate(item.options, 1) if option.correct)


def raw_items(doc: BulletinDoc, context: GenerationContext, seed: int = SEED) -> list[ItemDraft]:
    """Every recipe's output for ``doc`` before the gates, with ``generate_items``' seeds.

    Filtering this list with :func:`check_item` must give exactly ``generate_items(doc)``;
    :func:`measure` checks that, so a change of the seeding shows up as a failed target
    instead of silently wrong raw numbers.
    """
    items: list[ItemDraft] = []
    for fact in doc.facts:
        for name, make in RECIPES.items():
            rng = random.Random(f"{seed}:{fact.key}:{name}")
            items += make(doc, fact, context, rng)
    return items


def first_alternatives(items: Sequence[ItemDraft]) -> list[ItemDraft]:
    """Each slot's first item: a recipe may offer alternatives for one slot (other wrong
    options), and ``deliverable`` takes the first that passes; the raw numbers count slots."""
    seen: set[str] = set()
    return [item for item in items if not (item.key in seen or seen.add(item.key))]


def _contexts(docs: Sequence[BulletinDoc], mode: str) -> list[GenerationContext]:
    if mode not in CONTEXTS:
        raise ValueError(f"context must be one of {', '.join(CONTEXTS)}, not '{mode}'")
    if mode == "none":
        return [GenerationContext() for _ in docs]
    index = FactIndex.of((other.slug, fact) for other in docs for fact in other.facts)
    return [GenerationContext.around(index, doc.slug) for doc in docs]


def _time(docs: Sequence[BulletinDoc], contexts: Sequence[GenerationContext], seed: int,
          repeat: int) -> tuple[list[list[ItemDraft]], list[float], list[float], list[float]]:
    """Generate every bulletin ``repeat`` times.

    Returns the items, the wall-clock total of each run (``time.perf_counter``), the CPU time
    of each run (``time.process_time``: what the generator itself costs, whatever else the
    machine is doing) and each bulletin's median wall-clock time.
    """
    per_doc: list[list[float]] = [[] for _ in docs]
    runs: list[float] = []
    cpu_runs: list[float] = []
    items: list[list[ItemDraft]] = [[] for _ in docs]
    for _ in range(max(repeat, 1)):
        start, cpu_start = time.perf_counter(), time.process_time()
        for n, (doc, context) in enumerate(zip(docs, contexts, strict=True)):
            t0 = time.perf_counter()
            items[n] = generate_items(doc, context=context, seed=seed)
            per_doc[n].append(time.perf_counter() - t0)
        runs.append(time.perf_counter() - start)
        cpu_runs.append(time.process_time() - cpu_start)
    return items, runs, cpu_runs, [statistics.median(times) for times in per_doc]


def _critical(doc: BulletinDoc, fact_key: str, fact_critical: bool) -> bool:
    return fact_critical or fact_key in doc.critical


def _count_positions(table: dict[int, dict[int, int]], item: ItemDraft) -> None:
    row = table.setdefault(len(item.options), {})
    position = _position(item)
    row[position] = row.get(position, 0) + 1


def _sorted_table(table: dict[int, dict[int, int]]) -> dict[int, dict[int, int]]:
    return {size: {pos: table[size].get(pos, 0) for pos in range(1, size + 1)}
            for size in sorted(table)}


def measure(paths: Sequence[Path | str], *, repeat: int = REPEAT, context: str = "corpus",
            seed: int = SEED, directory: str | None = None) -> Report:
    """Parse the bulletin files ``paths``, generate their items and measure them."""
    paths = [Path(p) for p in paths]
    report = Report(directory=directory or (str(paths[0].parent) if paths else ""),
                    context=context, seed=seed, repeat=max(repeat, 1), files=len(paths))
    report.cores = os.cpu_count() or 0
    report.load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    docs: list[BulletinDoc] = []
    files: list[Path] = []
    t0 = time.perf_counter()
    for path in paths:
        try:
            docs.append(parse_bulletin(path.read_text(encoding="utf-8"), path.name))
            files.append(path)
        except ContentError as error:
            report.parse_errors += [str(e) for e in error.errors]
        except (OSError, UnicodeDecodeError) as error:
            report.parse_errors.append(f"{path.name}: {error}")
    report.parse_seconds = time.perf_counter() - t0

    contexts = _contexts(docs, context)
    delivered, report.seconds_runs, report.cpu_seconds_runs, doc_seconds = _time(
        docs, contexts, seed, repeat)
    report.seconds = statistics.median(report.seconds_runs) if docs else 0.0
    report.cpu_seconds = statistics.median(report.cpu_seconds_runs) if docs else 0.0

    report.recipes = {name: RecipeStats() for name in RECIPES}
    report.gates_raw = {name: Share() for name in GATES}
    report.gates_delivered = {name: Share() for name in GATES}
    per_fact: dict[str, list[int]] = {"all": []}
    kinds: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    positions_by_key: dict[str, set[int]] = {}
    bulletins_by_key: Counter[str] = Counter()

    rows = zip(docs, files, contexts, delivered, doc_seconds, strict=True)
    for doc, path, ctx, items, seconds in rows:
        alternatives = raw_items(doc, ctx, seed)
        raw = first_alternatives(alternatives)
        # the raw recipe output (each slot's first alternative), through every gate
        for item in raw:
            report.recipes.setdefault(item.recipe, RecipeStats()).raw += 1
            failed = False
            for name, check in GATES.items():
                problems = check(item, doc.lang)
                report.gates_raw[name].add(not problems)
                failed = failed or bool(problems)
                report.gate_failures += [f"{doc.slug} {item.key} ({item.recipe}): {name}: {p}"
                                         for p in problems]
            report.raw_all_gates.add(not failed)
        report.raw_reproduces_delivered &= deliverable(alternatives, lang=doc.lang) == items
        _lint(report, doc, items)

        # the delivered items
        for item in items:
            stats = report.recipes.setdefault(item.recipe, RecipeStats())
            stats.delivered += 1
            stats.kinds[item.kind] = stats.kinds.get(item.kind, 0) + 1
            kinds[item.kind] += 1
            for name, check in GATES.items():
                report.gates_delivered[name].add(not check(item, doc.lang))
            report.delivered_all_gates.add(not check_item(item, lang=doc.lang))
            sources.update(option.source for option in item.options if option.source)
            if item.kind == "choice":
                _count_positions(report.key_positions, item)
            if item.kind == "cloze":
                _count_positions(report.cloze_key_positions, item)
                if is_korean(doc.lang):
                    report.korean_cloze += 1
                    report.korean_cloze_paired += any(BLANK + p in item.stem for p in _PAIRED)
            if item.kind != "true_false":
                positions_by_key.setdefault(item.key, set()).add(_position(item))
                bulletins_by_key[item.key] += 1

        # per fact: counts, coverage and the old value
        problems = [str(problem) for problem in coverage_problems(doc, items)]
        report.coverage_problems += [f"{doc.slug}: {problem}" for problem in problems]
        critical_count = 0
        for fact in doc.facts:
            mine = [item for item in items if item.fact == fact.key and item.status != "retired"]
            critical = _critical(doc, fact.key, fact.critical)
            critical_count += critical
            per_fact["all"].append(len(mine))
            per_fact.setdefault(doc.lang, []).append(len(mine))
            report.coverage_facts.add(not any(f" {fact.key}:" in p for p in problems))
            if critical:
                report.coverage_critical.add(not any(f" {fact.key}:" in p for p in problems))
            if fact.old_value and not old_not_offered(doc, fact):  # else warned
                old_text = display_value(fact, fact.old_value, doc.lang)
                for item in mine:
                    # a scenario quotes the old value in its stem, so it does not offer it
                    if item.kind != "choice" or item.recipe == "scenario":
                        continue
                    has_old = any(o.source == "old" and not o.correct and o.text == old_text
                                  for o in item.options)
                    report.old_value.add(has_old)
                    if not has_old:
                        report.old_value_misses.append(f"{doc.slug} {item.key} ({item.recipe})")

        report.bulletins.append(BulletinStats(
            file=path.name, slug=doc.slug, lang=doc.lang, facts=len(doc.facts),
            critical_facts=critical_count, items=len(items), seconds=seconds,
            coverage_problems=problems))
        report.facts += len(doc.facts)
        report.critical_facts += critical_count
        report.items += len(items)
        report.raw_items += len(raw)

    report.items_per_fact = {lang: Spread.of(counts) for lang, counts in per_fact.items()}
    report.kinds = dict(sorted(kinds.items()))
    report.sources = {name: sources.get(name, 0) for name in OPTION_SOURCES}
    report.key_positions = _sorted_table(report.key_positions)
    report.cloze_key_positions = _sorted_table(report.cloze_key_positions)
    shared = [key for key, count in bulletins_by_key.items() if count > 1]
    report.shared_keys = len(shared)
    report.shared_keys_same_position = sum(len(positions_by_key[key]) == 1 for key in shared)
    report.targets = targets(report)
    return report


def _lint(report: Report, doc: BulletinDoc, items: Sequence[ItemDraft]) -> None:
    """Count the delivered items free of every lint defect (app/domain/generation/lint.py)."""
    share = report.lint_by_lang.setdefault(doc.lang, Share())
    for key, defects in lint_items(doc, items).items():
        report.lint.add(not defects)
        share.add(not defects)
        for defect in defects:
            report.lint_defects[defect] = report.lint_defects.get(defect, 0) + 1
        if defects:
            report.lint_flagged.append(f"{doc.slug} {key}: {', '.join(defects)}")
    report.warnings += [f"{doc.slug}: {w}" for w in generation_warnings(doc, items)]


def unwarned_gaps(report: Report) -> list[str]:
    """Coverage problems of facts the author is not warned about: a fact short of items must
    be one the generator could not make plausible items for, and say so (advice.py)."""
    warned = {f"{w.split(': fact ')[0]} {w.split(': fact ')[1].split(':')[0]}"
              for w in report.warnings if ": fact " in w}
    return [p for p in report.coverage_problems
            if f"{p.split(': ')[0]} {p.split(': ')[1].split()[-1]}" not in warned]


def targets(report: Report) -> list[Target]:
    """The targets the corpus must meet, each with its measured value."""
    coverage_ok = not unwarned_gaps(report)
    return [
        Target("every bulletin parses", f"{len(report.bulletins)}/{report.files} files",
               "all files", not report.parse_errors and report.files > 0),
        Target("delivered items passing every gate", str(report.delivered_all_gates), "100%",
               report.delivered_all_gates.value == 1.0),
        Target("raw recipe run reproduces generate_items",
               "yes" if report.raw_reproduces_delivered else "no", "yes",
               report.raw_reproduces_delivered),
        Target("old-value coverage (choice items of was: facts)", str(report.old_value),
               "100%", report.old_value.value in (1.0, None) and not report.old_value_misses),
        Target("items free of lint defects", str(report.lint), f">= {LINT_TARGET:.0%}",
               (report.lint.value or 0) >= LINT_TARGET),
        Target("coverage (>= 2 items of >= 2 kinds; critical >= 3)",
               f"facts {report.coverage_facts}, critical {report.coverage_critical},"
               f" {len(report.coverage_problems)} problem(s),"
               f" {len(unwarned_gaps(report))} without a warning to the author",
               "every gap warned", coverage_ok),
        Target("generation time, whole corpus (median)",
               f"{report.seconds * 1000:.1f} ms wall (CPU {report.cpu_seconds * 1000:.1f} ms)",
               f"< {TIME_TARGET_SECONDS:g} s wall", report.seconds < TIME_TARGET_SECONDS),
    ]


def _table(rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[c]) if c in right else cell.ljust(widths[c])
                 for c, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def _positions(table: dict[int, dict[int, int]]) -> list[str]:
    if not table:
        return ["  (none)"]
    lines = []
    for size, row in table.items():
        total = sum(row.values())
        cells = ", ".join(f"{'ABCDEFGH'[pos - 1] if pos <= 8 else pos}: {n}"
                          for pos, n in row.items())
        lines.append(f"  {size} options ({total} items): {cells}")
    return lines


def render(report: Report) -> str:
    """The report as text, ending with the targets block."""
    load = "n/a" if report.load_average is None else f"{report.load_average:.2f}"
    out = [f"Item-generation report: {report.directory}",
           (f"context: {report.context} | seed {report.seed} | {report.repeat} repetition(s) |"
            f" Python {platform.python_version()} | {report.cores} core(s), load average {load}"),
           ""]
    if report.parse_errors:
        out += ["Parse errors:", *(f"  {error}" for error in report.parse_errors), ""]
    langs = Counter(b.lang for b in report.bulletins)
    by_lang = ", ".join(f"{n} {lang}" for lang, n in sorted(langs.items()))
    by_kind = ", ".join(f"{n} {kind}" for kind, n in report.kinds.items())
    out += [f"Bulletins: {len(report.bulletins)} ({by_lang})",
            f"Facts: {report.facts} ({report.critical_facts} critical)",
            f"Items: {report.items} delivered of {report.raw_items} raw ({by_kind})",
            "Items per fact:"]
    out += [f"  {lang:<4} {spread}" for lang, spread in report.items_per_fact.items()]

    out += ["", "Per recipe:"]
    rows = [["recipe", "raw", "delivered", "kinds"]]
    rows += [[name, str(s.raw), str(s.delivered),
              ", ".join(f"{n} {kind}" for kind, n in sorted(s.kinds.items())) or "-"]
             for name, s in report.recipes.items()]
    out += _table(rows, right={1, 2})

    out += ["", "Wrong options by source (delivered items):",
            "  " + ", ".join(f"{name} {n}" for name, n in report.sources.items())]

    out += ["", "Quality gates (share of items passing):"]
    rows = [["gate", "raw recipe output", "delivered items"]]
    rows += [[name, str(report.gates_raw[name]), str(report.gates_delivered[name])]
             for name in GATES]
    rows.append(["(every gate)", str(report.raw_all_gates), str(report.delivered_all_gates)])
    out += _table(rows, right={1, 2})
    if report.gate_failures:
        out += ["  raw items dropped by a gate:", *(f"    {f}" for f in report.gate_failures)]

    out += ["", "Coverage:",
            f"  facts with >= 2 items of >= 2 kinds: {report.coverage_facts}",
            f"  critical facts with >= 3 items: {report.coverage_critical}"]
    out += [f"  problem: {p}" for p in report.coverage_problems] or ["  problems: none"]

    out += ["", f"Items free of lint defects: {report.lint}"]
    out += [f"  {lang}: {share}" for lang, share in sorted(report.lint_by_lang.items())]
    out += [f"  {code}: {n} item(s)" for code, n in sorted(report.lint_defects.items())]
    out += [f"  flagged: {flag}" for flag in report.lint_flagged]
    out += ["", f"Warnings for authors: {len(report.warnings)}"]
    out += [f"  {warning}" for warning in report.warnings]

    out += ["", (f"Old-value coverage: {report.old_value} of choice items for facts with a"
                 " was: value offer the old value (source old)")]
    out += [f"  missing: {miss}" for miss in report.old_value_misses]

    out += ["", "Correct option position (A = first), choice items:",
            *_positions(report.key_positions), "  cloze items:",
            *("  " + line for line in _positions(report.cloze_key_positions)),
            (f"  item keys generated in 2+ bulletins: {report.shared_keys};"
             f" same position in every bulletin: {report.shared_keys_same_position}")]
    out += ["", (f"Korean cloze items: {report.korean_cloze};"
                 f" with a paired particle after the blank: {report.korean_cloze_paired}")]

    runs = ", ".join(f"{s * 1000:.1f}" for s in report.seconds_runs)
    out += ["", (f"Generation time (median of {report.repeat}):"
                 f" {report.seconds * 1000:.1f} ms for the corpus (runs: {runs} ms;"
                 f" parsing {report.parse_seconds * 1000:.1f} ms, not included)"),
            (f"  CPU time (median): {report.cpu_seconds * 1000:.1f} ms"
             " (wall time also counts waiting for a core when the machine is busy)")]
    rows = [["bulletin", "lang", "facts", "items", "ms", "coverage"]]
    rows += [[b.slug, b.lang, str(b.facts), str(b.items), f"{b.seconds * 1000:.2f}",
              "ok" if not b.coverage_problems else f"{len(b.coverage_problems)} problem(s)"]
             for b in report.bulletins]
    out += _table(rows, right={2, 3, 4}) if report.bulletins else ["  (no bulletins)"]

    out += ["", "Targets:"]
    width = max((len(t.name) for t in report.targets), default=0)
    out += [f"  {'PASS' if t.passed else 'FAIL'}  {t.name:<{width}}  {t.measured}"
            f"  (target {t.goal})" for t in report.targets]
    out.append(f"Result: {'PASS' if report.passed else 'FAIL'}")
    return "\n".join(out) + "\n"


def to_json(report: Report) -> str:
    """The report as JSON (shares also carry their ``value``)."""
    data = asdict(report)

    def shares(node):
        if isinstance(node, dict):
            if set(node) == {"passed", "total"}:
                return {**node, "value": Share(**node).value}
            return {k: shares(v) for k, v in node.items()}
        if isinstance(node, list):
            return [shares(v) for v in node]
        return node

    data = shares(data)
    data["passed"] = report.passed
    return json.dumps(data, ensure_ascii=False, indent=2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generation_report",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default=str(DEFAULT_DIR),
                        help="folder of bulletin files (*.md); default benchmarks/corpus")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--repeat", type=int, default=REPEAT,
                        help=f"timing repetitions (median reported); default {REPEAT}")
    parser.add_argument("--context", choices=CONTEXTS, default="corpus",
                        help="other bulletins in force: the rest of the corpus (default) or none")
    parser.add_argument("--seed", type=int, default=SEED, help="generation seed; default 0")
    parser.add_argument("--dump", metavar="OUT", help="write every item of DIR to OUT (Markdown,"
                        " for a person to rate) instead of the report")
    args = parser.parse_args(argv)
    if args.dump:
        from benchmarks.generation_dump import dump

        count = dump(Path(args.directory), Path(args.dump), context=args.context)
        print(f"{count} items written to {args.dump}")
        return 0
    directory = Path(args.directory)
    paths = sorted(directory.glob("*.md"))
    if not paths:
        print(f"no bulletin files (*.md) in {directory}", file=sys.stderr)
        return 2
    report = measure(paths, repeat=args.repeat, context=args.context, seed=args.seed,
                     directory=args.directory)
    print(to_json(report) if args.json else render(report), end="" if not args.json else "\n")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
