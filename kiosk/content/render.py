"""Markdown to sanitised HTML for Qt's rich-text engine.

Three layers, each enough on its own for what it guards:

1. Python-Markdown turns the page into an element tree; ``_LinkPolicy`` walks
   it and rewrites every link and picture: a link to another page becomes
   ``kiosk:page/<topic>/<page>``, a link to the web becomes plain text, a
   picture must be a file inside the content folder and gets a
   ``kiosk:image/...`` name.
2. nh3 (the Ammonia sanitiser) keeps only an allowlist of tags and attributes;
   raw HTML, scripts, styles, iframes and event attributes are dropped. Its
   attribute filter lets through only the link targets and picture names that
   step 1 produced, so raw ``<a>``/``<img>`` in the Markdown cannot smuggle a
   ``file:``/``http:`` address past it.
3. The UI's text browser loads only pictures named in ``Page.images``.

A line ``[[request]]`` (the one marker a page may use) becomes, after
sanitising, an empty paragraph with the anchor ``REQUEST_SLOT``: the page
screen puts a real "Request information" button there. The allowlist stays
as it is: the slot is written after nh3 ran, where the tree processor left a
one-time token that a page cannot guess, so no page text or raw HTML can make
a slot, a link or a button of its own.
"""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from kiosk.content.model import (
    IMAGE_PREFIX,
    PAGE_LINK_PREFIX,
    REQUEST_MARKER,
    REQUEST_SLOT,
    TRANSLATION_LANGUAGES,
    split_language,
)
from kiosk.content.pictures import (
    line_of,
    resolve_picture,
    safe_resolve,
)
from kiosk.support.hints import did_you_mean

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "blockquote",
    "a",
    "img",
    "span",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
# Tags whose content is dropped too, not only the tag.
DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "textarea",
    "select",
    "svg",
    "math",
    "title",
    "head",
    "frameset",
    "frame",
    "applet",
}
WEB_SCHEMES = {"http", "https", "www", "mailto", "tel"}
_IMG_TAG = re.compile(r"<img\b[^>]*>")
#: ``[[name]]``: what an admin writes for a marker (and its misspellings).
_MARKER = re.compile(r"\[\[([^\[\]\n]*)\]\]")
#: What a ``[[request]]`` line becomes once sanitised (see the module's docstring).
REQUEST_SLOT_HTML = f'<p><a name="{REQUEST_SLOT}">\u00a0</a></p>'

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class RenderContext:
    """What one page's render needs to know and what it found."""

    root: Path
    page_file: Path
    page_keys: frozenset[str]  # "topic/page" for every page with good metadata
    source_text: str
    images: dict[str, Path] = field(default_factory=dict)
    links: set[str] = field(default_factory=set)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
    #: Every picture kept: (line, reference as written, file).
    pictures: list[tuple[int | None, str, Path]] = field(default_factory=list)
    #: Stands for a ``[[request]]`` line until the HTML is sanitised; new for each render.
    slot_token: str = field(default_factory=lambda: "kiosk-slot-" + secrets.token_hex(16))

    def warn(self, needle: str, message: str) -> None:
        # Python-Markdown's placeholders carry control characters: keep them
        # out of messages a person reads.
        self.warnings.append((self.line_of(needle), _CONTROL.sub("", message)))

    def line_of(self, needle: str) -> int | None:
        return line_of(self.source_text, needle)


class _LinkPolicy(Treeprocessor):  # type: ignore[misc]  # Markdown has no type hints
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.context: RenderContext | None = None

    def run(self, root: ET.Element) -> None:
        assert self.context is not None
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "a":
                    self._link(child)
                elif child.tag == "img":
                    self._picture(parent, child)
        self._markers(root)

    def _markers(self, root: ET.Element) -> None:
        """A paragraph that is only ``[[request]]`` becomes the slot's token;
        any other ``[[...]]`` stays text, and the admin hears of it."""
        ctx = self.context
        assert ctx is not None
        for element in root.iter():
            code = element.tag in ("code", "pre")  # written as code: shown as it is
            whole = _MARKER.fullmatch((element.text or "").strip())
            if (
                element.tag == "p"
                and not len(element)
                and whole is not None
                and whole.group(1).strip() == REQUEST_MARKER
            ):
                element.text = ctx.slot_token
                continue
            for text in (element.tail,) if code else (element.text, element.tail):
                for match in _MARKER.finditer(text or ""):
                    ctx.warn(_line_around(ctx, text or "", match), _marker_problem(match.group(1)))

    def _link(self, element: ET.Element) -> None:
        ctx = self.context
        assert ctx is not None
        href = (element.get("href") or "").strip()
        parts = urlsplit(href)
        target = self._page_target(href) if not (parts.scheme or parts.netloc) else None
        if target is not None:
            element.attrib = {"href": PAGE_LINK_PREFIX + target}
            ctx.links.add(PAGE_LINK_PREFIX + target)
            return
        text = "".join(element.itertext()).strip()
        element.tag = "span"
        element.attrib = {}
        if parts.scheme.lower() in WEB_SCHEMES or parts.netloc:
            shown = href.split("://", 1)[-1].removeprefix("mailto:").removeprefix("tel:")
            if shown and shown.rstrip("/") != text.rstrip("/"):
                # Show where it goes, as text: the kiosk never opens the web.
                if len(element):
                    last = element[-1]
                    last.tail = (last.tail or "") + f" ({shown})"
                else:
                    element.text = (element.text or "") + f" ({shown})"
        elif parts.scheme:
            ctx.warn(href, f'link "{href}" is not allowed; shown as text')
        else:
            ctx.warn(href, f'link to "{href}": no such page; shown as text')

    def _page_target(self, href: str) -> str | None:
        ctx = self.context
        assert ctx is not None
        path = unquote(urlsplit(href).path)
        if not path:
            return None
        rel = PurePosixPath(path.replace("\\", "/"))
        target = safe_resolve(ctx.page_file.parent / Path(*rel.parts))
        if (
            target is None
            or target.suffix != ".md"
            or not target.is_relative_to(ctx.root.resolve())
        ):
            return None
        relative = target.relative_to(ctx.root.resolve())
        if len(relative.parts) != 2:
            return None
        stem, code = split_language(relative.stem)
        # A link to a translation ("02-b.es.md") goes to the page's key like a
        # link to the English file: the reader's language view picks the file.
        page_id = stem if code in TRANSLATION_LANGUAGES else relative.stem
        key = f"{relative.parts[0]}/{page_id}"
        return key if key in ctx.page_keys else None

    def _picture(self, parent: ET.Element, element: ET.Element) -> None:
        ctx = self.context
        assert ctx is not None
        src = (element.get("src") or "").strip()
        file, refused = resolve_picture(ctx.root, ctx.page_file.parent, src)
        if file is None:
            ctx.warn(src, refused or "picture left out")
            _remove(parent, element)
            return
        if not file.is_file():
            # Checked at load; gone since (a sync tool mid-copy): the page
            # still shows, without the picture, never as a broken page.
            ctx.warn(src, f'picture "{src}" not found; left out')
            _remove(parent, element)
            return
        name = IMAGE_PREFIX + file.relative_to(ctx.root.resolve()).as_posix()
        ctx.images[name] = file
        ctx.pictures.append((ctx.line_of(src), src, file))
        described = (element.get("alt") or "").strip()
        if not described:
            # Screen readers and audio mode say what is written here, or nothing.
            ctx.warn(
                src,
                f'picture "{src}" has no words for people who cannot see it: write what '
                "it shows between its brackets, or for a page's picture, on a "
                '"picture_text:" line',
            )
        element.attrib = {"src": name, "alt": described}


