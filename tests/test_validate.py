"""The publication gate: every payload of research/reliability.md part B1, and what may pass."""

from __future__ import annotations

import docutils.core
import pytest

from translate_flow.errors import Problem
from translate_flow.validate import Reason, check_translation, validate

PLAIN = "A plain sentence."
RICH = (
    "See `the report <https://www.unodc.org/report>`_, `Python`_, `anon`__, [#]_, [1]_, "
    "[CIT2009]_, |UNODC|, :sub:`2`, ``--force`` and _`inline target`."
)


def checks(msgstr: str, msgid: str = PLAIN, kind: str = "paragraph") -> set[str]:
    return {reason.check for reason in validate(msgid=msgid, msgstr=msgstr, kind=kind)}


# -- B1 payloads, by number -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "msgstr", "check"),
    [
        ("1", "`x <javascript:alert(1)>`_", "unsafe-url"),
        ("1", "`x <JaVaScRiPt:alert(1)>`_", "unsafe-url"),
        ("1", "`x <data:text/html;base64,PHNjcmlwdD4=>`_", "unsafe-url"),
        ("1", "`x <vbscript:msgbox(1)>`_", "unsafe-url"),
        ("2", "see javascript:alert(1)//a now", "unsafe-url"),
        ("3", "`x <java\tscript:alert(1)>`_", "unsafe-url"),
        ("4", "Hello.\n\n.. raw:: html\n\n   <script>alert(1)</script>", "raw-or-include"),
        ("5", ":raw-html:`<img src=x onerror=alert(3)>`", "parse-error"),
        (
            "6",
            "Hi |evil|\n\n.. |evil| raw:: html\n\n   <img src=x onerror=alert(1)>",
            "raw-or-include",
        ),
        ("7", ".. include:: /etc/passwd\n   :literal:", "raw-or-include"),
        ("8", ".. csv-table::\n   :file: /etc/passwd", "raw-or-include"),
        ("8", ".. raw:: html\n   :file: /etc/passwd", "raw-or-include"),
        ("9", ".. image:: /etc/passwd\n   :loading: embed", "block-markup"),
        ("9", ".. figure:: /etc/passwd\n   :loading: embed", "block-markup"),
        ("9", "Hi |x|\n\n.. |x| image:: /etc/passwd\n   :loading: embed", "block-markup"),
        ("10", ".. image:: evil.svg\n   :loading: embed", "block-markup"),
        ("11", ".. image:: javascript:alert(1)\n   :target: javascript:alert(2)", "block-markup"),
        ("11", ".. _here: javascript:alert(1)\n\n`here`_", "block-markup"),
        ("12", ".. meta::\n   :http-equiv=refresh: 0; url=https://evil.example/", "block-markup"),
        ("13", ".. title:: Pwned", "block-markup"),
        ("13", ".. class:: hidden\n\nText", "block-markup"),
        ("13", "Heading\n=======\n\nText", "block-markup"),
        ("14", ".. --> <script>alert(1)</script>", "block-markup"),
        ("17", "Hi |nosuch| there", "substitutions"),
        ("17", ":evil:`x`", "parse-error"),
        ("17", "[99]_", "footnotes"),
        ("17", "`Title`_", "references"),
        ("18", "Price \u202e0.01\u202c USD", "control-character"),
        ("18", "Isolate \u2066x\u2069", "control-character"),
        ("19", "Hi\x00there", "control-character"),
        ("20", "x" * 20_000, "too-long"),
        ("22", "- " * 2000 + "x", "too-deep"),
        ("23", "*a " * 3000, "parse-error"),
        ("26", "unbalanced ``literal", "parse-error"),
    ],
)
def test_hostile_msgstr_is_refused(number: str, msgstr: str, check: str) -> None:
    assert check in checks(msgstr), f"B1 #{number}"


def test_a_raw_role_defined_by_an_earlier_document_stays_disabled() -> None:
    # docutils registers custom roles process-wide (B1 #5).
    docutils.core.publish_doctree(".. role:: raw-html(raw)\n   :format: html\n\n:raw-html:`x`\n")
    msgid = "Bold :raw-html:`<b>x</b>` text."
    assert "raw-or-include" in checks(":raw-html:`<img src=x onerror=alert(3)>`", msgid)


def test_homoglyph_in_an_inline_literal_is_refused() -> None:
    # B1 #18: a Cyrillic "о" in ``--force``.
    assert checks("Используйте ``--f\u043erce``.", "Use ``--force``.") == {"literals"}


def test_zero_width_space_in_prose_is_not_a_control_character() -> None:
    # B1 #18 names zero-width spaces; they are legitimate in some scripts' prose.
    assert checks("pay\u200bpal", "PayPal.") == set()


# -- the text rules of the target language (the build's gate passes the edition's language) ---


