"""The content library: topics (folders) of pages (Markdown files).

``load_library(folder)`` reads every topic and page, renders each page to
sanitised HTML for Qt's rich-text engine and returns a ``Library``. A broken
page is left out and described in ``Library.problems``; the rest still shows.
"""

from kiosk.content.loader import load_library
from kiosk.content.model import Library, Page, Problem, Topic

__all__ = ["Library", "Page", "Problem", "Topic", "load_library"]