def _line_around(ctx: RenderContext, text: str, match: re.Match[str]) -> str:
    """What to look for to find ``match``'s line: the words around it on its
    line (the first ``[[request]]`` may be a good one above), else the marker."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start : end if end >= 0 else len(text)].strip()
    return line if ctx.line_of(line) is not None else match.group(0)


def _marker_problem(name: str) -> str:
    shown = f"[[{name}]]"
    if name.strip() == REQUEST_MARKER:
        return (
            f'"{shown}" must be a line of its own (a blank line above and below) '
            "to show the Request information button; shown as text"
        )
    hint = did_you_mean(name.strip().lower(), [REQUEST_MARKER], "[[{}]]")
    return f'"{shown}" is not a marker the kiosk knows (only [[request]]); shown as text{hint}'


def _remove(parent: ET.Element, element: ET.Element) -> None:
    """Remove ``element`` but keep the text that followed it."""
    tail = element.tail or ""
    siblings = list(parent)
    index = siblings.index(element)
    if tail:
        if index > 0:
            prev = siblings[index - 1]
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


class _KioskExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After "inline" (priority 20) so links and pictures exist; before prettify.
        md.treeprocessors.register(_LinkPolicy(md), "kiosk_links", 15)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "li", "br", "h1", "h2", "h3", "h4", "tr"}:
            self.chunks.append("\n")


def plain_text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return re.sub(r"\n\s*\n+", "\n\n", "".join(parser.chunks)).strip()


class Renderer:
    """Renders pages; one Markdown instance reused for a whole library."""

    def __init__(self) -> None:
        # Extension objects, not names: naming them makes Markdown search the
        # installed packages' entry points, which costs ~40 ms at start-up.
        self._md = markdown.Markdown(
            extensions=[SaneListExtension(), TableExtension(), _KioskExtension()],
            output_format="html",
        )
        policy = self._md.treeprocessors["kiosk_links"]
        assert isinstance(policy, _LinkPolicy)
        self._policy = policy

    def render(self, body: str, context: RenderContext) -> str:
        """Return sanitised HTML. A missing picture is a problem the loader reports,
        not an exception; anything raised here makes the loader show the page as
        plain text."""
        self._md.reset()
        self._policy.context = context
        try:
            raw = self._md.convert(body)
        finally:
            self._policy.context = None
        clean = sanitise(raw, links=context.links, images=set(context.images))
        return clean.replace(f"<p>{context.slot_token}</p>", REQUEST_SLOT_HTML)


def sanitise(html: str, *, links: set[str], images: set[str]) -> str:
    """Keep only allowed tags, and only the link targets and pictures we made."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        # Ammonia also allows a few attributes on every tag (lang, title...);
        # Qt turns title into a tooltip. Only our own list passes.
        if attribute not in ALLOWED_ATTRIBUTES.get(tag, ()):
            return None
        if tag == "a" and attribute == "href":
            return value if value in links else None
        if tag == "img" and attribute == "src":
            return value if value in images else None
        return value

    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"kiosk"},
        link_rel=None,
        strip_comments=True,
    )
    return _IMG_TAG.sub(_drop_img_without_src, cleaned)


def _drop_img_without_src(match: re.Match[str]) -> str:
    # Ammonia writes every attribute as name="value" with quotes in the value
    # escaped, so the names are exactly what this finds.
    names = set(re.findall(r'\s([\w-]+)="[^"]*"', match.group(0)))
    return match.group(0) if "src" in names else ""
