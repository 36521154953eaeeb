"""Quiz files (product.md, section 5): ``quizzes/<slug>.yaml``, one per bulletin version.

:func:`parse_quiz` reads one and reports every problem as ``file:line: message``;
:func:`dump_quiz` writes one. Besides the keys of section 5, an item may carry ``recipe:``
(the generator that wrote it, written after ``status`` when set), so a dumped file parses back
to an equal :class:`QuizDoc`; hand-written items leave it out and parse with ``recipe == ""``.

Text fields (ids, stems, option texts, ...) are read as written, so an unquoted ``Yes`` or
``10`` is the text "Yes" or "10", not a YAML boolean or number.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.domain.bulletin.types import (
    ITEM_KINDS,
    ITEM_STATUSES,
    OPTION_SOURCES,
    ContentError,
    ItemDraft,
    OptionDraft,
    QuizDoc,
    SourceError,
)

ROOT_KEYS = ("bulletin", "version", "items")
ITEM_KEYS = ("id", "fact", "kind", "stem", "options", "explanation", "status", "recipe")
OPTION_KEYS = ("text", "correct", "source")
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    """Walks the composed YAML nodes, collecting errors with their line numbers."""

    def __init__(self, filename: str):
        self.filename = filename
        self.errors: list[SourceError] = []
        self.key_lines: dict[int, int] = {}  # id(value node) -> line of its key

    def at(self, node: Node) -> int:
        """The line to blame for a value: its key's line (a block list starts below it)."""
        return self.key_lines.get(id(node), _line(node))

    def error(self, line: int, message: str) -> None:
        """Record a problem at ``line``."""
        self.errors.append(SourceError(self.filename, line, message))

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node] | None:
        """The mapping's values by key; unknown and repeated keys are errors."""
        if not isinstance(node, MappingNode):
            self.error(_line(node), f"{what} must be a mapping")
            return None
        fields: dict[str, Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else str(key.value)
            if name in fields:
                self.error(_line(key), f"duplicate key '{name}' in {what}")
            elif name not in allowed:
                self.error(_line(key), f"unknown key '{name}' in {what}"
                                       f" (expected one of: {', '.join(allowed)})")
            fields[name] = value
            self.key_lines[id(value)] = _line(key)
        return fields

    def text(self, fields: dict[str, Node], name: str, owner: Node, what: str,
             required: bool = True) -> str | None:
        """A text field as written; ``None`` (and an error when required) if missing."""
        node = fields.get(name)
        if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):
            if required:
                self.error(_line(node or owner), f"{what} is missing '{name}'")
            return None
        if not isinstance(node, ScalarNode):
            self.error(_line(node), f"'{name}' must be text")
            return None
        if required and not node.value.strip():
            self.error(_line(node), f"'{name}' is empty")
        return node.value

    def choice(self, fields: dict[str, Node], name: str, owner: Node, what: str,
               allowed: tuple[str, ...], default: str | None) -> str | None:
        """A text field that must be one of ``allowed``."""
        value = self.text(fields, name, owner, what, required=default is None)
        if value is None:
            return default
        if value not in allowed:
            self.error(_line(fields[name]), f"unknown {name} '{value}'"
                                            f" (expected one of: {', '.join(allowed)})")
        return value

    def boolean(self, node: Node | None, name: str) -> bool:
        """A ``true``/``false`` field; absent means false."""
        if node is None:
            return False
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on")
        self.error(_line(node), f"'{name}' must be true or false")
        return False

    def version(self, fields: dict[str, Node], owner: Node) -> int:
        """The file's bulletin version: a whole number from 1."""
        node = fields.get("version")
        if node is None:
            self.error(_line(owner), "quiz file is missing 'version'")
            return 0
        if isinstance(node, ScalarNode) and node.tag == _INT:
            try:
                if (number := int(node.value.replace("_", ""))) >= 1:
                    return number
            except ValueError:
                pass
        self.error(_line(node), f"version must be a whole number from 1, not '{node.value}'")
        return 0

    def option(self, node: Node) -> OptionDraft | None:
        """One option ``{text: ..., correct: true}`` or ``{text: ..., source: old}``."""
        fields = self.mapping(node, "option", OPTION_KEYS)
        if fields is None:
            return None
        text = self.text(fields, "text", node, "option")
        correct = self.boolean(fields.get("correct"), "correct")
        source = self.choice(fields, "source", node, "option", OPTION_SOURCES, default="")
        if correct and source:
            self.error(_line(node), f"the correct option '{text}' cannot have a source")
        return OptionDraft(text=text or "", correct=correct, source=source or None)

    def options(self, fields: dict[str, Node], owner: Node, kind: str | None) -> tuple:
        """An item's options, with the count rules of its kind."""
        node = fields.get("options")
        if node is None:
            self.error(_line(owner), "item is missing 'options'")
            return ()
        if not isinstance(node, SequenceNode):
            self.error(self.at(node), "'options' must be a list")
            return ()
        options = tuple(o for o in map(self.option, node.value) if o is not None)
        correct = sum(o.correct for o in options)
        if kind == "true_false" and len(node.value) != 2:
            self.error(self.at(node), f"a true_false item needs exactly 2 options,"
                                      f" not {len(node.value)}")
        elif len(node.value) < 2:
            self.error(self.at(node), f"a {kind or 'quiz'} item needs at least 2 options")
        if correct != 1:
            self.error(self.at(node), f"exactly one option must be correct, not {correct}")
        return options

    def item(self, node: Node, seen: dict[str, int]) -> ItemDraft | None:
        """One item; ``seen`` maps the ids read so far to their lines."""
        fields = self.mapping(node, "item", ITEM_KEYS)
        if fields is None:
            return None
        before = len(self.errors)
        key = self.text(fields, "id", node, "item")
        if key in seen:
            self.error(_line(fields["id"]), f"duplicate item id '{key}'"
                                            f" (first at line {seen[key]})")
        seen.setdefault(key or "", _line(node))
        fact = self.text(fields, "fact", node, "item")
        kind = self.choice(fields, "kind", node, "item", ITEM_KINDS, default=None)
        stem = self.text(fields, "stem", node, "item")
        options = self.options(fields, node, kind if kind in ITEM_KINDS else None)
        explanation = self.text(fields, "explanation", node, "item", required=False) or ""
        status = self.choice(fields, "status", node, "item", ITEM_STATUSES, default="draft")
        recipe = self.text(fields, "recipe", node, "item", required=False) or ""
        if len(self.errors) > before:
            return None
        return ItemDraft(key=key, fact=fact, kind=kind, stem=stem, options=options,
                         explanation=explanation, status=status, recipe=recipe)

    def quiz(self, root: Node) -> QuizDoc | None:
        """The whole file."""
        fields = self.mapping(root, "the quiz file", ROOT_KEYS)
        if fields is None:
            return None
        bulletin = self.text(fields, "bulletin", root, "quiz file")
        version = self.version(fields, root)
        items_node = fields.get("items")
        if items_node is None:
            self.error(_line(root), "quiz file is missing 'items'")
            return None
        if not isinstance(items_node, SequenceNode):
            self.error(self.at(items_node), "'items' must be a list")
            return None
        seen: dict[str, int] = {}
        items = tuple(self.item(node, seen) for node in items_node.value)
        return QuizDoc(bulletin=bulletin or "", version=version, items=items)


