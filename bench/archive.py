"""A synthetic archive for the benchmarks: deterministic English rst articles at scale.

`write_archive(root)` writes a publication project (pyproject.toml + source/) of 1,000
articles of about 300 words each, in issues of 20, using the constructs real newsletters
use: titles and sections, paragraphs with numbers, quotes, emphasis, inline literals, links
and footnotes, bullet and enumerated lists, admonitions and simple tables. The same seed
always gives the same bytes, so figures from different runs and branches compare.

`edit_archive(root, fraction=0.05)` then edits that share of the paragraphs the way editors
do (a word changed, a sentence added, a number corrected), for incremental benchmarks.

Used by bench/extract.py, bench/update.py, bench/build.py and bench/check.py:

    from archive import write_archive, edit_archive
"""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path

WORDS = [
    "regional",
    "cooperation",
    "drug",
    "control",
    "border",
    "officers",
    "training",
    "centre",
    "programme",
    "office",
    "government",
    "ministry",
    "health",
    "prevention",
    "treatment",
    "heroin",
    "trafficking",
    "seizure",
    "analysis",
    "report",
    "project",
    "partners",
    "countries",
    "meeting",
    "experts",
    "judges",
    "prosecutors",
    "police",
    "customs",
    "community",
    "youth",
    "school",
    "awareness",
    "campaign",
    "strategy",
    "capacity",
    "network",
    "information",
    "exchange",
    "legislation",
    "corruption",
    "investigation",
    "laboratory",
    "evidence",
    "support",
    "donor",
    "funding",
    "equipment",
    "vehicles",
    "checkpoint",
    "mountain",
    "river",
    "valley",
    "province",
    "capital",
    "city",
    "district",
    "villages",
    "families",
    "women",
    "children",
    "volunteers",
    "doctors",
    "nurses",
    "clinics",
    "services",
    "access",
    "research",
    "survey",
    "data",
    "trends",
    "results",
    "review",
    "progress",
    "challenges",
    "response",
    "framework",
    "agreement",
    "memorandum",
    "conference",
    "workshop",
    "seminar",
    "course",
]
VERBS = [
    "strengthened",
    "supported",
    "opened",
    "trained",
    "reviewed",
    "presented",
    "discussed",
    "signed",
    "launched",
    "improved",
    "organized",
    "visited",
    "adopted",
    "welcomed",
    "completed",
    "expanded",
    "delivered",
    "assessed",
]
PLACES = [
    "Almaty",
    "Astana",
    "Bishkek",
    "Dushanbe",
    "Tashkent",
    "Ashgabat",
    "Osh",
    "Khujand",
    "Samarkand",
    "Termez",
    "Khorog",
    "Turkmenabat",
    "Kyzylorda",
    "Karaganda",
    "Namangan",
    "Kulob",
]
PEOPLE = [
    "Ms. Aliyeva",
    "Mr. Nazarov",
    "Dr. Petrova",
    "Mr. Jenca",
    "Ms. Karimova",
    "Mr. Umarov",
    "Dr. Saidov",
    "Ms. Ospanova",
]

ARTICLES = 1000
PER_ISSUE = 20
WRAP = 78

PYPROJECT = """\
[tool.translate-flow]
source-language = "en"
languages = ["ru", "kk", "ky", "tg", "uz", "tk"]
"""


