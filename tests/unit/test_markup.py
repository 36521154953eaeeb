"""Bulletin Markdown: sanitised HTML, ``==marks==``, marked terms and plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.domain.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    marked_terms,
    plain_text,
    render_markdown,
)

XSS_PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "script in a paragraph": "Hello <script>alert(document.cookie)</script> world",
    "split script tag": "<scr<script>ipt>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror quoted": '<IMG SRC="x" ONERROR="alert(1)">',
    "div onmouseover": '<div onmouseover="alert(1)">hover</div>',
    "svg onload": "<svg onload=alert(1)>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe data": '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    "style": "<style>body { background: url(javascript:alert(1)) }</style>",
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
    "form action": '<form action="javascript:alert(1)"><button>go</button></form>',
    "math href": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "raw link": '<a href="javascript:alert(1)">click</a>',
    "raw link spaces": '<a href="  javascript:alert(1)">click</a>',
    "raw link onclick": '<a href="https://ok.example" onclick="alert(1)">click</a>',
    "markdown link": "[click](javascript:alert(1))",
    "markdown link mixed case": "[click](JaVaScRiPt:alert(1))",
    "markdown link entity": "[click](&#106;avascript:alert(1))",
    "markdown link hex entity": "[click](&#x6A;avascript:alert(1))",
    "markdown link tab entity": "[click](java&#x09;script:alert(1))",
    "markdown link with title": '[click](javascript:alert(1) "title")',
    "reference link": "[click][1]\n\n[1]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "data link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "markdown image": "![x](javascript:alert(1))",
    "markdown image data": "![x](data:image/png;base64,iVBORw0KGgo=)",
    "image onerror title": '![x](https://example.com/x.png "onerror=alert(1)")',
    "table cell": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "inside mark": "==<img src=x onerror=alert(1)>==",
    "html comment": "<!-- <script>alert(1)</script> -->",
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="javascript:alert(1)//">',
    "vbscript link": "[click](vbscript:msgbox(1))",
    "file link": '<a href="file:///etc/passwd">click</a>',
}


class _Tags(HTMLParser):
    """Records every start tag and its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_xss_payloads_are_neutralised(payload):
    html = render_markdown(payload)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered
    assert "onerror" not in lowered
    assert "data:" not in lowered
    for tag, attrs in _tags(html):
        assert tag in ALLOWED_TAGS
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        href = attrs.get("href") or ""
        assert ":" not in href or href.startswith(("http:", "https:", "mailto:"))


def test_images_are_dropped():
    assert "<img" not in render_markdown("![logo](https://example.com/logo.png)")


@pytest.mark.parametrize("text, expected", [
    ("From ==1 September==.", "<p>From <mark>1 September</mark>.</p>"),
    ("==WiBro ID== and ==Wi-Fi bundle==",
     "<p><mark>WiBro ID</mark> and <mark>Wi-Fi bundle</mark></p>"),
    ("==**bold** term==", "<p><mark><strong>bold</strong> term</mark></p>"),
    ("`==not marked==`", "<p><code>==not marked==</code></p>"),
    ("```\n==not marked==\n```", "<pre><code>==not marked==\n</code></pre>"),
    ("a == b == c", "<p>a == b == c</p>"),
    ("x ==== y", "<p>x ==== y</p>"),
    ("고객은 ==WiBro ID==로 로그인합니다.", "<p>고객은 <mark>WiBro ID</mark>로 로그인합니다.</p>"),
])
def test_marks(text, expected):
    assert render_markdown(text) == expected


@pytest.mark.parametrize("text, href", [
    ("[site](http://example.com/a)", "http://example.com/a"),
    ("[site](https://example.com/a?b=1&c=2)", "https://example.com/a?b=1&c=2"),
    ("[mail](mailto:help@example.com)", "mailto:help@example.com"),
    ("<https://example.com>", "https://example.com"),
    ("[bulletin](/bulletins/wibro50-wifi-login)", "/bulletins/wibro50-wifi-login"),
    ("[section](#facts)", "#facts"),
])
def test_links_keep_safe_urls_and_get_rel(text, href):
    (tag, attrs), = _tags(render_markdown(text))[1:]
    assert tag == "a"
    assert attrs == {"href": href, "rel": "noopener noreferrer"}


def test_link_title_is_kept():
    html = render_markdown('[site](https://example.com "Our site")')
    assert '<a href="https://example.com" title="Our site" rel="noopener noreferrer">' in html


@pytest.mark.parametrize("text", [
    "9월 1일부터 WiBro 50GB 요금제 고객은 WiBro ID로 로그인합니다.",
    "별도 와이파이 번들은 필요 없습니다 — 고객센터 1588-0010.",
])
def test_korean_text_is_unchanged(text):
    assert render_markdown(text) == f"<p>{text}</p>"


@pytest.mark.parametrize("text, fragment", [
    ("# Title", "<h1>Title</h1>"),
    ("## Section", "<h2>Section</h2>"),
    ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
    ("*em* and **strong**", "<p><em>em</em> and <strong>strong</strong></p>"),
    ("---", "<hr>"),
    ("| a | b |\n|:--|--:|\n| 1 | 2 |", '<th align="left">a</th>'),
    ("| a | b |\n|:--|--:|\n| 1 | 2 |", '<td align="right">2</td>'),
    ("x <del>old</del> <sup>1</sup>", "<del>old</del> <sup>1</sup>"),
    ("5 < 6 & 7 > 3", "<p>5 &lt; 6 &amp; 7 &gt; 3</p>"),
])
def test_allowed_markdown(text, fragment):
    assert fragment in render_markdown(text)


@pytest.mark.parametrize("text, expected", [
    ("No marks here.", []),
    ("Customers on ==WiBro 50 GB== use their ==WiBro ID==.", ["WiBro 50 GB", "WiBro ID"]),
    ("==WiBro ID== ... ==Wi-Fi== ... ==WiBro ID==", ["WiBro ID", "Wi-Fi"]),
    ("`==code==` and ==real==", ["real"]),
    ("```\n==fenced==\n```\n\n==after==", ["after"]),
    ("==**bold** term==", ["bold term"]),
    ("- ==one==\n- ==two==", ["one", "two"]),
    ("고객은 ==WiBro ID==로, ==와이파이 번들== 없이", ["WiBro ID", "와이파이 번들"]),
    ("a == b == c", []),
])
def test_marked_terms(text, expected):
    assert marked_terms(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("From ==1 September==, use the **WiBro ID**.", "From 1 September, use the WiBro ID."),
    ("# Title\n\nFirst  paragraph\nwraps.\n\n- one\n- two",
     "Title\nFirst paragraph wraps.\none\ntwo"),
    ("[our site](https://example.com) & more", "our site & more"),
    ("Hello <script>alert(1)</script>world", "Hello world"),
    ("5 < 6", "5 < 6"),
    ("```\nline one\nline two\n```", "line one\nline two"),
    ("고객은 ==WiBro ID==로 로그인합니다.", "고객은 WiBro ID로 로그인합니다."),
    ("", ""),
])
def test_plain_text(text, expected):
    assert plain_text(text) == expected


def test_plain_text_has_no_tags():
    text = "| a | b |\n|---|---|\n| ==x== | `y` |\n\n> quote"
    assert not re.search(r"<[a-z/]", plain_text(text))
