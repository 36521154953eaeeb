"""``quiz generate``: write a bulletin's quiz file, keeping what a trainer reviewed."""

from __future__ import annotations

from pathlib import Path

from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import QuizDoc
from app.domain.generation import generate_items, merge_regenerated
from app.domain.quiz_format import dump_quiz, parse_quiz


def _changed_by_hand(existing, generated) -> set[str]:
    """Keys of existing items that differ from what the generator writes for that key."""
    fresh = {d.key: d for d in generated}
    return {
        d.key for d in existing
        if d.key not in fresh
        or (d.stem, d.options, d.explanation, d.kind)
        != (fresh[d.key].stem, fresh[d.key].options, fresh[d.key].explanation, fresh[d.key].kind)
    }


def generate_quiz_file(bulletin_path: Path, output: Path | None = None) -> str:
    """The quiz file text for a bulletin file; written to ``output`` when given.

    Regenerating over an existing quiz file keeps item ids stable and never overwrites an
    item a trainer edited or approved.
    """
    doc = parse_bulletin(bulletin_path.read_text(encoding="utf-8"), str(bulletin_path))
    generated = generate_items(doc)
    version = 1
    if output is not None and output.exists():
        existing = parse_quiz(output.read_text(encoding="utf-8"), str(output))
        version = existing.version
        generated = merge_regenerated(existing.items, generated,
                                      protected=_changed_by_hand(existing.items, generated))
    text = dump_quiz(QuizDoc(doc.slug, version, tuple(generated)))
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    return text
