"""The text checks of `quality`: each with a failing example and the correct translations
that must not raise a false alarm."""

from __future__ import annotations

import pytest

from translate_flow.quality import (
    check_double_words,
    check_end_punctuation,
    check_numbers,
    check_script,
    check_text,
    check_unchanged,
    check_whitespace,
    word_count,
)


def _messages(findings: object) -> list[str]:
    return [f"{f.level}: {f.check}: {f.message}" for f in findings]  # type: ignore[attr-defined]


# -- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "msgstr", "language"),
    [
        ("About 1,500 experts came.", "Пришли около 1 500 экспертов.", "ru"),
        ("About 1,500 experts came.", "Пришли около 1\u00a0500 экспертов.", "ru"),
        ("About 1,500 experts came.", "Около 1500 сарапшы келді.", "kk"),
        ("It cost US$1.5 million.", "Это стоило 1,5 млн долларов США.", "ru"),
        ("Seized 75-80 tons.", "Изъято 75–80 тонн.", "ru"),
        ("Held on 2-3 November 2009.", "Прошла 2–3 ноября 2009 года.", "ru"),
        ("In 2009 150 people came.", "В 2009 году 150 человек пришли.", "ru"),
        ("Growth of 12.5% since 2008.", "2008 yildan beri 12,5 % oʻsish.", "uz"),
        ("It cost 2,345,678 dollars.", "Bu 2 345 678 dollar turdy.", "tk"),
        ("No numbers here.", "Здесь нет чисел.", "ru"),
    ],
)
def test_numbers_in_the_languages_own_notation_pass(msgid: str, msgstr: str, language: str) -> None:
    assert list(check_numbers(msgid, msgstr, language)) == []


@pytest.mark.parametrize(
    ("msgid", "msgstr", "expected"),
    [
        (
            "About 1,500 experts.",
            "Около 1 600 экспертов.",
            "missing 1,500; not in the English 1 600",
        ),
        ("It cost US$1.5 million.", "Это стоило 15 млн долларов.", "missing 1.5"),
        ("On 17 December 2009.", "Декабрь 2009 года.", "missing 17"),
        ("In December.", "В декабре 2010 года.", "not in the English 2010"),
    ],
)
def test_changed_numbers_are_reported(msgid: str, msgstr: str, expected: str) -> None:
    (finding,) = check_numbers(msgid, msgstr, "ru")
    assert finding.level == "warning"
    assert expected in finding.message


# -- script -------------------------------------------------------------------------------------


def test_latin_look_alike_inside_a_cyrillic_word_is_an_error() -> None:
    (finding,) = check_script("Нарkотики убивают.", "ru")  # Latin k
    assert (finding.check, finding.level) == ("script", "error")
    assert "'Нарkотики'" in finding.message


def test_cyrillic_look_alike_inside_an_uzbek_latin_word_is_an_error() -> None:
    (finding,) = check_script("Toshkеnt shahrida", "uz")  # Cyrillic е
    assert finding.level == "error"


def test_latin_names_in_cyrillic_text_pass() -> None:
    assert list(check_script("Офис UNODC и CARICC в Алматы, Café Jenča.", "ru")) == []


def test_correct_alphabets_pass() -> None:
    assert list(check_script("Қазақстандағы әйелдер мен балалар", "kk")) == []
    assert list(check_script("Кыргызстандын өкмөтү үчүн", "ky")) == []
    assert list(check_script("Ҷумҳурии Тоҷикистон ва ҳамкорӣ", "tg")) == []
    assert list(check_script("Oʻzbekiston va gʻalaba, Toshkent", "uz")) == []
    assert list(check_script("Türkmenistanyň hökümeti we ýaşlar", "tk")) == []


def test_acronyms_keep_the_letters_of_their_origin() -> None:
    assert list(check_script("Маркази ЦАРИКЦ дар Алмаато", "tg")) == []
    (finding,) = check_script("Федерациця", "tg")
    assert finding.message == "letters outside the Tajik alphabet: ц (in 'Федерациця')"


