"""Issue 18 point 1: nothing an admin saves can freeze or stop the kiosk.

Deeply nested TOML is a problem with a line, not a RecursionError; pages that
would take minutes to render (or to lay out in Qt) are over budget before
Markdown runs: they show "This page could not be shown" and check-content
reports an error with its line. The worst page inside the budget is timed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.content import load_library
from kiosk.content.budget import COULD_NOT_SHOW, MAX_PAGE_BYTES, check_source
from kiosk.content.check import check
from kiosk.content.render import RenderContext, Renderer
from tests.conftest import write_page

ROOT = Path(__file__).resolve().parents[2]
DEEP = "weird = " + "[" * 3000 + "]" * 3000 + "\n"

#: The pages of the attack run (issue 18), as bodies below a good header.
HOSTILE = {
    "images": "![" * 10_000,
    "lists": "<ul><li>" * 3000,
    "tables": "<table>" * 500,
    "two-megabytes": ("A line of plain words for the page.\n\n" * 60_000)[: 2 * 1024 * 1024],
}


def _kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deeply_nested_kiosk_toml_costs_its_line_not_the_kiosk(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[clinic]\nname = "Deep Clinic"\n{DEEP}', encoding="utf-8")
    config, problems = load_config(path)
    assert config.clinic_name == "Deep Clinic"  # the other settings still apply
    assert [p.line for p in problems] == [3]
    result = _kiosk("check-config", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}:3: error: not valid TOML (nested too deeply to read)" in result.stdout


def test_deeply_nested_topic_toml_is_a_problem_with_its_line(content_copy: Path) -> None:
    topic = sorted(p for p in content_copy.iterdir() if (p / "topic.toml").is_file())[0]
    (topic / "topic.toml").write_text(f'title = "Deep"\n{DEEP}', encoding="utf-8")
    library = load_library(content_copy)  # must not raise RecursionError
    errors = [p for p in library.errors if p.path.name == "topic.toml"]
    assert [(p.line, "nested too deeply" in p.message) for p in errors] == [(2, True)]
    result = _kiosk("check-content", str(content_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{topic.name}/topic.toml:2: error:" in result.stdout


def test_a_topic_toml_linked_from_outside_is_refused(content_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside.toml"
    secret.write_text('title = "Secret title"\nsummary = "Secret summary"\n', encoding="utf-8")
    topic = sorted(p for p in content_copy.iterdir() if (p / "topic.toml").is_file())[0]
    (topic / "topic.toml").unlink()
    (topic / "topic.toml").symlink_to(secret)
    library = load_library(content_copy)
    assert all("Secret" not in t.title and "Secret" not in t.summary for t in library.topics)
    assert any(
        p.path.name == "topic.toml" and "outside the content folder" in p.message
        for p in library.errors
    )


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_page_over_budget_is_never_rendered(tmp_path: Path, name: str) -> None:
    content = tmp_path / "content"
    write_page(content / "topic", "01-fine.md", "Fine", 1)
    write_page(content / "topic", "02-hostile.md", "Hostile", 2, body=HOSTILE[name])
    started = time.perf_counter()
    library = load_library(content)
    page = library.topics[0].pages[1]
    assert page.title == "Hostile"  # the title shows, the body does not
    assert page.plain_text == COULD_NOT_SHOW
    assert time.perf_counter() - started < 1.0
    errors = [p for p in library.errors if p.path.name == "02-hostile.md"]
    assert len(errors) == 1 and errors[0].line is not None and errors[0].line >= 5
    report = check(content)
    assert [p.line for p in report.errors] == [errors[0].line]


def test_a_fifty_megabyte_page_is_not_read_whole(tmp_path: Path) -> None:
    content = tmp_path / "content"
    page = write_page(content / "topic", "01-big.md", "Big", 1)
    with page.open("a", encoding="utf-8") as file:
        for _ in range(50):
            file.write("word " * 200_000 + "\n")
    started = time.perf_counter()
    library = load_library(content)
    assert time.perf_counter() - started < 1.0
    assert library.topics[0].pages[0].plain_text == COULD_NOT_SHOW
    assert library.errors[0].line == 7 and "bytes" in library.errors[0].message


def test_markdown_nesting_past_the_budget_is_caught_after_rendering(tmp_path: Path) -> None:
    content = tmp_path / "content"
    deep = "".join("  " * i + "- item\n" for i in range(40))  # 40 lists, one in another
    write_page(content / "topic", "01-deep.md", "Deep", 1, body=deep)
    library = load_library(content)
    page = library.topics[0].pages[0]
    assert page.plain_text == COULD_NOT_SHOW
    assert any("nested" in p.message for p in page.problems)


#: The header ``write_page`` gives a page titled "Worst" (order up to 99).
WORST_HEADER = "---\ntitle: Worst\norder: 99\n---\n\n"


def _worst_inside_budget() -> dict[str, str]:
    """For each bracket Markdown scans from: as many as fit, then words up to
    the budget (found by halving: check_source is the budget's only judge)."""
    pages = {}
    for unit in ("[", "![", "*[", "[a](", "<http://a ", "[](", "<x "):
        for count in (10, 200, 490):
            lo, hi = 0, MAX_PAGE_BYTES // 2
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if check_source(WORST_HEADER + unit * count + "x " * mid + "\n") is None:
                    lo = mid
                else:
                    hi = mid - 1
            body = unit * count + "x " * lo
            if check_source(WORST_HEADER + body + "\n") is None:
                pages[f"{unit!r}x{count}"] = body
    return pages


def test_no_page_inside_the_budget_is_slow() -> None:
    renderer = Renderer()
    worst = 0.0
    for body in _worst_inside_budget().values():
        context = RenderContext(Path("/tmp"), Path("/tmp/page.md"), frozenset(), body)
        started = time.perf_counter()
        renderer.render(body, context)
        worst = max(worst, time.perf_counter() - started)
    # about 0.35 s here; tap-to-painted is tested with a window in tests/ui
    assert worst < 1.2
