"""The index of other bulletins' facts (app/domain/generation/fact_index.py): the items it
gives are exactly those of a linear scan of every fact, which is what generation did before.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import Fact
from app.domain.generation import FactIndex, GenerationContext, distractors, generate_items
from app.domain.generation.normalise import same_text, significant_words
from benchmarks.b4_content import variants

ROOT = Path(__file__).resolve().parents[2]


# --- the linear scan the index replaces (the code before it, kept as the reference) ---------


def _related(fact: Fact, other: Fact) -> bool:
    if other.type != fact.type:
        return False
    if fact.type.startswith("enum:") or same_text(fact.label, other.label):
        return True
    return bool(significant_words(fact.label) & significant_words(other.label))


def scan_other_bulletin(doc, fact, context, value) -> list[str]:
    out: list[str] = []
    for other in context.other_facts:
        if not _related(fact, other):
            continue
        if same_text(fact.label, other.label):
            out += ([other.old_value] if other.old_value else []) + list(other.not_values)
        elif fact.type.startswith("enum:") or distractors.close_labels(fact.label, other.label):
            out += [other.value] + ([other.old_value] if other.old_value else [])
    return out


class ScanIndex:
    """Answers the index's questions by scanning every fact (for ``true_elsewhere``)."""

    def __init__(self, facts):
        self.facts = facts

    def same_label(self, label):
        return [o for o in self.facts if same_text(o.label, label)]

    def related(self, fact):
        return [o for o in self.facts if _related(fact, o)]


def by_scan(doc, context, monkeypatch, *, banning: bool = True) -> list:
    """``generate_items`` with the index bypassed: every lookup scans ``other_facts``
    (``banning=False``: as if no value were true elsewhere)."""
    scanning = GenerationContext(context.other_facts, context.glossary,
                                 index=ScanIndex(context.other_facts if banning else ()))
    with monkeypatch.context() as patch:
        patch.setitem(distractors.DISTRACTOR_SOURCES, "other_bulletin", scan_other_bulletin)
        return generate_items(doc, context=scanning)


# --- the corpus ---------------------------------------------------------------------------


def corpus() -> list:
    """The demo bulletins, 42 benchmark variants (3 copies of each corpus file under other
    slugs, so many labels are shared across bulletins), and a copy of each demo bulletin that
    states a perturbed value for every fact (so values are true elsewhere and get banned)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "policy_changes").glob("*.md"))]
    docs = [parse_bulletin(t, f"b{n}.md") for n, t in enumerate(texts + variants(42))]
    return docs + [replace(doc, slug=f"{doc.slug}-elsewhere",
                           facts=tuple(_elsewhere(doc, f) for f in doc.facts))
                   for doc in docs[:len(texts)]]


def _elsewhere(doc, fact: Fact) -> Fact:
    perturbed = distractors.DISTRACTOR_SOURCES["perturbed"](doc, fact, GenerationContext(),
                                                            fact.value)
    return replace(fact, value=perturbed[0]) if perturbed else fact


@pytest.fixture(scope="module")
def docs():
    return corpus()


def test_the_corpus_gives_identical_items_with_and_without_the_index(docs, monkeypatch):
    index = FactIndex.of((d.slug, f) for d in docs for f in d.facts)
    lent = banned = 0
    for doc in docs:
        shared = GenerationContext.around(index, doc.slug)
        own = GenerationContext(other_facts=tuple(f for d in docs if d.slug != doc.slug
                                                  for f in d.facts))
        assert shared.other_facts == own.other_facts
        expected = by_scan(doc, own, monkeypatch)
        assert generate_items(doc, context=shared) == expected, doc.slug
        assert generate_items(doc, context=own) == expected, doc.slug
        lent += sum(o.source == "other_bulletin" for item in expected for o in item.options)
        banned += by_scan(doc, own, monkeypatch, banning=False) != expected
    assert lent > 5  # the corpus does exercise the other_bulletin source (close labels only)
    assert banned > 3  # and values true elsewhere do change what is chosen


def test_the_index_changes_what_is_generated_only_through_the_context(docs):
    # Without other bulletins the other_bulletin source lends nothing: a real difference,
    # so the comparison above is not between two empty contexts.
    index = FactIndex.of((d.slug, f) for d in docs for f in d.facts)
    doc = docs[-1]
    assert generate_items(doc, context=GenerationContext.around(index, doc.slug)) \
        != generate_items(doc)


FEE = Fact("f-fee", "Monthly fee", "₩44,000", "money", old_value="₩38,500")
CASES = [  # (fact looked up, indexed (slug, fact), related keys, same-label keys)
    (FEE, [("a", Fact("x1", "monthly  FEE", "₩1", "money"))], ["x1"], ["x1"]),
    (FEE, [("a", Fact("x2", "Monthly fee", "1", "quantity"))], [], ["x2"]),
    (FEE, [("a", Fact("x3", "Fee for roaming", "₩9", "money"))], ["x3"], []),
    (FEE, [("a", Fact("x4", "The monthly plan", "₩9", "money"))], ["x4"], []),
    (FEE, [("a", Fact("x5", "The new plan", "₩9", "money"))], [], []),  # stopwords only
    (Fact("f-t", "Tier", "Gold", "enum:tiers"), [("a", Fact("x6", "Level", "Silver",
                                                             "enum:tiers"))], ["x6"], []),
    (FEE, [("a", Fact("x8", "Fee", "₩2", "money")), ("mine", Fact("x9", "Fee", "₩3", "money")),
           ("b", Fact("x7", "Monthly fee", "₩4", "money"))], ["x8", "x7"], ["x7"]),
]


@pytest.mark.parametrize(("fact", "entries", "related", "same"), CASES)
def test_lookups_match_the_scan_in_order_and_leave_out_the_bulletin(fact, entries, related,
                                                                    same):
    view = FactIndex.of(entries).without("mine")
    assert [f.key for f in view.related(fact)] == related
    assert [f.key for f in view.same_label(fact.label)] == same
    context = GenerationContext(other_facts=view.visible())
    assert [f.key for f in context.other_facts if _related(fact, f)] == related


@pytest.mark.parametrize("owners", ["aabbc", "abab", "bbaa", "ccc", ""])
def test_a_view_holds_every_fact_but_those_of_its_bulletin_in_order(owners):
    facts = [Fact(f"f{n}", f"Label {n}", str(n)) for n in range(len(owners))]
    index = FactIndex.of(zip(owners, facts, strict=True))
    assert index.visible() == tuple(facts)
    assert index.without("b").visible() == tuple(
        f for f, o in zip(facts, owners, strict=True) if o != "b")
