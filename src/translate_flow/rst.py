"""Reading reStructuredText with docutils.

Owns the one definition of what a message is: which doctree nodes carry translatable text,
and `message_text()`, the single function that turns such a node into a msgid. Extraction and
the build's localizing transform both call it, so every extracted message is found again.
Knows nothing of PO files; translated fragments are parsed by `markup`.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docutils
import docutils.frontend
import docutils.io
import docutils.utils
from docutils import nodes
from docutils.core import Publisher
from docutils.parsers.rst import Parser

from translate_flow.errors import Level, Problem

# Fields of an issue's front page that are data for the tool, not prose for translators.
FRONT_MATTER_FIELDS = frozenset({"date", "articles"})

# Subtrees whose text is never translated: code, markup passed through, machine data.
_SKIPPED = (
    nodes.literal_block,
    nodes.doctest_block,
    nodes.raw,
    nodes.comment,
    nodes.math_block,
    nodes.system_message,
    nodes.problematic,
    nodes.substitution_definition,
    nodes.target,
    nodes.label,
    nodes.option_string,
)

# Node → label for the extracted comment, so a translator knows what a text is.
_CONTAINERS: tuple[tuple[type[nodes.Element], str], ...] = (
    (nodes.entry, "table cell"),
    (nodes.list_item, "list item"),
    (nodes.definition, "definition"),
    (nodes.field_body, "field body"),
    (nodes.footnote, "footnote"),
    (nodes.citation, "citation"),
    (nodes.legend, "figure legend"),
    (nodes.block_quote, "block quote"),
    (nodes.sidebar, "sidebar"),
    (nodes.topic, "topic"),
    (nodes.Admonition, "admonition"),
)

_SUBSTITUTION = re.compile(r"^\.\.\s+\|(?P<name>[^|]+)\|\s+replace::\s*(?P<text>.*)$", re.DOTALL)
_CLASSIFIER_SEPARATOR = re.compile(r" +: +")
_WHITESPACE = re.compile(r"\s+")

# Settings for sources (trusted, written by editors): problems are collected by an observer,
# never printed by docutils itself, and never stop the parse.
SOURCE_SETTINGS: dict[str, Any] = {
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    "traceback": True,
    "input_encoding": "utf-8",
    "doctitle_xform": True,
    "sectsubtitle_xform": False,
}

_LEVELS: dict[int, Level] = {1: "info", 2: "warning", 3: "error", 4: "error"}


@dataclass(frozen=True)
class Message:
    """One translatable unit of an article."""

    text: str  # the msgid: the node's rst source, inline markup kept, whitespace normalised
    line: int
    kind: str  # what the text is, for the translator: "section title", "figure caption", …


@dataclass(frozen=True)
class ParsedArticle:
    """What reading one article gives: its messages and docutils' findings."""

    messages: list[Message]
    problems: list[Problem]
    severe: bool  # docutils could not make sense of the file: keep the old template


def normalize(text: str) -> str:
    """Collapse whitespace, so re-wrapping a paragraph does not change its msgid."""
    return _WHITESPACE.sub(" ", text).strip()


def message_text(node: nodes.Node) -> str | None:
    """The msgid of `node`, or None when the node is not a message.

    This is the one place that decides; build looks nodes up by the same function.
    """
    if isinstance(node, nodes.image):
        alt = node.get("alt")
        return normalize(alt) if alt and "alt" in node.attributes else None
    if not isinstance(node, nodes.TextElement) or not _is_message_node(node):
        return None
    raw = node.rawsource
    # docutils keeps a term's classifiers as its siblings but leaves them in its rawsource.
    if isinstance(node, nodes.term) and any(
        isinstance(sibling, nodes.classifier) for sibling in node.parent.children
    ):
        raw = _CLASSIFIER_SEPARATOR.split(raw)[0]
    text = normalize(raw)
    return text if _is_prose(text) else None


def substitution_text(node: nodes.substitution_definition) -> str | None:
    """The msgid of a `.. |name| replace:: text` definition; other substitutions are not prose."""
    match = _SUBSTITUTION.match(node.rawsource)
    if match is None:
        return None
    text = normalize(match.group("text"))
    return text if _is_prose(text) else None


