"""Markup safety for machine translation.

Owns what a msgid looks like on its way through a model and back. Before translation every
inline rst construct is replaced by a placeholder token the model copies through:

* opaque constructs — literals, roles, interpreted text, named references (`name`_),
  footnote, citation and substitution references, inline targets, bare URLs and e-mail
  addresses, and words with `_` (argostranslate turns every `_` into a space) — become
  ``⟦n⟧`` and come back verbatim;
* constructs around words — emphasis, strong emphasis, and links with an embedded URL —
  become a pair ``⟦n⟧words⟦/n⟧`` so the words are translated with the rest of the sentence
  (never cut out of it: agreement and word order stay the model's), and the markers are put
  back around wherever the model placed those words, with rst's rules for where inline
  markup may start and end applied (an escaped space ``\\ `` where a word continues).

After restoring, the result is checked: it must parse into the same inline constructs as the
English (`markup.inline_markup`), every placeholder must be back exactly once, and every number
of the English must still be there. What fails is returned as findings: the entry is still
filled, and the findings go into its comment for the translator.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, fields

from translate_flow.markup import inline_markup

# Where rst lets inline markup start (after) and end (before): whitespace or punctuation.
_OPENERS = "'\"([{<\\-/:‘“’«¡¿‐‑‒–—"
_CLOSERS = "'\")\\]}>\\-/:.,;!?\\\\’”»‐‑‒–—"
_START = rf"(?<![^\s{_OPENERS}])"
_END = rf"(?=$|[\s{_CLOSERS}])"
_SAFE_BEFORE = set(" \t\n" + "'\"([{<-/:‘“’«¡¿‐‑‒–—")
_SAFE_AFTER = set(" \t\n" + "'\")]}>-/:.,;!?\\’”»‐‑‒–—")

_CONSTRUCTS = re.compile(
    "|".join(
        [
            rf"{_START}(?P<literal>``(?=\S).*?(?<=\S)``){_END}",
            rf"{_START}(?P<role>:[\w.+-]+:`(?=\S)[^`]*?(?<=\S)`|`(?=\S)[^`]*?(?<=\S)`:[\w.+-]+:){_END}",
            rf"{_START}(?P<target>_`(?=\S)[^`]*?(?<=\S)`){_END}",
            rf"{_START}(?P<reference>`(?=\S)(?P<label>[^`]*?)(?<=\S)`(?P<tail>__?)?){_END}",
            rf"{_START}(?P<note>\[(?:\d+|#[\w.-]*|\*|[\w.-]+)\]_){_END}",
            rf"{_START}(?P<substitution>\|(?=\S)[^|]*?(?<=\S)\|(?:__?)?){_END}",
            rf"{_START}\*\*(?P<strong>(?=\S).*?(?<=\S))\*\*{_END}",
            rf"{_START}\*(?P<emphasis>(?=[^\s*]).*?(?<=[^\s*]))\*{_END}",
            r"(?P<uri>\b(?:https?|ftp|mailto):[^\s<>`]*[^\s<>`.,;:!?)'\"])",
            r"(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)",
            rf"{_START}(?P<named>\w+(?:[-.+:]\w+)*__?){_END}",
            r"(?P<underscore>\b\w*_\w*\b)",
        ]
    ),
    re.DOTALL,
)
_EMBEDDED_URI = re.compile(r"^(?P<label>.*?)\s*<(?P<uri>[^<>]+)>$", re.DOTALL)
_TOKEN = re.compile(r"⟦(/?)(\d+)⟧")
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Construct:
    """One masked construct: opaque (`close` is None) or a pair of markers around words."""

    open: str
    close: str | None = None


@dataclass(frozen=True)
class Masked:
    """A msgid with its inline markup replaced by numbered placeholder tokens."""

    source: str
    text: str
    constructs: tuple[Construct, ...]  # placeholder n is constructs[n - 1]


def mask(source: str) -> Masked:
    """Replace every inline construct of `source` by a placeholder token."""
    constructs: list[Construct] = []

    def replace(match: re.Match[str]) -> str:
        construct, inner = _construct(match)
        constructs.append(construct)
        number = len(constructs)
        if construct.close is None:
            return f"⟦{number}⟧"
        return f"⟦{number}⟧{inner}⟦/{number}⟧"

    return Masked(source, _CONSTRUCTS.sub(replace, source), tuple(constructs))


def _construct(match: re.Match[str]) -> tuple[Construct, str]:
    kind = match.lastgroup
    if kind == "strong":
        return Construct("**", "**"), match["strong"]
    if kind == "emphasis":
        return Construct("*", "*"), match["emphasis"]
    if kind == "reference" and match["tail"]:
        embedded = _EMBEDDED_URI.match(match["label"])
        if embedded and embedded["label"] and not embedded["uri"].endswith("_"):
            return Construct("`", f" <{embedded['uri']}>`{match['tail']}"), embedded["label"]
    return Construct(match.group(0)), ""


def unmask(translated: str, masked: Masked) -> tuple[str, list[str]]:
    """Put the constructs back into the model's output. Returns the text and what is wrong."""
    problems: list[str] = []
    segments: list[tuple[bool | None, str]] = []  # (is markup, text); None: moved spaces
    seen: Counter[int] = Counter()
    items = _items(translated, len(masked.constructs))
    position = 0
    while position < len(items):
        kind, value = items[position]
        position += 1
        if kind == "text":
            segments.append((False, value))
            continue
        if kind == "close":
            continue  # a stray closing token: dropped; the check below reports the pair
        number = int(value)
        construct = masked.constructs[number - 1]
        seen[number] += 1
        if construct.close is None:
            segments.append((True, construct.open))
            continue
        end = next((k for k in range(position, len(items)) if items[k] == ("close", value)), None)
        if end is None:
            problems.append(f"lost the end of {_describe(construct)}")
            continue
        inner = "".join(
            text if kind == "text" else _opaque(masked, text) for kind, text in items[position:end]
        )
        position = end + 1
        stripped = inner.strip()
        if not stripped:
            problems.append(f"left {_describe(construct)} empty")
            continue
        lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
        segments += [(None, lead), (True, construct.open + stripped + construct.close)]
        segments.append((None, trail))
    for number, construct in enumerate(masked.constructs, 1):
        if seen[number] == 0:
            problems.append(f"lost {_describe(construct)}")
        elif seen[number] > 1:
            problems.append(f"repeated {_describe(construct)}")
    return _join(segments), problems


