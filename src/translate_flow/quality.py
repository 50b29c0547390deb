"""Quality checks of one translation against its English msgid.

Owns the checks that look at the text of a msgstr beside its msgid, in the conventions of
the target language: numbers (read with Babel's number symbols), script and alphabet, final
punctuation, doubled words, stray whitespace and untranslated copies. Pure functions over
strings: no files, no polib, no docutils. The rst checks (validity, markup parity) belong to
`validate`; `check` runs both and turns findings into `Problem` values.

Each check is tuned against false alarms on correct translations — `1,500` is `1 500` in
Russian, `75-80` is `75–80`, a Russian sentence may end in `».` — because a check that cries
wolf gets ignored (translate-toolkit's `numbers` check is the cautionary tale).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from translate_flow.errors import Level

# Messages shorter than this many words may stay in English: names, acronyms, titles.
UNCHANGED_MIN_WORDS = 4


@dataclass(frozen=True)
class Finding:
    """One quality problem of one msgstr; `check` turns it into a `Problem` with a place."""

    check: str
    level: Level
    message: str


@dataclass(frozen=True)
class Alphabet:
    """The letters a language is written with, lower case, in its script."""

    script: str  # "CYRILLIC" or "LATIN", as in Unicode character names
    letters: frozenset[str]


_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN = "abcdefghijklmnopqrstuvwxyz"

# CLDR exemplar characters are not in Babel's data, so the alphabets are written out here.
# Latin-script languages accept every ASCII letter: foreign names (UNODC, CARICC) keep theirs.
ALPHABETS: dict[str, Alphabet] = {
    "ru": Alphabet("CYRILLIC", frozenset(_RUSSIAN)),
    "kk": Alphabet("CYRILLIC", frozenset(_RUSSIAN + "әғқңөұүһі")),
    "ky": Alphabet("CYRILLIC", frozenset(_RUSSIAN + "ңөү")),
    # Tajik since 1998: no ц щ ы ь; ғ ӣ қ ӯ ҳ ҷ added.
    "tg": Alphabet("CYRILLIC", frozenset("абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюя")),
    # Uzbek writes oʻ and gʻ with U+02BB (a letter to Unicode) and the tutuq belgisi with U+02BC.
    "uz": Alphabet("LATIN", frozenset(_LATIN + "ʻʼ")),
    "tk": Alphabet("LATIN", frozenset(_LATIN + "çäňöşüýž")),
}

# Latin and Cyrillic letters that look alike: a word mixing scripts only through these is a
# keyboard-layout slip or a spoofed word, never a real spelling.
_CONFUSABLE_LATIN = set("aceopxyikmtbhsjABCEHIKMOPTXYSJ")
_CONFUSABLE_CYRILLIC = set("асеорхуікмтвнѕјАВСЕНІКМОРТХУЅЈ")

# Zero-width characters that split a word invisibly (`pay\u200bpal`); bidi and other control
# characters are refused by `validate`.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")

_LETTERS = re.compile(r"[^\W\d_]+")
# Possessive quantifiers (`++`): the first word must be a whole run of letters to be followed by
# white space, and the white space a whole run to be followed by a letter, so backtracking
# into either can never succeed; not trying it makes the scan a quarter faster.
_DOUBLE_WORD = re.compile(r"\b([^\W\d_]++)(\s++)(\1)\b", re.IGNORECASE)

# Doubled words that are correct: Russian particles said twice.
_VALID_DOUBLES = {"ru": {"так", "да", "нет", "ну", "ой", "ха"}}

# -- numbers ----------------------------------------------------------------------------------

# A number as written: digit groups joined by single separators (`1,500`, `1 500,5`, `2.5`).
_NUMBER = re.compile(r"\d+(?:[.,'\u00a0\u202f\u2009 ]\d+)*")
_DIGITS = re.compile(r"\d+")
_SPACES = " \u00a0\u202f\u2009"


@dataclass(frozen=True)
class Conventions:
    """How a language groups thousands and marks decimals."""

    group: frozenset[str]
    decimal: str


@cache
def conventions(language: str) -> Conventions:
    """Babel's number symbols for `language`; any space stands for a space-like group symbol."""
    locale = Locale.parse(language)
    group = get_group_symbol(locale)
    groups = set(_SPACES) if group in _SPACES else {group}
    return Conventions(frozenset(groups), get_decimal_symbol(locale))


