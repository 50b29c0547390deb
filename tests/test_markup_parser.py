"""`markup.parse_inline` keeps one docutils state machine per process: the doctrees and
findings must be exactly those of a fresh `Parser()` for every kind of fragment."""

from __future__ import annotations

import copy

import docutils.utils
import pytest
from docutils.parsers.rst import Parser

from translate_flow import markup

FRAGMENTS = [
    "plain text",
    "*unbalanced",
    "``UNODC``ning glued suffix",
    "a `link <https://example.org/>`_ and `named`_ and `anonymous`__",
    "- a list\n- of two",
    "two\n\nparagraphs",
    "auto [#]_ numbered [*]_ and [1]_ and [CIT2009]_",
    ":evil:`unknown role` then :emphasis:`known`",
    "|substitution| here",
    "   indented text",
    "Title\n=====",
    "x" * 12_000,
    ".. raw:: html\n\n   <script>alert(1)</script>",
    ".. include:: /etc/passwd",
    "escaped\\ suffix and \\*star",
    "1. one\n2. two",
    "Example::\n\n   code",
    "_`inline target` and a trailing word_",
]


def _fresh(text: str) -> str:
    document = docutils.utils.new_document("<translation>", copy.copy(markup._fragment_settings()))
    Parser().parse(text, document)
    return str(document.pformat())


def _reused(text: str) -> str:
    document = docutils.utils.new_document("<translation>", copy.copy(markup._fragment_settings()))
    markup._PARSER().parse(text, document)
    return str(document.pformat())


@pytest.mark.parametrize("text", FRAGMENTS)
def test_reused_parser_gives_the_doctree_of_a_fresh_parser(text: str) -> None:
    for other in FRAGMENTS:  # whatever was parsed before
        _reused(other)
        assert _reused(text) == _fresh(text)


def test_parse_after_a_recursion_error_starts_from_a_new_machine() -> None:
    with pytest.raises(RecursionError):
        markup.parse_inline("- " * 2000 + "x")
    assert markup.parse_inline("*a*")[1:] == ([], True)