def parse_quiz(text: str, filename: str = "<quiz>") -> QuizDoc:
    """Read a quiz file; raise :class:`ContentError` listing every problem as ``file:line:``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark else 1
        raise ContentError([SourceError(filename, line, "quiz_yaml_syntax",
                                        {"problem": problem})]) from exc
    if root is None:
        raise ContentError([SourceError(filename, 1, "quiz_empty")])
    reader = _Reader(filename)
    quiz = reader.quiz(root)
    if reader.errors or quiz is None:
        raise ContentError(sorted(reader.errors, key=lambda e: e.line))
    return quiz


class _Flow(dict):
    """A mapping written on one line: ``{text: "...", correct: true}``."""


class _Quoted(str):
    """Text written double-quoted, as section 5 shows stems and options."""


class _Dumper(yaml.SafeDumper):
    """Block style, flow-style options, double-quoted prose, keys in the order given."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under their key ("items:\n  - id: ..."), as section 5 writes them.
        return super().increase_indent(flow, False)


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))
_Dumper.add_representer(_Quoted, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(data), style='"'))


def _option_shape(option: OptionDraft) -> _Flow:
    shape = _Flow(text=_Quoted(option.text))
    if option.correct:
        shape["correct"] = True
    if option.source:
        shape["source"] = option.source
    return shape


def _item_shape(item: ItemDraft) -> dict:
    shape = {
        "id": item.key, "fact": item.fact, "kind": item.kind, "stem": _Quoted(item.stem),
        "options": [_option_shape(option) for option in item.options],
        "explanation": _Quoted(item.explanation), "status": item.status,
    }
    if item.recipe:
        shape["recipe"] = item.recipe
    return shape


def dump_quiz(quiz: QuizDoc) -> str:
    """Write a quiz file in the section 5 shape, Korean left readable (UTF-8, not escaped)."""
    shape = {"bulletin": quiz.bulletin, "version": quiz.version,
             "items": [_item_shape(item) for item in quiz.items]}
    return yaml.dump(shape, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=2**31, indent=2)