def write_archive(
    root: Path, *, articles: int = ARTICLES, per_issue: int = PER_ISSUE, seed: int = 2009
) -> list[Path]:
    """Write the project under `root`; returns the article paths, in order."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    paths = []
    for number in range(articles):
        issue = _issue_name(number // per_issue)
        folder = root / "source" / issue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"article-{number % per_issue + 1:02d}.rst"
        path.write_text(_article(rng, number), encoding="utf-8")
        paths.append(path)
    return paths


def edit_archive(root: Path, *, fraction: float = 0.05, seed: int = 1) -> int:
    """Edit about `fraction` of all paragraphs in place; returns how many were edited."""
    rng = random.Random(seed)
    edited = 0
    for path in sorted((root / "source").glob("*/*.rst")):
        blocks = path.read_text(encoding="utf-8").split("\n\n")
        for index, block in enumerate(blocks):
            if _is_paragraph(block) and rng.random() < fraction:
                blocks[index] = _edit(rng, block)
                edited += 1
        path.write_text("\n\n".join(blocks), encoding="utf-8")
    return edited


def _issue_name(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{2000 + year:04d}-{month + 1:02d}"


def _article(rng: random.Random, number: int) -> str:
    title = _title(rng)
    parts = [f"{'=' * len(title)}\n{title}\n{'=' * len(title)}"]
    footnotes: list[str] = []
    for section in range(2):
        if section:
            heading = _title(rng)
            parts.append(f"{heading}\n{'-' * len(heading)}")
        for _ in range(rng.randint(2, 3)):
            parts.append(_wrap(_paragraph(rng, footnotes)))
        parts.append(rng.choice((_bullets, _enumerated, _note, _table))(rng))
    parts.extend(footnotes)
    return "\n\n".join(parts) + "\n"


def _title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(3, 6))
    return f"{words[0].capitalize()} {' '.join(words[1:])} in {rng.choice(PLACES)}"


def _sentence(rng: random.Random) -> str:
    subject = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
    obj = " ".join(rng.sample(WORDS, rng.randint(2, 5)))
    tail = _TAILS[rng.randrange(len(_TAILS))](rng)
    return f"{subject.capitalize()} {rng.choice(VERBS)} the {obj} {tail}."


_TAILS = (
    lambda rng: f"in {rng.choice(PLACES)}",
    lambda rng: f"on {rng.randint(1, 28)} {rng.choice(('March', 'June', 'October'))}",
    lambda rng: f"for {rng.randint(2, 900)} {rng.choice(WORDS)}",
    lambda rng: f"with {rng.randint(10, 99)}-{rng.randint(100, 120)} tons of heroin",
    lambda rng: f"worth US${rng.randint(1, 95)} million",
    lambda rng: f"since {rng.randint(1991, 2009)}",
    lambda rng: "across the region",
)


def _paragraph(rng: random.Random, footnotes: list[str]) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(3, 5))]
    decoration = rng.randint(0, 6)
    if decoration == 0:
        sentences[1] = f"“{sentences[1][:-1]},” said {rng.choice(PEOPLE)}."
    elif decoration == 1:
        word = rng.choice(WORDS)
        sentences[0] = sentences[0].replace(f" {word} ", f" *{word}* ", 1)
    elif decoration == 2:
        sentences[-1] = f"See ``{rng.choice(WORDS)}-{rng.randint(1, 99)}.pdf`` for details."
    elif decoration == 3:
        link = rng.choice(WORDS)
        sentences.append(f"Read the `{link} report <https://www.unodc.org/{link}.html>`_.")
    elif decoration == 4:
        sentences[0] = sentences[0][:-1] + " [#]_."
        footnotes.append(f".. [#] {_sentence(rng)}")
    elif decoration == 5:
        sentences[2] = f"**{sentences[2][:-1]}** — {rng.choice(WORDS)}."
    return " ".join(sentences)


def _bullets(rng: random.Random) -> str:
    return "\n".join(_item("-", _sentence(rng)) for _ in range(rng.randint(2, 4)))


def _enumerated(rng: random.Random) -> str:
    return "\n".join(_item("#.", _sentence(rng)) for _ in range(rng.randint(2, 4)))


def _note(rng: random.Random) -> str:
    return ".. note::\n\n" + textwrap.indent(_wrap(_sentence(rng), WRAP - 3), "   ")


def _table(rng: random.Random) -> str:
    rows = [(rng.choice(PLACES), str(rng.randint(10, 9999))) for _ in range(3)]
    width = max(len("Province"), *(len(place) for place, _ in rows))
    rule = f"{'=' * width}  ======"
    body = "\n".join(f"{place:<{width}}  {amount}" for place, amount in rows)
    return f"{rule}\n{'Province':<{width}}  Tons\n{rule}\n{body}\n{rule}"


def _item(marker: str, text: str) -> str:
    indent = " " * (len(marker) + 1)
    return textwrap.fill(
        text, WRAP, initial_indent=f"{marker} ", subsequent_indent=indent, break_on_hyphens=False
    )


def _wrap(text: str, width: int = WRAP) -> str:
    return textwrap.fill(text, width, break_on_hyphens=False, break_long_words=False)


def _is_paragraph(block: str) -> bool:
    lines = block.strip("\n").splitlines()
    underlined = any(set(line) <= set("=-") for line in lines)
    return bool(lines) and not underlined and (lines[0][:1].isalpha() or lines[0][:1] in "“*")


_NUMBER = re.compile(r"\b\d+\b")


def _edit(rng: random.Random, block: str) -> str:
    text = " ".join(block.split())
    kind = rng.randint(0, 2)
    if kind == 0 and _NUMBER.search(text):
        match = _NUMBER.search(text)
        assert match is not None
        text = f"{text[: match.start()]}{int(match.group()) + 1}{text[match.end() :]}"
    elif kind == 1:
        words = text.split(" ")
        position = rng.randrange(1, len(words))
        if words[position].isalpha():
            words[position] = rng.choice(WORDS)
        text = " ".join(words)
    else:
        text = f"{text} {_sentence(rng)}"
    return _wrap(text)
