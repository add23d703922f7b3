"""The shipped content: the clinic's article as the first topic."""

from __future__ import annotations

from kiosk.content import Library


def test_shipped_content_loads_without_problems(shipped_library: Library) -> None:
    """No errors or warnings in what we ship."""
    assert [str(p) for p in shipped_library.problems] == []


def test_article_is_split_at_its_headings(shipped_library: Library) -> None:
    """One topic; a page per heading of the article, a talk-to-us page, the disclaimer."""
    (topic,) = shipped_library.topics
    assert topic.title == "Ketamine and depression"
    titles = [page.title for page in topic.pages]
    assert titles[:7] == [
        "Ketamine and depression",
        "What is ketamine?",
        "How does ketamine work?",
        "What is ketamine therapy?",
        "What are the benefits of ketamine therapy?",
        "How does ketamine work for depression?",
        "Conclusion",
    ]
    assert "Talk to us" in titles
    assert [p.order for p in topic.pages] == sorted(p.order for p in topic.pages)


def test_typing_slips_are_fixed(shipped_library: Library) -> None:
    """GUIDE.md's slips are fixed; the clinic's wording is otherwise kept."""
    text = "\n".join(p.plain_text for t in shipped_library.topics for p in t.pages)
    for slip in ("quick rapid", "important o make", "resistent", "are fully understood"):
        assert slip not in text
    assert "are not fully understood" in text
    assert "treatment-resistant depression" in text
    # A sentence kept word for word from the article.
    assert "Ketamine is a powerful medication, and it is important to make sure" in text


def test_disclaimer_and_crisis_help_are_shipped(shipped_library: Library) -> None:
    """The medical disclaimer and the crisis numbers are in the content."""
    text = "\n".join(p.plain_text for t in shipped_library.topics for p in t.pages)
    assert "not medical advice" in text
    assert "Spravato" in text and "REMS" in text
    assert "988" in text and "911" in text and "741741" in text


def test_no_web_links_or_raw_html_in_shipped_pages(shipped_library: Library) -> None:
    """Shipped pages need nothing the sanitiser would drop."""
    for topic in shipped_library.topics:
        for page in topic.pages:
            source = page.source.read_text(encoding="utf-8")
            assert "<" not in source and "http" not in source, page.source
