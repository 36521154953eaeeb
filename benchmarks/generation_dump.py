"""Write every generated item of a folder of bulletins as Markdown, for a person to rate.

    python -m benchmarks.generation_report --dump DIR OUT.md [--context corpus|none]

For each bulletin: its title, its text and facts (label, new value, old value, ``not:``), then
each item: id, recipe, kind, stem, options (the key marked), explanation, and every warning
the trainer would see for the bulletin (generation_warnings, coverage_problems) and the lint
codes of the item. Bulletins are generated as the report does: by default each with the other
bulletins of the folder in force.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import BulletinDoc, ItemDraft
from app.domain.generation import (
    FactIndex,
    GenerationContext,
    coverage_problems,
    generate_items,
    generation_warnings,
    lint_items,
)

LETTERS = "ABCDEFGH"


def load(directory: Path) -> list[BulletinDoc]:
    """Parse every ``*.md`` file of ``directory``, sorted by name."""
    return [parse_bulletin(path.read_text(encoding="utf-8"), path.name)
            for path in sorted(directory.glob("*.md"))]


def contexts(docs: Sequence[BulletinDoc], mode: str = "corpus") -> list[GenerationContext]:
    """Each bulletin's context: the others in force (``corpus``) or nothing (``none``)."""
    if mode == "none":
        return [GenerationContext() for _ in docs]
    index = FactIndex.of((doc.slug, fact) for doc in docs for fact in doc.facts)
    return [GenerationContext.around(index, doc.slug) for doc in docs]


def _item_lines(item: ItemDraft, lint: list[str]) -> list[str]:
    lines = [f"#### `{item.key}` ({item.recipe}, {item.kind})", "", f"**Stem:** {item.stem}", ""]
    for letter, option in zip(LETTERS, item.options, strict=False):
        source = f"source: {option.source}" if option.source else "wrong"
        mark = " ✅ **(key)**" if option.correct else f" _({source})_"
        lines.append(f"- {letter}. {option.text}{mark}")
    lines += ["", f"**Explanation:** {item.explanation}", ""]
    if lint:
        lines += [f"_Lint:_ {', '.join(lint)}", ""]
    return lines


def render_bulletin(doc: BulletinDoc, items: Sequence[ItemDraft]) -> str:
    """One bulletin's facts, warnings and items as Markdown."""
    lines = [f"## {doc.slug} ({doc.lang})", "", f"**Title:** {doc.title}", "",
             f"Effective {doc.effective.isoformat()}", "",
             *(f"> {line}" if line else ">" for line in doc.body.strip().splitlines()), "",
             "| fact | label | value | was | not |",
             "|---|---|---|---|---|"]
    for fact in doc.facts:
        cells = [fact.key + (f" (ask: {fact.ask})" if fact.ask else ""), fact.label, fact.value,
                 fact.old_value or "", "; ".join(fact.not_values)]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    warnings = generation_warnings(doc, items) + coverage_problems(doc, items)
    lines += ["", "**Warnings the trainer sees:** " + ("none" if not warnings else ""), ""]
    lines += [f"- {warning}" for warning in warnings]
    lines.append("")
    lint = lint_items(doc, items)
    for item in items:
        lines += _item_lines(item, lint[item.key])
    return "\n".join(lines)


def dump(directory: Path, out: Path, *, context: str = "corpus") -> int:
    """Write the items of every bulletin of ``directory`` to ``out``; return the item count."""
    docs = load(directory)
    parts = [f"# Generated items: {directory}", "",
             (f"{len(docs)} bulletins. The key of each item is marked ✅; every wrong option"
              " shows where it came from."), ""]
    count = 0
    for doc, ctx in zip(docs, contexts(docs, context), strict=True):
        items = generate_items(doc, context=ctx)
        count += len(items)
        parts.append(render_bulletin(doc, items))
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return count
