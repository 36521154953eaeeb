"""Plain data shared by the bulletin parser, the item generator and the quiz file format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from app.domain.refusals import Problem, english

FACT_TYPES = ("text", "bool", "date", "money", "quantity", "duration")
"""Fact types; ``enum:<glossary-list>`` is accepted besides these."""

OPTION_SOURCES = ("old", "not", "glossary", "perturbed", "other_bulletin")
"""Where a wrong option came from (product.md, section 2: Item)."""

ITEM_KINDS = ("choice", "true_false", "cloze")
ITEM_STATUSES = ("draft", "approved", "retired")


@dataclass(frozen=True)
class SourceError:
    """One problem in a source file, reported as ``file:line: message``.

    ``code`` and ``params`` name the problem in the refusal catalogue (app/domain/refusals);
    ``message`` is it in English. A code the catalogue lacks is shown as written.
    """

    file: str
    line: int
    code: str
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def at(cls, file: str, line: int, problem: Problem) -> SourceError:
        """The ``problem`` found at ``file:line``."""
        return cls(file, line, problem.code, problem.params)

    @property
    def message(self) -> str:
        """The problem in English."""
        return english(self.code, self.params)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(ValueError):
    """A file (or several) was rejected; nothing from it may be written."""

    def __init__(self, errors: list[SourceError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Fact:
    """One testable statement of a change."""

    key: str  # e.g. "f-login", unique within a bulletin version
    label: str
    value: str
    type: str = "text"  # one of FACT_TYPES or "enum:<list>"
    old_value: str | None = None  # the `was:` value
    not_values: tuple[str, ...] = ()  # known-wrong values (`not:`)
    critical: bool = False
    line: int = 0  # line in the source file, for error messages and links
    ask: str | None = None  # the author's question for this fact (`ask="..."`), if any
    say: str | None = None  # the author's statement of it (`say="..."`), holding the value


@dataclass(frozen=True)
class BulletinDoc:
    """A parsed bulletin file (product.md, section 4)."""

    slug: str
    title: str
    effective: date
    skills: tuple[str, ...]
    facts: tuple[Fact, ...]
    body: str  # Markdown prose before the Facts section (with ==marks== kept)
    source: str  # the whole file text, as given
    lang: str = "en"
    teams: tuple[str, ...] = ()  # empty = every team
    deadline: date | None = None
    gate: str = "deadline"  # "deadline" | "immediate"
    time_limit_minutes: int | None = None
    pass_mark: int | None = None  # percent; None = the organisation's default
    critical: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    recertify_after_days: int | None = None
    review: str | None = None  # when correct options are revealed after grading
    # The slug of the bulletin this one translates: the same change in another language.
    translation_of: str | None = None

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)


@dataclass(frozen=True)
class OptionDraft:
    """One option of an item; wrong options record where they came from."""

    text: str
    correct: bool = False
    source: str | None = None  # one of OPTION_SOURCES for wrong options


@dataclass(frozen=True)
class ItemDraft:
    """A quiz item as the quiz file holds it (product.md, section 5)."""

    key: str  # e.g. "f-login-1", stable across regenerations
    fact: str
    kind: str
    stem: str
    options: tuple[OptionDraft, ...]
    explanation: str = ""
    status: str = "draft"
    recipe: str = ""  # the generator that wrote it; "" for hand-written items


@dataclass(frozen=True)
class QuizDoc:
    """A parsed quiz file: the items of one bulletin version."""

    bulletin: str
    version: int
    items: tuple[ItemDraft, ...] = field(default_factory=tuple)
