"""What changed between two versions of a bulletin: its facts, and its source line by line.

Facts are matched by id (``{#f-login}``): a fact only in the newer version is *added*,
one only in the older is *removed*, one in both whose label, value, type, old value
(``was:``), known-wrong values (``not:``) or critical flag differ is *changed*, with every
differing field as ``old -> new``. The source diff is :mod:`difflib`'s, arranged as rows
of a two-column (side-by-side) table.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.bulletin.types import Fact

COMPARED = ("label", "value", "type", "old_value", "not_values", "critical")
"""The fields of a fact compared, in the order changes are listed."""


@dataclass(frozen=True)
class FieldChange:
    """One field of a fact, before and after."""

    name: str  # one of COMPARED
    old: object
    new: object


@dataclass(frozen=True)
class FactChange:
    """A fact present in both versions whose fields differ."""

    key: str
    label: str  # the newer label
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class FactsDiff:
    """Facts added, removed and changed from one version to the next (in source order)."""

    added: tuple[Fact, ...] = ()
    removed: tuple[Fact, ...] = ()
    changed: tuple[FactChange, ...] = ()
    unchanged: tuple[str, ...] = ()  # fact ids

    @property
    def empty(self) -> bool:
        """Whether the facts are the same in both versions."""
        return not (self.added or self.removed or self.changed)


def _field(fact: Fact, name: str) -> object:
    value = getattr(fact, name)
    return tuple(value) if name == "not_values" else value


def fact_changes(old: Fact, new: Fact) -> tuple[FieldChange, ...]:
    """The fields of ``COMPARED`` whose values differ between ``old`` and ``new``."""
    return tuple(FieldChange(name, _field(old, name), _field(new, name))
                 for name in COMPARED if _field(old, name) != _field(new, name))


def diff_facts(old: Sequence[Fact], new: Sequence[Fact]) -> FactsDiff:
    """Compare two versions' facts by id."""
    before = {f.key: f for f in old}
    after = {f.key: f for f in new}
    changed, unchanged = [], []
    for fact in new:
        if fact.key not in before:
            continue
        changes = fact_changes(before[fact.key], fact)
        if changes:
            changed.append(FactChange(fact.key, fact.label, changes))
        else:
            unchanged.append(fact.key)
    return FactsDiff(
        added=tuple(f for f in new if f.key not in before),
        removed=tuple(f for f in old if f.key not in after),
        changed=tuple(changed),
        unchanged=tuple(unchanged),
    )


@dataclass(frozen=True)
class Side:
    """One cell of the side-by-side table: a line number and text, or nothing."""

    number: int | None = None
    text: str = ""


@dataclass(frozen=True)
class LineRow:
    """One row of the side-by-side table.

    ``kind`` is ``equal``, ``delete`` (left only), ``insert`` (right only) or ``replace``
    (both sides, differing).
    """

    kind: str
    left: Side
    right: Side


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def diff_lines(old: str, new: str) -> list[LineRow]:
    """A line diff of two texts as side-by-side rows (line numbers count from 1)."""
    left, right = _lines(old), _lines(new)
    rows: list[LineRow] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + offset, j1 + offset
            lhs = Side(i + 1, left[i]) if i < i2 else Side()
            rhs = Side(j + 1, right[j]) if j < j2 else Side()
            kind = tag
            if tag == "replace":
                kind = "replace" if lhs.number and rhs.number else (
                    "delete" if lhs.number else "insert")
            rows.append(LineRow(kind, lhs, rhs))
    return rows