def iter_messages(document: nodes.document) -> Iterator[tuple[nodes.Node, Message]]:
    """Every message of a parsed (not yet transformed) document, in document order."""
    title = document.get("title")
    if title and _is_prose(normalize(title)):
        yield document, Message(normalize(title), 1, "document title metadata")
    for node in _walk(document):
        if isinstance(node, nodes.substitution_definition):
            text = substitution_text(node)
            if text:
                name = " ".join(node["names"])
                yield node, Message(text, _line(node), f"substitution text (|{name}|)")
            continue
        text = message_text(node)
        if text:
            yield node, Message(text, _line(node), _kind(node))


def read_article(path: Path, *, source_name: str) -> ParsedArticle:
    """Parse one article and collect its messages and every docutils finding.

    Messages are taken from the doctree as the parser left it, before any transform, which
    is exactly the tree the build's localizing transform sees. The transforms are applied
    afterwards only to report what they find (unknown targets, duplicate names, …).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        problem = Problem(source_name, None, "error", f"cannot read: {_reason(err)}")
        return ParsedArticle([], [problem], severe=True)
    problems: list[Problem] = []
    publisher = _publisher(text, source_path=str(path))
    try:
        document = _read(publisher, problems, source_name)
        messages = [message for _, message in iter_messages(document)]
        publisher.apply_transforms()
    except (RecursionError, docutils.ApplicationError) as err:
        # Pathological input (nesting thousands deep) must not stop the other articles.
        problem = Problem(source_name, None, "error", f"severe: docutils gave up: {err!r}")
        return ParsedArticle([], [*problems, problem], severe=True)
    severe = any("severe" in p.message for p in problems)
    return ParsedArticle(messages, sorted(problems, key=_problem_order), severe)


def read_front_matter(path: Path) -> dict[str, str]:
    """The data fields (`:date:`, `:articles:`) of an issue's front page, by lower-case name."""
    publisher = _publisher(path.read_text(encoding="utf-8"), source_path=str(path))
    document = _read(publisher, [], str(path))
    for field_list in document.findall(nodes.field_list):
        fields = {}
        for field in field_list.children:
            name = field[0].astext().strip().lower()
            if name in FRONT_MATTER_FIELDS:
                fields[name] = field[1].astext()
        return fields
    return {}


# -- helpers --------------------------------------------------------------------------------


def settings_from(overrides: dict[str, Any]) -> Any:
    settings = docutils.frontend.get_default_settings(Parser)
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


def _publisher(text: str, *, source_path: str) -> Publisher:
    publisher = _new_publisher()
    # Building docutils' settings parser costs a third of a parse: do it once per process.
    publisher.settings = copy.copy(_source_settings())
    publisher.set_source(text, source_path)
    return publisher


def _new_publisher() -> Publisher:
    return Publisher(
        reader="standalone",
        parser="restructuredtext",
        writer="null",
        source_class=docutils.io.StringInput,
        destination_class=docutils.io.NullOutput,
    )


@functools.cache
def _source_settings() -> Any:
    publisher = _new_publisher()
    publisher.process_programmatic_settings(None, SOURCE_SETTINGS, None)
    return publisher.settings


def _read(publisher: Publisher, problems: list[Problem], source_name: str) -> nodes.document:
    """Parse without transforms, collecting docutils' findings into `problems`."""
    reader = publisher.reader
    original = reader.new_document

    def new_document() -> nodes.document:
        document = original()
        document.reporter.attach_observer(lambda msg: problems.append(_problem(msg, source_name)))
        return document

    reader.new_document = new_document
    document: nodes.document = reader.read(publisher.source, publisher.parser, publisher.settings)
    publisher.document = document
    return document


def _problem(message: nodes.system_message, source_name: str) -> Problem:
    level = int(message["level"])
    text = system_message_text(message)
    if level >= 4:
        text = f"severe: {text}"
    return Problem(source_name, message.get("line"), _LEVELS.get(level, "error"), text)


def system_message_text(message: nodes.system_message) -> str:
    paragraphs = [c for c in message.children if isinstance(c, nodes.paragraph)]
    return normalize(paragraphs[0].astext() if paragraphs else message.astext())


def _problem_order(problem: Problem) -> tuple[int, str]:
    return (problem.line or 0, problem.message)