def _items(translated: str, count: int) -> list[tuple[str, str]]:
    """The output as ("text", s), ("open", n) and ("close", n); unknown tokens stay text."""
    items: list[tuple[str, str]] = []
    last = 0
    for match in _TOKEN.finditer(translated):
        if not 1 <= int(match[2]) <= count:
            continue
        items.append(("text", translated[last : match.start()]))
        items.append(("close" if match[1] else "open", match[2]))
        last = match.end()
    items.append(("text", translated[last:]))
    return items


def _opaque(masked: Masked, number: str) -> str:
    """Inside a pair, an opaque construct comes back as is; other pair markers are dropped."""
    construct = masked.constructs[int(number) - 1]
    return construct.open if construct.close is None else ""


def _join(segments: list[tuple[bool | None, str]]) -> str:
    """Concatenate, inserting rst's escaped space where markup touches a word. Spaces moved
    out of a pair are dropped where a space is already there."""
    out = ""
    for position, (is_markup, text) in enumerate(segments):
        following = next((t for m, t in segments[position + 1 :] if t), "")
        if not text or (is_markup is None and (out[-1:].isspace() or following[:1].isspace())):
            continue
        if is_markup:
            if out and out[-1] not in _SAFE_BEFORE:
                out += "\\ "
            out += text
            if following and following[0] not in _SAFE_AFTER:
                out += "\\ "
        else:
            out += text
    return out


def _describe(construct: Construct) -> str:
    if construct.close is None:
        return construct.open
    return {"*": "an *emphasis*", "**": "a **strong emphasis**"}.get(construct.open, "a link")


# -- checks ----------------------------------------------------------------------------------


def check(source: str, restored: str, masked: Masked) -> list[str]:
    """What differs between the English and the restored translation, for the translator."""
    problems = []
    missing = _missing_numbers(masked.text, restored, masked)
    if missing:
        problems.append(f"number missing: {', '.join(missing)}")
    before, after = inline_markup(source), inline_markup(restored)
    if before != after:
        changed = [
            field.name
            for field in fields(before)
            if getattr(before, field.name) != getattr(after, field.name)
        ]
        problems.append("markup differs from the English: " + ", ".join(changed))
    return problems


def _missing_numbers(masked_text: str, restored: str, masked: Masked) -> list[str]:
    """Numbers of the prose (not of URLs or literals) whose digits the translation lacks.

    Digit runs are compared, so "1,000" → "1 000" and "12.5" → "12,5" count as kept.
    """
    prose = _TOKEN.sub(" ", masked_text)
    target = restored
    for construct in masked.constructs:
        if construct.close is None:
            target = target.replace(construct.open, " ")
        else:
            target = target.replace(construct.close, " ")
    have = Counter(_DIGITS.findall(target))
    missing = []
    for number in _NUMBER.findall(prose):
        runs = Counter(_DIGITS.findall(number))
        if runs - have:
            missing.append(number)
        else:
            have -= runs
    return missing


def translate_masked(source: str, translated: str, masked: Masked) -> tuple[str, list[str]]:
    """Restore `translated` (the model's output for `masked.text`) and check it."""
    restored, problems = unmask(translated, masked)
    return restored, problems + check(source, restored, masked)
