"""An index of other bulletins' facts, so finding distractors does not scan all of them.

The ``other_bulletin`` source wants, for one fact, the facts of other bulletins with the same
type and a related label (the same label, or a shared significant word; any label for an
``enum:`` type), and :func:`~.distractors.true_elsewhere` wants the facts with the same label
whatever their type. A linear scan of every fact in force costs that for every item
generated; with 1,000 bulletins published it made generation 23 times slower. The index
answers both from dictionaries built once, in the original order of the facts, so the
options chosen are exactly those of the scan.

Built once per run (:meth:`FactIndex.of`) over every bulletin's facts, each bulletin's view
(:meth:`FactIndex.without`) shares the dictionaries and leaves out that bulletin's own facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from app.domain.bulletin.types import Fact
from app.domain.generation.normalise import normalise, significant_words

Positions = tuple[int, ...]


def _freeze(found: dict[object, list[int]]) -> Mapping[object, Positions]:
    return MappingProxyType({key: tuple(positions) for key, positions in found.items()})


@dataclass(frozen=True)
class FactIndex:
    """Facts with the bulletin each belongs to, found by type and label (read-only)."""

    facts: tuple[Fact, ...] = ()
    owners: tuple[str, ...] = ()  # the bulletin (slug) of each fact, "" when unknown
    excluded: str | None = None  # a bulletin whose facts this view leaves out
    by_label: Mapping = field(default_factory=dict, repr=False)  # normalised label -> positions
    by_type_label: Mapping = field(default_factory=dict, repr=False)  # (type, label) -> positions
    by_type_word: Mapping = field(default_factory=dict, repr=False)  # (type, word) -> positions
    by_type: Mapping = field(default_factory=dict, repr=False)  # type -> positions
    spans: Mapping = field(default_factory=dict, repr=False)  # slug -> (first, last + 1, count)

    @classmethod
    def of(cls, entries: Iterable[tuple[str, Fact]]) -> FactIndex:
        """Index ``(bulletin slug, fact)`` pairs, in the order given."""
        pairs = list(entries)
        maps: tuple[dict, dict, dict, dict] = ({}, {}, {}, {})
        for position, (_, fact) in enumerate(pairs):
            label = normalise(fact.label)
            keys = ([label], [(fact.type, label)],
                    [(fact.type, word) for word in significant_words(fact.label)], [fact.type])
            for found, names in zip(maps, keys, strict=True):
                for name in names:
                    found.setdefault(name, []).append(position)
        spans: dict[str, tuple[int, int, int]] = {}
        for position, (slug, _) in enumerate(pairs):
            first, _, count = spans.get(slug, (position, 0, 0))
            spans[slug] = (first, position + 1, count + 1)
        return cls(tuple(f for _, f in pairs), tuple(slug for slug, _ in pairs), None,
                   *(_freeze(found) for found in maps), MappingProxyType(spans))

    @classmethod
    def of_facts(cls, facts: Iterable[Fact]) -> FactIndex:
        """Index facts whose bulletins do not matter (a context already without its own)."""
        return cls.of(("", fact) for fact in facts)

    def without(self, slug: str) -> FactIndex:
        """The same index, leaving out the facts of bulletin ``slug`` (shares the maps)."""
        return replace(self, excluded=slug)

    def visible(self) -> tuple[Fact, ...]:
        """Every fact this view holds, in order."""
        if self.excluded is None or self.excluded not in self.spans:
            return self.facts
        start, end, count = self.spans[self.excluded]
        if end - start == count:  # the bulletin's facts are together: two slices
            return self.facts[:start] + self.facts[end:]
        return tuple(f for f, owner in zip(self.facts, self.owners, strict=True)
                     if owner != self.excluded)

    def _pick(self, positions: Iterable[int]) -> list[Fact]:
        return [self.facts[p] for p in sorted(set(positions))
                if self.excluded is None or self.owners[p] != self.excluded]

    def same_label(self, label: str) -> list[Fact]:
        """Facts with the same label (normalised), of any type, in order."""
        return self._pick(self.by_label.get(normalise(label), ()))

    def related(self, fact: Fact) -> list[Fact]:
        """Facts of ``fact``'s type with a related label, in order: every one for an
        ``enum:`` type, else the same label or one sharing a significant word."""
        if fact.type.startswith("enum:"):
            return self._pick(self.by_type.get(fact.type, ()))
        positions = list(self.by_type_label.get((fact.type, normalise(fact.label)), ()))
        for word in significant_words(fact.label):
            positions += self.by_type_word.get((fact.type, word), ())
        return self._pick(positions)