ENGLISH = Conventions(frozenset({","}), ".")


def _read(token: str, rules: Conventions) -> Decimal | None:
    """The value of `token` if it is well formed in `rules`, else None."""
    parts = re.split(r"(\D)", token)
    digits, separators = parts[0::2], parts[1::2]
    whole, fraction = digits, ""
    if separators and separators[-1] == rules.decimal:
        whole, fraction = digits[:-1], digits[-1]
        separators = separators[:-1]
    if any(sep not in rules.group for sep in separators):
        return None
    if len(whole) > 1 and (len(whole[0]) > 3 or any(len(part) != 3 for part in whole[1:])):
        return None
    try:
        return Decimal("".join(whole) + ("." + fraction if fraction else ""))
    except InvalidOperation:
        return None


def _readings(token: str, rules: Conventions) -> list[tuple[Decimal, ...]]:
    """Every plausible reading of `token`: in `rules`, in English, or as separate numbers."""
    found: list[tuple[Decimal, ...]] = []
    for convention in (rules, ENGLISH):
        value = _read(token, convention)
        if value is not None and (value,) not in found:
            found.append((value,))
    split = tuple(Decimal(run) for run in _DIGITS.findall(token))
    if split not in found:
        found.append(split)
    return found


# A msgid is checked once per language: what depends on it alone is worked out once.
@cache
def _source_numbers(msgid: str) -> tuple[tuple[str, tuple[Decimal, ...]], ...]:
    return tuple((token, _readings(token, ENGLISH)[0]) for token in _NUMBER.findall(msgid))


@cache
def _digit_values(msgid: str) -> tuple[int, ...]:
    return tuple(sorted(map(int, _DIGITS.findall(msgid))))


def check_numbers(msgid: str, msgstr: str, language: str) -> Iterator[Finding]:
    """The msgstr states the same numbers as the msgid, in either language's notation."""
    runs = _DIGITS.findall(msgstr)
    if not runs and not _digit_values(msgid):
        return
    # The digit runs match: only separators differ (`1,500` / `1 500`, `75-80` / `75–80`).
    # (Equal sorted lists are equal multisets.)
    if tuple(sorted(map(int, runs))) == _digit_values(msgid):
        return
    source = _source_numbers(msgid)
    remaining = Counter(value for _, values in source for value in values)
    extra: list[str] = []
    for token in _NUMBER.findall(msgstr):
        for reading in _readings(token, conventions(language)):
            need = Counter(reading)
            if all(remaining[value] >= count for value, count in need.items()):
                remaining -= need
                break
        else:
            extra.append(token)
    missing = [token for token, values in source if _take(remaining, values)]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("not in the English " + ", ".join(extra))
        yield Finding("numbers", "warning", f"numbers differ from the English: {'; '.join(parts)}")


def _take(remaining: Counter[Decimal], values: tuple[Decimal, ...]) -> bool:
    """Whether some of `values` were left unmatched (and count them off)."""
    left = [value for value in values if remaining[value] > 0]
    for value in left:
        remaining[value] -= 1
    return bool(left)


# -- script -----------------------------------------------------------------------------------