def _reason(err: Exception) -> str:
    if isinstance(err, UnicodeDecodeError):
        return f"not UTF-8 (byte {err.start})"
    return err.strerror or str(err) if isinstance(err, OSError) else str(err)


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    """Document order, skipping subtrees that hold no translatable text."""
    for child in node.children:
        if isinstance(child, nodes.substitution_definition):
            yield child
            continue
        if isinstance(child, _SKIPPED) or _is_front_matter(child):
            continue
        yield child
        if isinstance(child, nodes.Element):
            yield from _walk(child)


def _is_front_matter(node: nodes.Node) -> bool:
    if not isinstance(node, nodes.field):
        return False
    return node[0].astext().strip().lower() in FRONT_MATTER_FIELDS


_MESSAGE_NODES = (
    nodes.title,
    nodes.subtitle,
    nodes.paragraph,
    nodes.term,
    nodes.classifier,
    nodes.field_name,
    nodes.line,
    nodes.attribution,
    nodes.rubric,
    nodes.caption,
)


def _is_message_node(node: nodes.TextElement) -> bool:
    return type(node) in _MESSAGE_NODES


def _is_prose(text: str) -> bool:
    # A text with no letter (a number, a dash) reads the same in every edition.
    return any(char.isalpha() for char in text)


def _line(node: nodes.Node) -> int:
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return int(current.line)
        current = current.parent
    for descendant in node.findall():
        if descendant.line:
            return int(descendant.line)
    return 1


def _kind(node: nodes.Node) -> str:
    if isinstance(node, nodes.title):
        return _title_kind(node)
    simple = {
        nodes.subtitle: "subtitle",
        nodes.term: "definition term",
        nodes.classifier: "classifier",
        nodes.field_name: "field name",
        nodes.line: "line-block line",
        nodes.attribution: "quotation attribution",
        nodes.rubric: "rubric",
        nodes.caption: "figure caption",
        nodes.image: "image alt text",
    }
    if type(node) in simple:
        return simple[type(node)]
    for ancestor_type, label in _CONTAINERS:
        ancestor = _ancestor(node, ancestor_type)
        if ancestor is not None:
            if label == "admonition":
                label = ancestor.tagname
            return f"paragraph ({label})"
    return "paragraph"


def _title_kind(node: nodes.title) -> str:
    parent = node.parent
    if isinstance(parent, nodes.section):
        depth = sum(1 for _ in _ancestors(parent, nodes.section))
        if depth == 0:
            return "document title" if _first_body(parent.parent) is parent else "section title"
        if depth == 1 and _is_promoted_subtitle(parent):
            return "document subtitle"
        return "section title"
    labels = {
        nodes.table: "table title",
        nodes.sidebar: "sidebar title",
        nodes.topic: "topic title",
    }
    for node_type, label in labels.items():
        if isinstance(parent, node_type):
            return label
    return "admonition title" if isinstance(parent, nodes.Admonition) else "title"


def _is_promoted_subtitle(section: nodes.section) -> bool:
    """Whether docutils' DocTitle transform will turn this section's title into a subtitle."""
    outer: nodes.Element | None = section.parent
    if not isinstance(outer, nodes.section) or not isinstance(outer.parent, nodes.document):
        return False
    last: nodes.Node = outer.children[-1]
    return (
        _first_body(outer.parent) is outer
        and last is section
        and _first_body(outer, after_title=True) is section
    )


def _first_body(node: nodes.Node | None, *, after_title: bool = False) -> nodes.Node | None:
    """The first child that is not front matter (nor, with `after_title`, the title)."""
    skipped = (nodes.PreBibliographic, nodes.field_list, nodes.title)
    for child in node.children if node is not None else ():
        if isinstance(child, skipped) and (after_title or not isinstance(child, nodes.title)):
            continue
        return child
    return None


def _ancestor(node: nodes.Node, kind: type[nodes.Element]) -> nodes.Element | None:
    for ancestor in _ancestors(node, kind):
        return ancestor
    return None


def _ancestors(node: nodes.Node, kind: type[nodes.Element]) -> Iterator[nodes.Element]:
    current = node.parent
    while current is not None:
        if isinstance(current, kind):
            yield current
        current = current.parent
