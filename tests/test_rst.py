"""Which nodes are messages, and the inventory of inline markup."""

from __future__ import annotations

from pathlib import Path

from translate_flow.markup import inline_markup
from translate_flow.rst import read_article


def _messages(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "a.rst"
    path.write_text(text, encoding="utf-8")
    return [(m.text, m.kind) for m in read_article(path, source_name="a.rst").messages]


def test_msgid_keeps_inline_markup_and_normalises_whitespace(tmp_path: Path) -> None:
    assert _messages(tmp_path, "Some  *stressed*\ntext  and ``code``.\n") == [
        ("Some *stressed* text and ``code``.", "paragraph")
    ]


def test_text_without_letters_is_not_a_message(tmp_path: Path) -> None:
    assert _messages(tmp_path, "2009\n\n75-80\n\nWords.\n") == [("Words.", "paragraph")]


def test_front_matter_fields_are_data(tmp_path: Path) -> None:
    text = "Title\n=====\n\n:date: 2009-12-31\n:articles: a b\n:Editor: Jane Doe\n"
    assert _messages(tmp_path, text) == [
        ("Title", "document title"),
        ("Editor", "field name"),
        ("Jane Doe", "paragraph (field body)"),
    ]


def test_inline_markup_inventory() -> None:
    markup = inline_markup(
        "See ``code``, :sub:`2`, `UNODC <https://unodc.org>`_, `partners`_, [#eco]_, "
        "[CIT]_, |sub|, *a* and **b**."
    )
    assert markup.literals == ("code",)
    assert markup.roles == (":sub:`2`",)
    assert markup.urls == ("https://unodc.org",)
    assert markup.references == ("partners",)
    assert markup.footnote_references == ("eco",)
    assert markup.citation_references == ("cit",)
    assert markup.substitutions == ("sub",)
    assert (markup.emphasis, markup.strong) == (1, 1)
    assert markup.problems == ()
    assert markup.is_inline


def test_inline_markup_reports_broken_and_block_markup() -> None:
    assert inline_markup("Unbalanced *emphasis").problems == (
        "Inline emphasis start-string without end-string.",
    )
    assert not inline_markup("- a list item").is_inline
    assert not inline_markup("One.\n\nTwo.").is_inline