@cache
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def check_script(msgstr: str, language: str) -> Iterator[Finding]:
    """Letters outside the language's alphabet, and words that mix Latin and Cyrillic."""
    chars = set(msgstr)
    invisible = chars & INVISIBLE
    if invisible:
        codes = sorted(f"U+{ord(c):04X}" for c in invisible)
        yield Finding("script", "error", f"invisible control characters {', '.join(codes)}")
    alphabet = ALPHABETS.get(language)
    if alphabet is None or _only_known_letters(msgstr, chars, alphabet):
        return
    foreign: dict[str, str] = {}  # letter → the first word it is in
    mixed: list[str] = []
    spoofed: list[str] = []
    for match in _LETTERS.finditer(unicodedata.normalize("NFC", msgstr)):
        word = match.group()
        scripts = {_script(c) for c in word}
        if "CYRILLIC" in scripts and "LATIN" in scripts:
            foreign_script = "LATIN" if alphabet.script == "CYRILLIC" else "CYRILLIC"
            other = [c for c in word if _script(c) == foreign_script]
            look_alike = (
                _CONFUSABLE_LATIN if alphabet.script == "CYRILLIC" else _CONFUSABLE_CYRILLIC
            )
            (spoofed if all(c in look_alike for c in other) else mixed).append(word)
            continue
        if len(word) > 1 and word.isupper():
            continue  # acronyms keep the letters of their origin (ЦАРИКЦ in Tajik, СНГ)
        for char in word:
            if not _in_alphabet(char, alphabet):
                foreign.setdefault(char.lower(), word)
    name = Locale.parse(language).english_name
    if spoofed:
        yield Finding(
            "script",
            "error",
            f"look-alike letters of another script inside {_quote(spoofed)}; "
            "retype the word in one keyboard layout",
        )
    if mixed:
        yield Finding(
            "script",
            "warning",
            f"{_quote(mixed)} mixes Latin and Cyrillic letters; "
            "if a suffix follows a Latin name, join it with a hyphen",
        )
    if foreign:
        words = _quote(list(foreign.values())[:3])
        letters = " ".join(sorted(foreign))
        yield Finding(
            "script", "warning", f"letters outside the {name} alphabet: {letters} (in {words})"
        )


def script_errors(msgstr: str, language: str) -> list[Finding]:
    """The error-level findings of `check_script`: zero-width characters and look-alike letters
    of the other script inside a word. The build refuses these (`validate`), so a translation
    `check` counts as failing is never published."""
    return [finding for finding in check_script(msgstr, language) if finding.level == "error"]


# A Cyrillic letter next to a Latin one: the only way a word can mix the two scripts.
_CYRILLIC_BLOCK = frozenset(map(chr, range(0x0400, 0x0500)))
_LATIN_LETTERS = frozenset(_LATIN + _LATIN.upper()) | frozenset(map(chr, range(0x00C0, 0x0250)))
_MIXED = re.compile(r"[\u0400-\u04ff][A-Za-z\u00c0-\u024f]|[A-Za-z\u00c0-\u024f][\u0400-\u04ff]")


@cache
def _known_letters(alphabet: Alphabet) -> frozenset[str]:
    letters = set(alphabet.letters) | {c.upper() for c in alphabet.letters} | set(_LATIN.upper())
    return frozenset(letters | set(_LATIN))


def _only_known_letters(msgstr: str, chars: set[str], alphabet: Alphabet) -> bool:
    """The common case, decided fast: every letter is the language's or ASCII, no mixed word.

    `chars` is `set(msgstr)`. Set operations run in C, and `_MIXED` can only match a text
    that has letters of both blocks, so most texts are decided without a regex scan.
    """
    if any(c.isalpha() for c in chars - _known_letters(alphabet)):
        return False
    if chars.isdisjoint(_CYRILLIC_BLOCK) or chars.isdisjoint(_LATIN_LETTERS):
        return True
    return not _MIXED.search(msgstr)


def _in_alphabet(char: str, alphabet: Alphabet) -> bool:
    lower = char.lower()
    if lower in alphabet.letters:
        return True
    script = _script(char)
    # Cyrillic texts keep foreign names in their Latin spelling, accents included.
    return alphabet.script == "CYRILLIC" and script == "LATIN"


def _quote(words: list[str]) -> str:
    return ", ".join(f"'{word}'" for word in dict.fromkeys(words))


# -- punctuation, words and whitespace --------------------------------------------------------

# Closing quotes, brackets and inline-markup end-strings stand after the final punctuation
# in one language and before it in another (`"yes."` / `«да».`), so they are skipped.
_CLOSERS = "\"'”’»«“„‘)]}*`_|>" + _SPACES + "\t\n"

