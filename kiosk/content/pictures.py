"""What the loader needs to know about a page's text without rendering it:
which pictures it shows, whether a file stays inside the content folder, the
line a piece of text is on. Plain Python (re, pathlib, urllib): the loader
imports this at start-up, and ``render`` (Markdown, ElementTree, nh3,
html.parser) only when a page is first shown.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
#: The kiosk shows no picture wider or taller than this (pixels): decoding one
#: costs seconds and hundreds of MB on the screen's thread (8000 x 8000: 256 MB),
#: and about 1600 wide is plenty for the screen. ``kiosk check-content`` says so.
MAX_PICTURE_SIDE = 4096

#: What each kind of picture file begins with: (offset, bytes), all of them.
_SIGNATURES: dict[str, tuple[tuple[tuple[int, bytes], ...], ...]] = {
    ".png": (((0, b"\x89PNG\r\n\x1a\n"),),),
    ".jpg": (((0, b"\xff\xd8\xff"),),),
    ".jpeg": (((0, b"\xff\xd8\xff"),),),
    ".gif": (((0, b"GIF87a"),), ((0, b"GIF89a"),)),
    ".webp": (((0, b"RIFF"), (8, b"WEBP")),),
    ".bmp": (((0, b"BM"),),),
}
_KIND = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".webp": "WebP",
    ".bmp": "BMP",
}


def content_matches_suffix(file: Path) -> bool | None:
    """Whether ``file`` begins as its suffix says (a ".png" is a PNG); None when
    it cannot be read (missing: the caller says so). Qt reads a picture by its
    content, whatever its name: an SVG saved as ".png" would be drawn as an SVG,
    and an SVG can draw any file of the disk into the page."""
    signatures = _SIGNATURES.get(file.suffix.lower())
    if signatures is None:
        return False
    try:
        with open(file, "rb") as opened:
            head = opened.read(16)
    except OSError:
        return None
    return any(all(head[at : at + len(part)] == part for at, part in one) for one in signatures)


def line_of(text: str, needle: str) -> int | None:
    """The 1-based line of the first line of ``text`` that contains ``needle``."""
    if not needle:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return None


def safe_resolve(path: Path) -> Path | None:
    """``path.resolve()``, or None for a name no file can have (a NUL byte) or a
    symlink loop: a typing slip in one page must not stop the kiosk."""
    try:
        return path.resolve()
    except (OSError, ValueError, RuntimeError):
        return None


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, symlinks followed, is inside ``root``."""
    resolved = safe_resolve(path)
    return resolved is not None and resolved.is_relative_to(root.resolve())


def resolve_picture(root: Path, base_dir: Path, src: str) -> tuple[Path | None, str | None]:
    """Resolve a picture reference; return (file, None) or (None, why it is refused).

    Only a relative path without ``..`` that stays inside ``root`` is accepted;
    a missing file is reported with the path so the caller can decide.
    """
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", src):
        return None, f'picture "{src}" must be a file inside the content folder; left out'
    rel = PurePosixPath(unquote(parts.path).replace("\\", "/"))
    if ".." in rel.parts or not rel.parts:
        return None, f'picture "{src}" may not use ".."; left out'
    candidate = safe_resolve(base_dir / Path(*rel.parts))
    if candidate is None:
        return None, f'picture "{src}" is not a usable file name; left out'
    if not candidate.is_relative_to(root.resolve()):
        return None, f'picture "{src}" is outside the content folder; left out'
    if candidate.suffix.lower() not in IMAGE_SUFFIXES:
        return None, f'picture "{src}" is not a PNG, JPEG, GIF, WebP or BMP file; left out'
    if content_matches_suffix(candidate) is False:
        kind = _KIND[candidate.suffix.lower()]
        return None, (
            f'picture "{src}" is not a {kind} file inside, though its name says so; '
            f"save it again as {kind}; left out"
        )
    return candidate, None


# What Python-Markdown (with the extensions above) takes for a picture, found
# without rendering: the loader leaves a page with a missing picture out before
# anything is rendered. The render still checks each picture it finds.
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+\.)[ \t]+")
_BLOCK_SPLIT = re.compile(r"(\n[ \t]*\n(?:[ \t]*\n)*)")
_BRACKETED = r"(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*"
_IMAGE_INLINE = re.compile(
    rf"(?<!\\)!\[{_BRACKETED}\]\(\s*"
    r"(?:<([^>\n]*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*))"
)
_IMAGE_REFERENCE = re.compile(rf"(?<!\\)!\[({_BRACKETED})\](?:[ ]?(?:\n[ ]*)?\[([^\[\]]*)\])?")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*\n?[ ]*(\S+)", re.MULTILINE)


def _blank(match: re.Match[str]) -> str:
    """The match as spaces, its line breaks kept (so lines still count)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def mask_code(body: str) -> str:
    """``body`` with its code (indented code blocks, `code spans`) blanked out,
    line for line: what is left is what Markdown reads as text, links and HTML."""
    parts = _BLOCK_SPLIT.split(body)
    in_list = in_code = False
    for index in range(0, len(parts), 2):
        block = parts[index]
        if not block.strip():
            continue
        lead = block.lstrip("\n")  # the body's first block may follow a blank line
        indented = lead.startswith(("    ", "\t"))
        if indented and (in_code or not in_list):
            in_code = True
            parts[index] = re.sub(r"[^\n]", " ", block)
            continue
        in_code = False
        if not indented:
            in_list = bool(_LIST_ITEM.match(lead))
        parts[index] = _CODE_SPAN.sub(_blank, block)
    return "".join(parts)


def find_pictures(body: str) -> list[str]:
    """The pictures a Markdown page shows, as written (``![alt](src)`` and
    ``![alt][ref]`` with ``[ref]: src``), without rendering it."""
    if "![" not in body:
        return []  # most pages: no picture at all
    text = mask_code(body)
    found: list[tuple[int, str]] = []
    for match in _IMAGE_INLINE.finditer(text):
        found.append((match.start(), (match.group(1) or match.group(2) or "").strip()))
    text = _IMAGE_INLINE.sub(_blank, text)
    references: dict[str, str] = {}
    for match in _REFERENCE_DEFINITION.finditer(text):
        key = " ".join(match.group(1).split()).lower()
        references[key] = match.group(2).lstrip("<").rstrip(">")  # the last one counts
    text = _REFERENCE_DEFINITION.sub(_blank, text)
    for match in _IMAGE_REFERENCE.finditer(text):
        key = " ".join((match.group(2) or match.group(1)).split()).lower()
        if key in references:
            found.append((match.start(), references[key]))
    return [src for _at, src in sorted(found) if src]
