"""The content library: topics (folders) of pages (Markdown files).

``load_library(folder)`` reads every topic and page header and returns a
``Library``; each page's Markdown is rendered to sanitised HTML for Qt's
rich-text engine the first time it is shown (``Page.html``). A broken page is
left out and described in ``Library.problems``; the rest still shows.
Translations (``name.es.md`` beside ``name.md``) load with it:
``Library.translated("es")`` is the library as a Spanish reader sees it (the
English page, marked ``fallback``, where a translation is missing).
``kiosk.content.check`` checks a folder for the admin (``kiosk check-content``).
"""

from kiosk.content.loader import load_library
from kiosk.content.model import Library, Page, PageBody, Problem, Rendered, Topic, TopicText

__all__ = [
    "Library",
    "Page",
    "PageBody",
    "Problem",
    "Rendered",
    "Topic",
    "TopicText",
    "load_library",
]
