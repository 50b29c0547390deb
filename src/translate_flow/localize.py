"""The docutils transform that swaps in translations.

Owns `Localize`, a transform with priority 20 — before substitutions, footnotes and
references are resolved — that walks the English doctree with `rst.iter_messages` (the
function extraction uses, so every extracted message is found again) and replaces each
message node's content with its translation when `validate.check_translation` lets it through.
Each msgstr is parsed on its own, never spliced into the source.

The Sphinx trap: a re-parsed fragment lives in a document of its own, so its references,
footnote and citation references are not registered in the article's document and would
silently point nowhere. After swapping, the transform re-registers every reference from the
tree in document order, and gives new nodes the ids of the English nodes they replace, so
numbering, back-links and section references work as in English.

Before/after, for a paragraph with msgid ``See `UNODC`_ [#]_.``::

    <paragraph>                          <paragraph>
        See                                  См.
        <reference refname="unodc">          <reference refname="unodc">
            UNODC                                УНП ООН
        <footnote_reference auto="1" …>      <footnote_reference auto="1" ids=(the English ids)>

What to publish for each msgid is decided by the caller (`Translation`); what could not be
published is reported as `Problem`s naming the PO entry. Knows nothing of PO files or HTML.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from docutils import nodes
from docutils.transforms import Transform

from translate_flow.errors import Problem
from translate_flow.rst import FRONT_MATTER_FIELDS, iter_messages
from translate_flow.validate import check_translation

# How a message is shown; "translated" is published, the rest are review marks in --draft.
Mark = Literal["translated", "machine", "memory", "fuzzy", "english"]

DRAFT_CLASSES: dict[Mark, str] = {
    "machine": "tf-machine",
    "memory": "tf-memory",
    "fuzzy": "tf-fuzzy",
    "english": "tf-english",
}

_REGISTERED = (nodes.reference, nodes.footnote_reference, nodes.citation_reference)


@dataclass(frozen=True)
class Translation:
    """The msgstr of one catalog entry and what the build may do with it."""

    msgstr: str
    mark: Mark  # "translated" (reviewed) or the draft kind
    line: int  # of the entry in its PO file, for error lines


@dataclass
class Outcome:
    """What localizing one article did: words by fate, and the problems to report."""

    words: int = 0
    translated_words: int = 0
    problems: list[Problem] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # every msgid met in the doctree


@dataclass(frozen=True)
class Request:
    """Everything `Localize` needs, passed through `Transformer.add_transform` keywords."""

    translations: Mapping[str, Translation]
    catalog: str  # the PO file, relative, for error lines
    source: str  # the rst file, relative
    draft: bool
    front_page: bool
    outcome: Outcome
    language: str | None = None  # of the edition: the gate's text rules depend on its script


class Localize(Transform):  # type: ignore[misc]
    """Replace every message's content with its published translation (see module doc)."""

    default_priority = 20

    def apply(self, **kwargs: Request) -> None:
        request = kwargs["request"]
        if request.front_page:
            _remove_front_matter(self.document)
        reported: set[str] = set()
        swapped = False
        for node, message in list(iter_messages(self.document)):
            request.outcome.words += len(message.text.split())
            translation = request.translations.get(message.text)
            mark = _show(node, message.text, translation, request, reported, message.line)
            if mark == "translated":
                request.outcome.translated_words += len(message.text.split())
            swapped = swapped or mark not in ("english",)
        if swapped:
            _reregister(self.document)


def _show(
    node: nodes.Node,
    msgid: str,
    translation: Translation | None,
    request: Request,
    reported: set[str],
    source_line: int,
) -> Mark:
    """Put the translation (or the English, marked) into `node`; returns what was shown."""
    request.outcome.seen.add(msgid)
    usable = translation is not None and (translation.mark == "translated" or request.draft)
    if translation is None or not usable:
        _mark_english(node, request.draft)
        return "english"
    verdict = check_translation(
        msgid=msgid, msgstr=translation.msgstr, kind=_kind(node), language=request.language
    )
    if not verdict.publishable:
        if msgid not in reported:
            reported.add(msgid)
            for reason in verdict.reasons:
                request.outcome.problems.append(
                    Problem(
                        request.catalog,
                        translation.line,
                        "error",
                        f"{reason.message}; {request.source}:{source_line} is published in English",
                        reason.check,
                    )
                )
        _mark_english(node, request.draft)
        return "english"
    _swap(node, translation.msgstr, [child.deepcopy() for child in verdict.nodes])
    if request.draft and translation.mark in DRAFT_CLASSES:
        _add_class(node, DRAFT_CLASSES[translation.mark])
    return translation.mark


def _kind(node: nodes.Node) -> str:
    return node.tagname if isinstance(node, nodes.Element) else "text"


def _mark_english(node: nodes.Node, draft: bool) -> None:
    """English text in a translated page carries lang="en" (screen readers, hyphenation)."""
    if isinstance(node, nodes.document | nodes.image | nodes.substitution_definition):
        return  # attributes and substitution text: marked where they are used, if at all
    assert isinstance(node, nodes.Element)
    if draft:
        _add_class(node, DRAFT_CLASSES["english"])
    span = nodes.inline(classes=["language-en"])
    span.extend(node.children)
    node.children = []
    node += span


