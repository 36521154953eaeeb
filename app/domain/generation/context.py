"""What the generator may know beyond the bulletin itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.bulletin.types import Fact
from app.domain.generation.fact_index import FactIndex


@dataclass(frozen=True)
class GenerationContext:
    """Facts of other bulletins in force, and named lists of same-type terms.

    ``other_facts``: facts of OTHER bulletins in force. A fact there with the same type and a
    related label (the same label, or one sharing a significant word) lends wrong options of
    source ``other_bulletin``: its old and ``not:`` values when the label is the same, its
    current and old values otherwise. A value that is the *current* value of a fact with the
    same label there is true elsewhere, so it is never used as a wrong option, from any source
    -- unless this fact itself declares it wrong with ``was:`` or ``not:`` (a superseded
    bulletin, or an earlier version of this one, may still state the old value).

    ``glossary``: named lists of same-type terms, e.g. ``{"plans": ("WiBro 10 GB", ...)}``.
    ``enum:<name>`` facts draw wrong options from ``glossary[name]``; any other fact draws
    from every list that holds its value.

    ``index``: ``other_facts`` indexed by type and label (app/domain/generation/fact_index.py);
    built here when not given. To generate many bulletins, index every bulletin's facts once
    and make each one's context with :meth:`around`.
    """

    other_facts: tuple[Fact, ...] = ()
    glossary: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    index: FactIndex | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.index is None:
            object.__setattr__(self, "index", FactIndex.of_facts(self.other_facts))

    @classmethod
    def around(cls, index: FactIndex, slug: str,
               glossary: Mapping[str, tuple[str, ...]] | None = None) -> GenerationContext:
        """The context of bulletin ``slug``: every indexed fact but its own (index shared)."""
        view = index.without(slug)
        return cls(other_facts=view.visible(), glossary=glossary or {}, index=view)
