"""Bulletin prose: Markdown to sanitised HTML, ``==marked==`` terms and plain text.

Every piece of Markdown shown to a user goes through :func:`render_markdown`. Raw HTML in
the source is passed to the sanitiser rather than escaped, so forbidden tags and attributes
disappear instead of showing up as text; the sanitiser (nh3) works from an explicit
allowlist of tags, attributes and URL schemes, and images are not on it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em",
    "code", "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "mark",
    "del", "sup", "sub",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Dropped together with everything inside them, not just unwrapped.
_DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "noscript", "template", "textarea",
    "title", "svg", "math", "noembed", "noframes", "xmp", "select", "applet",
})

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)

# `==term==`: no blank just inside the marks, so `a == b == c` stays as written.
_MARK_PATTERN = r"==(?![\s=])(.+?)(?<![\s=])=="
_BLOCK_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "tr",
    "table", "ul", "ol", "th", "td",
})


class _MarkProcessor(InlineProcessor):
    """Turns ``==term==`` into ``<mark>term</mark>``; code spans are stashed before it runs."""

    def handleMatch(self, m: re.Match, data: str):  # Markdown's method name
        element = Element("mark")
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class _MarkExtension(markdown.Extension):
    """Registers :class:`_MarkProcessor` below code spans and links, above emphasis."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(_MarkProcessor(_MARK_PATTERN, md), "mark", 65)


def _to_html(text: str) -> str:
    converter = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", _MarkExtension()],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return converter.convert(text)


def render_markdown(text: str) -> str:
    """Render bulletin Markdown to HTML that is safe to insert into a page.

    ``==term==`` becomes ``<mark>``; raw HTML, images, event handlers and links whose
    scheme is not http, https or mailto (relative links are kept) are removed; every link
    gets ``rel="noopener noreferrer"``.
    """
    return _CLEANER.clean(_to_html(text))


class _TextCollector(HTMLParser):
    """Collects the text of sanitised HTML, line by block, and the text of each ``<mark>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.marks: list[str] = []
        self._mark_depth = 0
        self._in_pre = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        self._in_pre = self._in_pre or tag == "pre"
        if tag == "mark":
            self._mark_depth += 1
            if self._mark_depth == 1:
                self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        self._in_pre = self._in_pre and tag != "pre"
        if tag == "mark" and self._mark_depth:
            self._mark_depth -= 1

    def handle_data(self, data: str) -> None:
        # A line end inside a paragraph is a soft break; in code it separates lines.
        self.parts.append(data if self._in_pre else data.replace("\n", " "))
        if self._mark_depth:
            self.marks[-1] += data


def _collect(text: str) -> _TextCollector:
    collector = _TextCollector()
    collector.feed(render_markdown(text))
    collector.close()
    return collector


def marked_terms(text: str) -> list[str]:
    """Return the ``==marked==`` terms of ``text`` in order of first appearance, once each.

    Marks inside code spans and code blocks are not terms. Inner whitespace is collapsed.
    """
    return list(_marked_terms(text))


@lru_cache(maxsize=256)
def _marked_terms(text: str) -> tuple[str, ...]:
    # Generation asks for the same body once per fact; rendering it once is enough.
    terms: list[str] = []
    for raw in _collect(text).marks:
        term = " ".join(raw.split())
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


def plain_text(text: str) -> str:
    """Return ``text`` rendered and stripped of all markup, for search indexing.

    One line per block (paragraph, heading, list item, table cell); runs of blanks are
    collapsed and empty lines dropped.
    """
    joined = "".join(_collect(text).parts)
    lines = (" ".join(line.split()) for line in joined.split("\n"))
    return "\n".join(line for line in lines if line)