_END_KINDS = {
    ".": "a full stop",
    "…": "an ellipsis",
    "?": "a question mark",
    "!": "an exclamation mark",
    ":": "a colon",
    ";": "a semicolon",
}

# A final full stop after a short lower-case word is an abbreviation (`2009 г.`, `y.`).
_ABBREVIATION = re.compile(r"(?:^|[\s\d(])[^\W\d_]{1,4}\.$")


def _end_kind(text: str) -> str | None:
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…"
    last = stripped[-1:] if stripped else ""
    return last if last in _END_KINDS else None


def check_end_punctuation(msgid: str, msgstr: str) -> Iterator[Finding]:
    """The msgstr ends with the same kind of punctuation as the msgid."""
    source, target = _end_kind(msgid), _end_kind(msgstr)
    if source == target:
        return
    stripped = msgstr.rstrip(_CLOSERS)
    if source is None and target == "." and _ABBREVIATION.search(stripped):
        last = stripped.split()[-1] if stripped.split() else ""
        if last[:1].islower():
            return
    want = _END_KINDS[source] if source else "no punctuation"
    got = _END_KINDS[target] if target else "no punctuation"
    yield Finding("end-punctuation", "warning", f"the English ends with {want}, this with {got}")


def check_double_words(msgid: str, msgstr: str, language: str) -> Iterator[Finding]:
    """The same word twice in a row (machine translation stutters), unless the English has it."""
    valid = _VALID_DOUBLES.get(language, set())
    source = _doubled_in(msgid)
    for match in _DOUBLE_WORD.finditer(msgstr):
        word = match.group(1).lower()
        if word not in valid and word not in source:
            yield Finding("double-word", "warning", f"'{match.group(1)}' is repeated")
            return


@cache
def _doubled_in(msgid: str) -> frozenset[str]:
    # Most msgids have none: one shared empty set, not thousands the garbage collector visits.
    return frozenset(m.group(1).lower() for m in _DOUBLE_WORD.finditer(msgid)) or _NO_WORDS


_NO_WORDS: frozenset[str] = frozenset()


def check_whitespace(msgid: str, msgstr: str) -> Iterator[Finding]:
    """Leading or trailing whitespace the msgid does not have."""
    if not msgstr.strip():
        yield Finding("whitespace", "warning", "the translation is only whitespace")
        return
    if msgstr[:1].isspace() and not msgid[:1].isspace():
        yield Finding(
            "whitespace",
            "warning",
            "leading whitespace (rst may read an indented text as a block quote)",
        )
    if msgstr[-1:].isspace() and not msgid[-1:].isspace():
        yield Finding("whitespace", "warning", "trailing whitespace")


def is_unchanged(msgid: str, msgstr: str) -> bool:
    """The msgstr is a copy of a long msgid: the reader would see English."""
    return msgstr.strip() == msgid.strip() and word_count(msgid) >= UNCHANGED_MIN_WORDS


def check_unchanged(msgid: str, msgstr: str) -> Iterator[Finding]:
    if is_unchanged(msgid, msgstr):
        yield Finding(
            "unchanged",
            "warning",
            "the translation is a copy of the English; translate it or leave it empty",
        )


def word_count(text: str) -> int:
    """Source words as `build` counts them for its min-complete: whitespace-separated tokens.

    One definition for both, so check's percentage and the build's agree.
    """
    return len(text.split())


def check_text(msgid: str, msgstr: str, language: str) -> list[Finding]:
    """Every text check of one translated message, in a fixed order."""
    findings = list(check_whitespace(msgid, msgstr))
    if not msgstr.strip():
        return findings
    findings.extend(check_unchanged(msgid, msgstr))
    findings.extend(check_script(msgstr, language))
    findings.extend(check_numbers(msgid, msgstr, language))
    findings.extend(check_end_punctuation(msgid, msgstr))
    findings.extend(check_double_words(msgid, msgstr, language))
    return findings