@pytest.mark.parametrize(
    ("msgstr", "language", "expected"),
    [
        ("Нарkотики *убивают*.", "ru", "look-alike letters of another script inside 'Нарkотики'"),
        ("Toshkеnt *shahrida*.", "uz", "look-alike letters of another script inside 'Toshkеnt'"),
        ("Нар\u200bкотики *убивают*.", "ru", "invisible control characters U+200B"),
        ("Logo\ufeff", "kk", "invisible control characters U+FEFF"),
    ],
)
def test_what_quality_calls_a_script_error_is_refused_in_the_language(
    msgstr: str, language: str, expected: str
) -> None:
    reasons = validate(msgid="Drugs *kill*.", msgstr=msgstr, language=language)
    assert [reason.check for reason in reasons] == ["script"]
    assert reasons[0].message.startswith(expected)
    # `check` calls the gate without a language: it reports these itself, once.
    assert validate(msgid="Drugs *kill*.", msgstr=msgstr) == []


def test_script_warnings_do_not_stop_publication() -> None:
    # A suffix glued to a Latin name, a letter of another alphabet: warnings in `check`.
    assert validate(msgid="UNODC staff.", msgstr="UNODCнинг ходимлари.", language="ru") == []
    assert validate(msgid="In Kazakhstan.", msgstr="В Қазақстане.", language="ru") == []


@pytest.mark.parametrize(
    "msgstr",
    [
        "<script>alert(1)</script> &amp; <b>",  # B1 #15: stays text, escaped by the writer
        '`x <http://a/"onmouseover="alert(1)>`_',  # B1 #16: attribute is escaped
    ],
)
def test_text_that_only_looks_like_html_passes(msgstr: str) -> None:
    assert checks(msgstr, "A `x <http://a/>`_ link.") == set()


# -- what a translator may write ------------------------------------------------------------


def test_translation_keeping_every_construct_passes() -> None:
    msgstr = (
        "См. `доклад <https://www.unodc.org/report>`_, `Питон <Python_>`_, `аноним`__, [#]_, "
        "[1]_, [CIT2009]_, |UNODC|, :sub:`2`, ``--force`` и _`inline target`."
    )
    verdict = check_translation(msgid=RICH, msgstr=msgstr)
    assert verdict.publishable, verdict.reasons
    assert verdict.nodes


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org",
        "https://example.org/a?b#c",
        "mailto:a@example.org",
        "page.html",
        "#top",
    ],
)
def test_allowed_url_schemes_pass(url: str) -> None:
    assert checks(f"`ссылка <{url}>`_", PLAIN) == set()


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "tel:123"])
def test_other_url_schemes_are_refused(url: str) -> None:
    assert checks(f"`ссылка <{url}>`_", PLAIN) == {"unsafe-url"}


def test_a_role_the_msgid_does_not_use_is_refused() -> None:
    assert checks("Текст :sup:`2`", "Text :sub:`2`") == {"roles"}


def test_a_substitution_the_msgid_does_not_use_is_refused() -> None:
    assert checks("Текст |B|", "Text |A|.") == {"substitutions"}


def test_a_citation_the_msgid_does_not_use_is_refused() -> None:
    assert checks("Текст [OTHER]_", "Text [CIT2009]_.") == {"citations"}


def test_an_inline_target_the_msgid_does_not_define_is_refused() -> None:
    assert checks("Текст _`новая цель`", "Text _`target`.") == {"targets"}


def test_a_missing_or_extra_anonymous_reference_is_refused() -> None:
    # docutils pairs anonymous references with targets by position in the whole document.
    assert checks("Текст `а`__ и `б`__", "Text `a`__.") == {"references"}
    assert checks("Текст без ссылки", "Text `a`__.") == {"references"}


def test_auto_numbered_footnotes_must_match_in_number() -> None:
    assert checks("Текст [#]_ [#]_", "Text [#]_.") == {"footnotes"}


def test_dropping_markup_is_allowed_by_the_gate() -> None:
    # Fewer references than the msgid is a quality question for `check`, not a safety one.
    assert checks("Просто текст.", "Text with `Python`_, [1]_ and |A|.") == set()


def test_plain_text_kinds_are_not_parsed_as_rst() -> None:
    assert checks("`x <javascript:y>`_", "An alt text", kind="image") == set()
    assert checks("Logo\u202e", "An alt text", kind="image") == {"control-character"}


def test_an_empty_translation_passes_the_gate() -> None:
    # An empty msgstr is untranslated: the build falls back before the gate matters.
    assert checks("") == set()


def test_reason_becomes_a_problem_naming_the_po_entry() -> None:
    reason = Reason("unsafe-url", "link URL scheme not allowed: 'javascript:x'")
    problem = reason.problem("locale/ru/LC_MESSAGES/2009-12/a.po", 42)
    assert problem == Problem(
        "locale/ru/LC_MESSAGES/2009-12/a.po", 42, "error", reason.message, "unsafe-url"
    )
    assert str(problem) == (
        "locale/ru/LC_MESSAGES/2009-12/a.po:42: error: unsafe-url: "
        "link URL scheme not allowed: 'javascript:x'"
    )
