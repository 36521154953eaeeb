"""What the generator may know beyond the bulletin itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..types import Fact


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
    """

    other_facts: tuple[Fact, ...] = ()
    glossary: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