def _add_class(node: nodes.Node, name: str) -> None:
    if isinstance(node, nodes.Element) and not isinstance(node, nodes.document):
        node["classes"].append(name)


def _swap(node: nodes.Node, msgstr: str, fragment: list[nodes.Node]) -> None:
    if isinstance(node, nodes.document):
        node["title"] = msgstr
        return
    if isinstance(node, nodes.image):
        node["alt"] = msgstr
        return
    assert isinstance(node, nodes.Element)
    old = list(node.children)
    new = _adopt(fragment, old, node.document)
    node.children = []
    node.extend(new)


def _adopt(
    fragment: list[nodes.Node], old: list[nodes.Node], document: nodes.document | None
) -> list[nodes.Node]:
    """Fit the fragment into the article: English targets kept, ids of English nodes reused."""
    assert document is not None
    old_nodes = [n for top in old for n in top.findall(nodes.Element)]
    # Embedded targets (`text <url>`_) are registered under English names other paragraphs
    # may refer to; keep the English target nodes (they render nothing) and drop the new ones.
    kept = [n for n in old_nodes if isinstance(n, nodes.target) and _is_embedded(n)]
    for top in list(fragment):
        for target in list(_findall(top, nodes.target)):
            if _is_embedded(target):
                _remove(target, fragment)
    pairs = _pairs(old_nodes)
    for top in fragment:
        for element in list(_findall(top, nodes.Element)):
            if element.get("ids"):
                _take_ids(element, pairs, document)
    return fragment + kept


def _findall(top: nodes.Node, kind: type[nodes.Element]) -> Iterator[nodes.Element]:
    if isinstance(top, nodes.Element):
        yield from top.findall(kind)


def _is_embedded(target: nodes.Element) -> bool:
    return bool(target.get("refuri") or target.get("refname"))


def _remove(node: nodes.Element, fragment: list[nodes.Node]) -> None:
    if node.parent is not None:
        node.parent.remove(node)
    elif node in fragment:
        fragment.remove(node)


def _key(node: nodes.Element) -> tuple[str, str]:
    names = ",".join(node.get("names") or [])
    return (node.tagname, f"{node.get('refname', '')}|{node.get('auto', '')}|{names}")


def _pairs(old_nodes: list[nodes.Element]) -> dict[tuple[str, str], list[nodes.Element]]:
    pairs: dict[tuple[str, str], list[nodes.Element]] = {}
    for node in old_nodes:
        if node.get("ids") and not (isinstance(node, nodes.target) and _is_embedded(node)):
            pairs.setdefault(_key(node), []).append(node)
    return pairs


def _take_ids(
    element: nodes.Element,
    pairs: dict[tuple[str, str], list[nodes.Element]],
    document: nodes.document,
) -> None:
    """Give `element` the ids of the English node it replaces, or fresh ones."""
    candidates = pairs.get(_key(element))
    if candidates:
        english = candidates.pop(0)
        element["ids"] = list(english["ids"])
        element["names"] = list(english.get("names", []))
        for node_id in element["ids"]:
            document.ids[node_id] = element
        return
    element["ids"] = []
    if isinstance(element, nodes.target):
        element["names"] = []  # a repeated inline target: its name is the English one's
        return
    document.set_id(element)


def _reregister(document: nodes.document) -> None:
    """Rebuild docutils' reference registries from the tree, in document order."""
    live = {id(n) for n in document.findall(_REGISTERED)}
    refnames: dict[str, list[nodes.Element]] = {}
    for name, refs in document.refnames.items():
        others = [r for r in refs if not isinstance(r, _REGISTERED)]
        if others:
            refnames[name] = others
    footnote_refs: dict[str, list[nodes.footnote_reference]] = {}
    citation_refs: dict[str, list[nodes.citation_reference]] = {}
    autofootnote_refs: list[nodes.footnote_reference] = []
    symbol_footnote_refs: list[nodes.footnote_reference] = []
    for node in document.findall(_REGISTERED):
        assert id(node) in live
        refname = node.get("refname")
        if isinstance(node, nodes.footnote_reference):
            if node.get("auto") == 1:
                autofootnote_refs.append(node)
            elif node.get("auto") == "*":
                symbol_footnote_refs.append(node)
            if refname:
                footnote_refs.setdefault(refname, []).append(node)
        elif isinstance(node, nodes.citation_reference) and refname:
            citation_refs.setdefault(refname, []).append(node)
        if refname:
            refnames.setdefault(refname, []).append(node)
    document.refnames = refnames
    document.footnote_refs = footnote_refs
    document.citation_refs = citation_refs
    document.autofootnote_refs = autofootnote_refs
    document.symbol_footnote_refs = symbol_footnote_refs


def _remove_front_matter(document: nodes.document) -> None:
    """The front page's `:date:` and `:articles:` are data for the tool, shown by the page."""
    for field_list in list(document.findall(nodes.field_list)):
        for item in list(field_list.children):
            if item[0].astext().strip().lower() in FRONT_MATTER_FIELDS:
                field_list.remove(item)
        if not field_list.children and field_list.parent is not None:
            field_list.parent.remove(field_list)
