"""Resource pages: Markdown as organisers type it, HTML as readers get it.

The HTML is made once, when the page is saved, and stored: requests serve it as it is. What
could run in a reader's browser is refused with a message saying what, never silently dropped
(the organiser would not know their page lost a part): any raw HTML (a ``<script>``, an
``<iframe>``, an ``onclick``...), and any link or image whose address is not http(s), mailto or
relative (``javascript:``, ``data:``...). What passes is still cleaned by ``nh3`` against the
tags Markdown makes, so that a mistake here cannot open a hole.
"""

import re

import nh3
from flask_babel import gettext as _
from markdown_it import MarkdownIt

from facilitate.domain import DomainError

# The tags CommonMark (with tables and strikethrough) produces, and their harmless attributes.
_TAGS = {
    "p", "br", "hr", "em", "strong", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
_LINK_SCHEMES = {"http", "https", "mailto"}
_IMAGE_SCHEMES = {"http", "https"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers ignore these inside an address ("java\tscript:" is "javascript:").
_IGNORED_IN_ADDRESS = re.compile(r"[\x00-\x20\x7f]+")
_TAG_NAME = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # Every address reaches the checks below, which refuse with a message, instead of
    # markdown-it's own, which would quietly leave the link as text.
    parser.validateLink = lambda url: True
    return parser


_MARKDOWN = _parser()


def scheme_of(address: str) -> str | None:
    """The address's scheme as a browser reads it, lower case; None for a relative address."""
    found = _SCHEME.match(_IGNORED_IN_ADDRESS.sub("", address).lower())
    return found.group(1) if found else None


def _refusals(tokens) -> list[str]:
    refused = []
    for token in tokens:
        if token.type in ("html_block", "html_inline"):
            names = sorted({name.lower() for name in _TAG_NAME.findall(token.content)})
            tag = f"<{names[0]}>" if names else token.content.strip()[:40]
            refused.append(_("HTML is not accepted, only Markdown (found: %(tag)s).", tag=tag))
        elif token.type in ("link_open", "image"):
            address = token.attrGet("href" if token.type == "link_open" else "src") or ""
            scheme = scheme_of(address)
            allowed = _LINK_SCHEMES if token.type == "link_open" else _IMAGE_SCHEMES
            if scheme is not None and scheme not in allowed:
                refused.append(
                    _(
                        "The address “%(address)s” is refused: links must start with http://, https:// or mailto: (or lead to a page of this site).",
                        address=address[:80],
                    )
                )
        if token.children:
            refused.extend(_refusals(token.children))
    return refused


def render(text: str) -> str:
    """The page's HTML, sanitised. Raises DomainError (on the ``body`` field) saying what was
    refused, every refusal at once."""
    tokens = _MARKDOWN.parse(text)
    refused = list(dict.fromkeys(_refusals(tokens)))
    if refused:
        raise DomainError(" ".join(refused), field="body")
    for token in tokens:
        # The page's title is its only h1: the text's headings start one level below.
        if token.type in ("heading_open", "heading_close") and token.tag < "h6":
            token.tag = f"h{int(token.tag[1]) + 1}"
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
