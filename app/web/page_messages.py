"""English service and parser messages, translated for the web pages that show them.

Services and the pure domain word their refusals in English: the JSON API and the CLI answer
in English, and ``app.domain`` may not import Flask-Babel. A page passes such a message
through :func:`translate` with its area's table (app/web/trainer/messages.py,
app/web/admin/messages.py): the first pattern that matches the WHOLE message gives the translated
phrase, and its named groups fill the placeholders, so the data (a file, a line, a value, a
code) is shown as it was. A group listed as nested is a message itself and is translated with
the same table first. A message no pattern knows is shown unchanged, in English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
GROUPS = {"name": r"\w+", "line": r"\d+", "n": r"\d+"}  # what these placeholders may hold


@dataclass(frozen=True)
class MessagePattern:
    """One known message: ``regex`` with named groups, ``text`` its translatable phrase."""

    regex: re.Pattern
    text: object  # a lazy_gettext string whose %(name)s placeholders are the regex's groups
    nested: frozenset[str] = frozenset()


def english(text) -> str:
    """The msgid of a lazy_gettext string (the English text, untranslated)."""
    return text._args[0]  # LazyString(gettext, msgid): flask_babel keeps the msgid there


def pattern_of(msgid: str) -> str:
    """A regex matching the English message ``msgid`` describes, one group per placeholder."""
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(msgid):
        name = match.group(1)
        parts += [re.escape(msgid[last:match.start()].replace("%%", "%")),
                  f"(?P<{name}>{GROUPS.get(name, '.*?')})"]
        last = match.end()
    return "".join(parts + [re.escape(msgid[last:].replace("%%", "%"))])


def message_table(*rows) -> tuple[MessagePattern, ...]:
    """Compile the rows, each ``text``, ``(text, nested)`` or ``(regex, text[, nested])``.

    ``text`` is a lazy_gettext string; without a regex its English msgid is the pattern.
    ``nested`` names the groups that are messages themselves.
    """
    table = []
    for row in rows:
        row = row if isinstance(row, tuple) else (row,)
        if not isinstance(row[0], str):
            row = (pattern_of(english(row[0])), *row)
        regex, text, nested = (*row, ())[:3]
        table.append(MessagePattern(re.compile(regex, re.DOTALL), text, frozenset(nested)))
    return tuple(table)


def translate(message: str, table: Sequence[MessagePattern]) -> str:
    """``message`` in the reader's language when a pattern of ``table`` knows it."""
    for pattern in table:
        match = pattern.regex.fullmatch(message)
        if match:
            values = {name: (translate(value, table) if name in pattern.nested else value)
                      for name, value in match.groupdict(default="").items()}
            return str(pattern.text) % values
    return message
