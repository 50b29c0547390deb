"""Markup placeholders: masked on the way in, restored and checked on the way out."""

from __future__ import annotations

from support.argos_package import translit

from translate_flow.masking import mask, translate_masked

PARAGRAPH = (
    "Read *the annual report* and run ``pip install x``, see "
    "`the site <https://example.org/a_b>`_, [1]_, |logo| and :doc:`guide`."
)


def test_every_construct_is_a_placeholder_and_words_stay_translatable() -> None:
    masked = mask(PARAGRAPH)
    assert masked.text == (
        "Read ⟦1⟧the annual report⟦/1⟧ and run ⟦2⟧, see ⟦3⟧the site⟦/3⟧, ⟦4⟧, ⟦5⟧ and ⟦6⟧."
    )


def test_restored_markup_is_intact_after_a_transliterating_model() -> None:
    masked = mask(PARAGRAPH)
    restored, problems = translate_masked(PARAGRAPH, translit(masked.text), masked)
    assert restored == (
        "Реад *тхе аннуал репорт* анд рун ``pip install x``, сее "
        "`тхе сите <https://example.org/a_b>`_, [1]_, |logo| анд :doc:`guide`."
    )
    assert problems == []


def test_underscores_urls_and_references_are_kept_verbatim() -> None:
    source = "Use snake_case, Python_ and `Named Ref`_ or mail info@example.org today."
    masked = mask(source)
    assert masked.text == "Use ⟦1⟧, ⟦2⟧ and ⟦3⟧ or mail ⟦4⟧ today."
    restored, problems = translate_masked(source, translit(masked.text), masked)
    assert restored == "Усе snake_case, Python_ анд `Named Ref`_ ор маил info@example.org тодаы."
    assert problems == []


def test_emphasis_follows_the_words_and_touching_words_get_an_escaped_space() -> None:
    source = "The *big* house."
    masked = mask(source)
    assert translate_masked(source, "Большой⟦1⟧дом ⟦/1⟧ тут.", masked) == (
        "Большой\\ *дом* тут.",
        [],
    )
    assert translate_masked(source, "Большой ⟦1⟧ дом ⟦/1⟧тут.", masked) == (
        "Большой *дом* тут.",
        [],
    )


def test_lost_markup_is_reported_for_the_translator() -> None:
    source = "The *big* house with ``code``."
    masked = mask(source)
    restored, problems = translate_masked(source, "Большой дом с ⟦2⟧.", masked)
    assert restored == "Большой дом с ``code``."
    assert problems == ["lost an *emphasis*", "markup differs from the English: emphasis"]


def test_a_missing_number_is_reported_and_reformatted_numbers_are_not() -> None:
    source = "We had 3 cats, 1,000 dogs and 12.5 birds."
    masked = mask(source)
    assert translate_masked(source, "У нас 1 000 собак и 12,5 птиц.", masked)[1] == [
        "number missing: 3"
    ]
    assert translate_masked(source, "3 кошки, 1 000 собак, 12,5 птиц.", masked)[1] == []
