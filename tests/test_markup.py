"""markup.parse_inline reuses one docutils state machine; it must parse like a fresh one."""

from __future__ import annotations

import copy

import docutils.utils
import pytest
from docutils import nodes
from docutils.parsers.rst import Parser

from translate_flow.markup import _fragment_settings, parse_inline
from translate_flow.rst import system_message_text

# Texts that leave a state machine in every kind of state: sections, lists, directives that
# fail, a default role, literal blocks, tables, errors — each followed by plain prose.
TEXTS = [
    "Plain *emphasis* and ``literal`` and `link <https://example.org>`_.",
    "Title\n=====\n\nBody.",
    "- one\n- two\n\n  nested\n\n  - deeper",
    ".. default-role:: math\n\n`x^2`",
    "`interpreted` after a default-role elsewhere",
    "Para::\n\n    literal block",
    "+---+---+\n| a | b |\n+---+---+",
    ".. include:: /etc/passwd",
    ".. raw:: html\n\n   <script>alert(1)</script>",
    "Unbalanced *emphasis and ``literal",
    "Definition\n  term body",
    "1. enumerated\n2. list",
    "Footnote [#]_ and [1]_ and citation [CIT2009]_ and |sub| and `ref`_ and anon__.",
    "Plain *emphasis* and ``literal`` and `link <https://example.org>`_.",
]


def _ours(text: str) -> str:
    inline, problems, single = parse_inline(text)
    return "".join(node.pformat() for node in inline) + repr((problems, single))


def _ours_from_fresh(text: str) -> str:
    document = docutils.utils.new_document("<translation>", copy.copy(_fragment_settings()))
    found: list[str] = []
    document.reporter.attach_observer(lambda msg: found.append(system_message_text(msg)))
    Parser().parse(text, document)
    children = [c for c in document.children if not isinstance(c, nodes.system_message)]
    single = len(children) == 1 and type(children[0]) is nodes.paragraph
    inline = list(children[0].children) if single else []
    for message in document.findall(nodes.system_message):
        text_of = system_message_text(message)
        if text_of not in found:
            found.append(text_of)
    return "".join(node.pformat() for node in inline) + repr((found, single))


def test_reused_parser_parses_each_text_like_a_fresh_docutils_parser() -> None:
    for _ in range(2):
        for text in TEXTS:
            assert _ours(text) == _ours_from_fresh(text), text


def test_parser_recovers_after_a_run_that_raised() -> None:
    with pytest.raises(RecursionError):
        parse_inline("- " * 2000 + "x")
    for text in TEXTS:
        assert _ours(text) == _ours_from_fresh(text), text
