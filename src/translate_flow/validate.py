"""The publication gate for an untrusted msgstr.

Owns the one decision the build makes before a translation reaches a reader: may this
msgstr replace this msgid in this node? A msgstr is parsed on its own (`markup.parse_inline`:
file insertion, raw output and config files disabled — never spliced into the source) and its
doctree must pass an allow-list:

- inline content only (no list, second paragraph, directive, section …), no docutils finding;
- only inline node types (text, emphasis, strong, literal, references, roles …);
- link URLs http, https, mailto or relative; no `javascript:`, `data:` or other scheme;
- roles, substitutions, named references, inline targets, footnote and citation references a
  subset of the msgid's; as many anonymous and auto-numbered references as the msgid, since
  docutils matches those by position in the whole document;
- inline literals byte-identical to one of the msgid's (no homoglyphs in ``--force``);
- no NUL, other control characters or bidi controls (all target languages are left-to-right);
- given the target language: none of what `quality` calls an error in a text — zero-width
  characters, a look-alike letter of the other script inside a word (`Нарkотики` with a Latin
  k) — so that what `check` counts as failing is exactly what the build refuses.

Callers get `Reason`s (a check name and a sentence) and turn them into
``po-path:line: error: check: …`` with `Reason.problem()`. The localizing transform also takes
the parsed nodes from `check_translation()`, so a msgstr is parsed once per process.
Knows nothing of PO files or of the document the fragment goes into.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

from docutils import nodes

from translate_flow.errors import Problem
from translate_flow.markup import parse_inline
from translate_flow.quality import script_errors

# docutils' own limit for one line; a message longer than this is not prose.
MAX_LENGTH = 10_000

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# Message kinds whose text is an attribute (image alt, document title), never parsed as rst.
PLAIN_TEXT_KINDS = frozenset({"image", "document"})

# U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates, LRM/RLM/ALM marks; NUL and the
# other C0/C1 controls except tab and newline (docutils silently strips NUL, msgfmt truncates).
_FORBIDDEN_CHARS = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f]"
)

# Inline node types a translation may produce; anything else is not published.
_ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Text,
    nodes.emphasis,
    nodes.strong,
    nodes.literal,
    nodes.reference,
    nodes.target,
    nodes.substitution_reference,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.title_reference,
    nodes.subscript,
    nodes.superscript,
    nodes.abbreviation,
    nodes.acronym,
    nodes.inline,
    nodes.math,
)

# docutils' messages when a msgstr reaches for files or raw output.
_FILE_OR_RAW = ('"raw" directive disabled', '"include" directive disabled', "raw (and derived)")
_FILE_ACCESS = "File and URL access deactivated"

# A msgstr of `*a ` × 3000 yields 3000 identical findings; a few say enough.
_MAX_PARSE_REASONS = 5

_ROLE = re.compile(r"^:(?P<name>[\w.+-]+):`|`:(?P<suffix>[\w.+-]+):$")


@dataclass(frozen=True)
class Reason:
    """Why a msgstr must not be published: a check name and a sentence for the translator."""

    check: str
    message: str

    def problem(self, path: str, line: int | None) -> Problem:
        """As a finding on a PO entry: ``path:line: error: check: message``."""
        return Problem(path, line, "error", self.message, self.check)


@dataclass(frozen=True)
class _Inventory:
    """What a parsed text refers to, as multisets, for the subset rules."""

    roles: Counter[str] = field(default_factory=Counter)
    substitutions: Counter[str] = field(default_factory=Counter)
    references: Counter[str] = field(default_factory=Counter)
    anonymous: int = 0
    targets: Counter[str] = field(default_factory=Counter)  # inline targets _`name`
    footnotes: Counter[str] = field(default_factory=Counter)  # named and numbered
    auto_footnotes: Counter[str] = field(default_factory=Counter)  # "#" and "*" by position
    citations: Counter[str] = field(default_factory=Counter)
    literals: Counter[str] = field(default_factory=Counter)
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """The outcome of the gate: the parsed inline nodes, and why they may not be used."""

    nodes: tuple[nodes.Node, ...] = ()
    reasons: tuple[Reason, ...] = ()
    # What `nodes` refer to, worked out once for the gate and kept for `missing_markup`.
    inventory: _Inventory | None = field(default=None, compare=False, repr=False)

    @property
    def publishable(self) -> bool:
        return not self.reasons


def validate(
    *, msgid: str, msgstr: str, kind: str = "paragraph", language: str | None = None
) -> list[Reason]:
    """Every reason `msgstr` must not replace `msgid` in a node of `kind` (a node tag name)."""
    return list(check_translation(msgid=msgid, msgstr=msgstr, kind=kind, language=language).reasons)


def check_translation(
    *, msgid: str, msgstr: str, kind: str = "paragraph", language: str | None = None
) -> Verdict:
    """Parse `msgstr` alone and hold it against the allow-list and its `msgid`.

    With `language` (the build's gate), the text rules of `quality` that are errors apply too.
    `check` leaves it out: it reports those itself, with the other text checks, once.

    Verdicts are cached per process: a message repeated in an article, an issue or the
    archive is parsed and judged once. The verdict's nodes are shared: deep-copy before use.
    """
    return _check(msgid, msgstr, kind, language)


@functools.lru_cache(maxsize=16384)
def _check(msgid: str, msgstr: str, kind: str, language: str | None) -> Verdict:
    reasons = _character_reasons(msgstr)
    if language is not None:
        reasons.extend(Reason(f.check, f.message) for f in script_errors(msgstr, language))
    if reasons or kind in PLAIN_TEXT_KINDS:
        return Verdict((), tuple(reasons))
    try:
        inline, problems, single = parse_inline(msgstr)
    except RecursionError:
        return Verdict((), (Reason("too-deep", "markup nested too deeply to parse"),))
    # Findings the English itself has alone (a paragraph ending "::" expects a literal block
    # that follows it in the article) are the source's business, not the translator's.
    inherited = _problems_of_msgid(msgid)
    problems = [p for p in problems if p not in inherited or _is_file_or_raw(p)]
    reasons.extend(_parse_reasons(msgstr, problems, single))
    if reasons:
        return Verdict((), tuple(reasons))
    inventory = _inventory(inline)
    reasons.extend(_node_reasons(inline))
    reasons.extend(_url_reasons(inventory.urls))
    reasons.extend(_subset_reasons(_inventory_of_msgid(msgid), inventory))
    return Verdict(tuple(inline), tuple(reasons), inventory)


def missing_markup(*, msgid: str, verdict: Verdict) -> list[Reason]:
    """Markup of `msgid` that a publishable translation dropped, and link URLs it changed.

    Not a reason to refuse the translation (the gate allows a subset), but what `check`
    reports as a markup-parity warning: a lost link or footnote reference is a lost fact.
    """
    if not verdict.publishable or not verdict.nodes:
        return []
    source = _inventory_of_msgid(msgid)
    translation = verdict.inventory or _inventory(list(verdict.nodes))
    reasons = []
    pairs = (
        ("roles", "roles", source.roles, translation.roles),
        ("references", "named references", source.references, translation.references),
        ("footnotes", "footnote references", source.footnotes, translation.footnotes),
        ("citations", "citation references", source.citations, translation.citations),
        ("substitutions", "substitutions", source.substitutions, translation.substitutions),
        ("literals", "inline literals", source.literals, translation.literals),
    )
    for check, label, expected, found in pairs:
        gone = sorted((expected - found).elements())
        if gone:
            reasons.append(Reason(check, f"{label} of the msgid missing: {', '.join(gone)}"))
    # A link with an embedded URL yields a reference and a target: compare sets of URLs.
    urls, changed = set(source.urls), set(translation.urls)
    if urls != changed:
        detail = [f"missing {', '.join(sorted(urls - changed))}"] if urls - changed else []
        if changed - urls:
            detail.append(f"not in the msgid {', '.join(sorted(changed - urls))}")
        reasons.append(Reason("urls", f"link URLs differ from the msgid: {'; '.join(detail)}"))
    return reasons


# -- the rules ------------------------------------------------------------------------------


def _character_reasons(msgstr: str) -> list[Reason]:
    reasons = []
    if len(msgstr) > MAX_LENGTH:
        reasons.append(Reason("too-long", f"{len(msgstr)} characters, over {MAX_LENGTH}"))
    bad = sorted({f"U+{ord(char):04X}" for char in _FORBIDDEN_CHARS.findall(msgstr)})
    if bad:
        reasons.append(
            Reason("control-character", f"contains control or bidi characters {', '.join(bad)}")
        )
    return reasons


def _parse_reasons(msgstr: str, problems: list[str], single: bool) -> list[Reason]:
    reasons = []
    unique = list(dict.fromkeys(problems))
    for problem in unique[:_MAX_PARSE_REASONS]:
        if _is_file_or_raw(problem):
            reasons.append(
                Reason("raw-or-include", f"uses raw output or file inclusion: {problem}")
            )
        else:
            reasons.append(Reason("parse-error", problem))
    if len(problems) > _MAX_PARSE_REASONS:
        reasons.append(Reason("parse-error", f"{len(problems)} docutils findings in all"))
    if not single and msgstr.strip():
        reasons.append(
            Reason(
                "block-markup",
                "is not inline text (a list, second paragraph, directive, section title …); "
                "a translation must be one paragraph of inline markup like its msgid",
            )
        )
    return reasons


def _is_file_or_raw(problem: str) -> bool:
    return any(marker in problem for marker in _FILE_OR_RAW) or _FILE_ACCESS in problem


def _node_reasons(inline: list[nodes.Node]) -> list[Reason]:
    found = sorted(
        {
            node.tagname
            for top in inline
            for node in top.findall()
            if not isinstance(node, _ALLOWED_NODES)
        }
    )
    if not found:
        return []
    return [Reason("block-markup", f"contains markup not allowed inline: {', '.join(found)}")]


def _url_reasons(urls: tuple[str, ...]) -> list[Reason]:
    bad = sorted({url for url in urls if not _safe_url(url)})
    return [Reason("unsafe-url", f"link URL scheme not allowed: {url!r}") for url in bad]


def _safe_url(url: str) -> bool:
    # Browsers drop tabs, newlines and leading spaces/controls from a URL before reading the
    # scheme, so "java\tscript:" is "javascript:"; judge the URL the way they will.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    scheme = urllib.parse.urlsplit(cleaned).scheme.lower()
    if scheme:
        return scheme in SAFE_SCHEMES
    return ":" not in cleaned.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]


def _subset_reasons(source: _Inventory, translation: _Inventory) -> list[Reason]:
    reasons = []
    subsets = (
        ("roles", "roles", source.roles, translation.roles),
        (
            "substitutions",
            "substitution references",
            source.substitutions,
            translation.substitutions,
        ),
        ("references", "named references", source.references, translation.references),
        ("targets", "inline targets", source.targets, translation.targets),
        ("footnotes", "footnote references", source.footnotes, translation.footnotes),
        ("citations", "citation references", source.citations, translation.citations),
    )
    for check, label, allowed, used in subsets:
        extra = sorted(set(used) - set(allowed))
        if extra:
            reasons.append(Reason(check, f"{label} not in the msgid: {', '.join(extra)}"))
    literals = sorted(set(translation.literals) - set(source.literals))
    if literals:
        shown = ", ".join(f"``{text}``" for text in literals)
        reasons.append(
            Reason(
                "literals", f"inline literals must be copied byte for byte from the msgid: {shown}"
            )
        )
    if translation.anonymous != source.anonymous:
        reasons.append(
            Reason(
                "references",
                f"{translation.anonymous} anonymous references (`text`__) where the msgid has "
                f"{source.anonymous}; docutils matches them by position",
            )
        )
    if translation.auto_footnotes != source.auto_footnotes:
        reasons.append(
            Reason(
                "footnotes",
                "auto-numbered footnote references ([#]_, [*]_) must be the same as in the msgid; "
                "docutils numbers them by position",
            )
        )
    return reasons


# -- inventory ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16384)
def _parsed_msgid(msgid: str) -> tuple[_Inventory, frozenset[str]]:
    try:
        inline, problems, _ = parse_inline(msgid)
    except RecursionError:
        return _Inventory(), frozenset()
    return _inventory(inline), frozenset(problems)


def _inventory_of_msgid(msgid: str) -> _Inventory:
    return _parsed_msgid(msgid)[0]


def _problems_of_msgid(msgid: str) -> frozenset[str]:
    return _parsed_msgid(msgid)[1]


def _inventory(inline: list[nodes.Node]) -> _Inventory:
    parts: dict[str, Counter[str]] = {
        key: Counter()
        for key in (
            "roles",
            "substitutions",
            "references",
            "targets",
            "footnotes",
            "auto",
            "citations",
            "literals",
        )
    }
    anonymous = 0
    urls: list[str] = []
    for top in inline:
        for node in top.findall():
            anonymous += _count(node, parts)
            if isinstance(node, nodes.Element):
                urls.extend(str(node[key]) for key in ("refuri", "uri") if node.get(key))
    # Inventories are cached with their verdicts and most parts are empty: those share one
    # Counter (never modified: the rules only read and subtract), so that thousands of
    # cached verdicts do not add tens of thousands of objects for the garbage collector.
    parts = {key: counter or _NOTHING for key, counter in parts.items()}
    return _Inventory(
        roles=parts["roles"],
        substitutions=parts["substitutions"],
        references=parts["references"],
        anonymous=anonymous,
        targets=parts["targets"],
        footnotes=parts["footnotes"],
        auto_footnotes=parts["auto"],
        citations=parts["citations"],
        literals=parts["literals"],
        urls=tuple(urls),
    )


_NOTHING: Counter[str] = Counter()


def _count(node: nodes.Node, parts: dict[str, Counter[str]]) -> int:
    """Add `node` to `parts`; returns 1 for an anonymous reference."""
    if isinstance(node, nodes.literal):
        parts["literals"][node.astext()] += 1
    elif isinstance(node, nodes.substitution_reference):
        parts["substitutions"][node.get("refname", "")] += 1
    elif isinstance(node, nodes.footnote_reference):
        auto = node.get("auto")
        if auto and not node.get("refname"):
            parts["auto"][str(auto)] += 1
        else:
            parts["footnotes"][node.get("refname", "")] += 1
    elif isinstance(node, nodes.citation_reference):
        parts["citations"][node.get("refname", "")] += 1
    elif isinstance(node, nodes.reference):
        if node.get("anonymous"):
            return 1
        if node.get("refname"):
            parts["references"][node["refname"]] += 1
    elif isinstance(node, nodes.target):
        if not node.get("refuri") and not node.get("refname"):
            for name in node.get("names", []):
                parts["targets"][name] += 1
    elif isinstance(node, nodes.Element):
        match = _ROLE.search(node.rawsource)
        if match:
            parts["roles"][match.group("name") or match.group("suffix")] += 1
    return 0
