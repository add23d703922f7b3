"""Loading a library reads headers only: Markdown and the sanitiser's parsers
are imported when a page is first rendered, not at start-up (issue 19)."""

from __future__ import annotations

import json
import subprocess
import sys

#: What rendering a page needs and loading a library must not import.
RENDER_ONLY = ("kiosk.content.render", "markdown", "nh3", "xml.etree", "html.parser")

_CODE = """
import json, sys
from kiosk.content import load_library
from kiosk.paths import shipped_content_dir
heavy = {names!r}
def present():
    return sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy
                  or any(m.startswith(h + ".") for h in heavy))
library = load_library(shipped_content_dir())
loaded = present()
library.topics[0].pages[0].html  # the first render
print(json.dumps({{"loaded": loaded, "rendered": present()}}))
"""


def test_loading_a_library_imports_no_markdown_until_a_page_is_shown() -> None:
    # A fresh interpreter: the test session has long since imported Markdown.
    result = subprocess.run(
        [sys.executable, "-c", _CODE.format(names=RENDER_ONLY)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    assert {"kiosk.content.render", "markdown", "nh3"} <= set(found["rendered"])