def test_letters_of_another_alphabet_are_a_warning() -> None:
    (kazakh_in_russian,) = check_script("Қазақстан", "ru")
    assert kazakh_in_russian.level == "warning"
    assert "Russian alphabet: ғ қ ә" not in kazakh_in_russian.message
    assert "қ" in kazakh_in_russian.message and "ә" not in kazakh_in_russian.message
    (turkish_in_turkmen,) = check_script("Türkmenistan ğ ı", "tk")
    assert "ğ ı" in turkish_in_turkmen.message
    (cyrillic_in_uzbek,) = check_script("Toshkent Россия", "uz")
    assert "Uzbek alphabet" in cyrillic_in_uzbek.message


def test_suffix_glued_to_a_latin_name_is_a_warning() -> None:
    (finding,) = check_script("UNODCнинг кеңсеси", "ky")
    assert finding.level == "warning" and "hyphen" in finding.message
    assert list(check_script("UNODC-нинг кеңсеси", "ky")) == []


def test_zero_width_space_is_an_error() -> None:
    (finding,) = check_script("pay\u200bpal", "ru")
    assert finding.level == "error" and "U+200B" in finding.message


# -- punctuation, words, whitespace -------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ('He said "yes."', "Он сказал «да»."),
        ("He said yes.", "Он сказал «да»."),
        ("Is it so?", "Так ли это?"),
        ("Newsletter, December 2009", "Бюллетень, декабрь 2009 г."),
        ("Wait...", "Подождите…"),
        ("See *this*.", "См. *это*."),
        ("Read the `report <https://x.org/>`_.", "Читайте `доклад <https://x.org/>`_."),
        ("Programme", "Программа"),
    ],
)
def test_same_kind_of_end_punctuation_passes(msgid: str, msgstr: str) -> None:
    assert list(check_end_punctuation(msgid, msgstr)) == []


@pytest.mark.parametrize(
    ("msgid", "msgstr", "expected"),
    [
        ("He said yes.", "Он сказал да", "a full stop, this with no punctuation"),
        ("Is it so?", "Это так.", "a question mark, this with a full stop"),
        ("Programme", "Программа.", "no punctuation, this with a full stop"),
    ],
)
def test_different_end_punctuation_is_a_warning(msgid: str, msgstr: str, expected: str) -> None:
    (finding,) = check_end_punctuation(msgid, msgstr)
    assert finding.level == "warning" and expected in finding.message


def test_doubled_word_is_a_warning() -> None:
    (finding,) = check_double_words("It is good.", "Это это хорошо.", "ru")
    assert "'Это'" in finding.message


def test_doubled_words_the_english_has_or_the_language_allows_pass() -> None:
    assert list(check_double_words("Bye bye, he said.", "Bye bye, dedi.", "uz")) == []
    assert list(check_double_words("Well, well.", "Так так.", "ru")) == []
    assert list(check_double_words("Two 2 2 things.", "Две 2 2 вещи.", "ru")) == []


def test_stray_whitespace_is_a_warning() -> None:
    assert _messages(check_whitespace("Text.", " Текст.")) == [
        "warning: whitespace: leading whitespace (rst may read an indented text as a block quote)"
    ]
    assert _messages(check_whitespace("Text.", "Текст. ")) == [
        "warning: whitespace: trailing whitespace"
    ]
    assert _messages(check_whitespace("Text.", "   ")) == [
        "warning: whitespace: the translation is only whitespace"
    ]
    assert list(check_whitespace("Text.", "Текст.")) == []


def test_copy_of_a_long_msgid_is_unchanged_but_names_may_stay() -> None:
    sentence = "The meeting was held in Tashkent."
    (finding,) = check_unchanged(sentence, sentence)
    assert finding.check == "unchanged"
    assert list(check_unchanged("UNODC", "UNODC")) == []
    assert list(check_unchanged("Paris Pact Initiative", "Paris Pact Initiative")) == []


def test_word_count_counts_whitespace_separated_tokens_as_build_does() -> None:
    assert word_count("The **UN** met on 2-3 November, 2009.") == 7
    assert word_count("Oʻzbekiston's co-operation — ``x``") == 4


def test_check_text_on_a_correct_translation_finds_nothing() -> None:
    msgid = "On 2-3 November 2009, 1,500 officers from Kazakhstan met in Almaty."
    msgstr = "2–3 ноября 2009 года 1 500 сотрудников из Казахстана встретились в Алматы."
    assert check_text(msgid, msgstr, "ru") == []
