"""Inline markup of translations.

Owns parsing one msgid or msgstr on its own as inline rst — with file insertion and raw
output disabled, because a msgstr is untrusted input — and `inline_markup()`, the inventory
of inline constructs that machine translation, the build and the checks compare.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from typing import Any

import docutils.statemachine
import docutils.utils
from docutils import nodes
from docutils.parsers.rst import Parser, roles, states

from translate_flow.rst import SOURCE_SETTINGS, settings_from, system_message_text

# An interpreted text with an explicit role, as the parser leaves it in `rawsource`.
_ROLE = re.compile(r"^:[\w.+-]+:`.*`$|^`.*`:[\w.+-]+:$", re.DOTALL)

# Settings for fragments a translator wrote (untrusted): no file access, no raw output.
FRAGMENT_SETTINGS: dict[str, Any] = {
    **SOURCE_SETTINGS,
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "_disable_config": True,
    "character_level_inline_markup": False,
}

# -- inline markup --------------------------------------------------------------------------


@dataclass(frozen=True)
class InlineMarkup:
    """The inline constructs of one rst text, each as a sorted tuple, for comparison.

    Two texts "keep the markup" when these are equal (order in the text may differ).
    """

    literals: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # "role:content"
    references: tuple[str, ...] = ()  # reference names (`name`_)
    urls: tuple[str, ...] = ()
    footnote_references: tuple[str, ...] = ()
    citation_references: tuple[str, ...] = ()
    substitutions: tuple[str, ...] = ()
    emphasis: int = 0
    strong: int = 0
    problems: tuple[str, ...] = ()  # docutils' findings, e.g. "Inline emphasis start-string …"
    is_inline: bool = True  # False: the text parsed as something other than one paragraph


@functools.lru_cache(maxsize=1)
def _fragment_settings() -> Any:
    # Building docutils settings (optparse defaults) costs more than parsing a short msgstr.
    return settings_from(FRAGMENT_SETTINGS)


class _FragmentParser(Parser):  # type: ignore[misc]
    """docutils' rst parser with its state machine built once and run again for each text.

    `Parser.parse` builds a new `RSTStateMachine` — fifteen states compiling their
    transitions — and re-compiles the inliner's patterns for every text: several times the
    cost of parsing a one-line msgstr. `StateMachine.run` resets its line offset, current
    state and observers, and docutils itself reuses nested state machines this way
    (`RSTState.nested_sm_cache`), so one machine per process serves every fragment. This is
    `Parser.parse` otherwise unchanged. A run that raises (RecursionError, the build's time
    limit) may leave the machine half-way: it is dropped and built again next time.
    """

    def __init__(self) -> None:
        super().__init__(inliner=_fragment_inliner())
        self.statemachine: states.RSTStateMachine | None = None

    def parse(self, inputstring: str, document: nodes.document) -> None:
        self.setup_parse(inputstring, document)
        document.settings.setdefault("tab_width", 8)
        document.settings.setdefault("syntax_highlight", "long")
        machine = self.statemachine or states.RSTStateMachine(
            state_classes=self.state_classes, initial_state=self.initial_state
        )
        self.statemachine = None  # not reusable until this run completes
        lines = docutils.statemachine.string2lines(
            inputstring, tab_width=document.settings.tab_width, convert_whitespace=True
        )
        for number, line in enumerate(lines, start=1):
            if len(line) > document.settings.line_length_limit:
                error = document.reporter.error(f"Line {number} exceeds the line-length-limit.")
                document.append(error)
                break
        else:
            try:
                machine.run(lines, document, inliner=self.inliner)
            finally:
                roles._roles.pop("", None)  # as Parser.parse: forget a `default-role`
        self.statemachine = machine
        self.finish_parse()


def _fragment_inliner() -> states.Inliner:
    """An inliner whose patterns are compiled once: every fragment has the same settings."""
    inliner = states.Inliner()
    inliner.init_customizations(_fragment_settings())
    inliner.init_customizations = lambda settings: None  # RSTStateMachine.run calls it again
    return inliner


_PARSER = functools.cache(_FragmentParser)


def parse_inline(text: str) -> tuple[list[nodes.Node], list[str], bool]:
    """Parse `text` on its own as inline rst, with file access and raw output disabled.

    Returns (inline nodes, docutils problems, whether it was one plain paragraph).
    """
    settings = copy.copy(_fragment_settings())
    document = docutils.utils.new_document("<translation>", settings)
    found: list[str] = []
    document.reporter.attach_observer(lambda msg: found.append(system_message_text(msg)))
    _PARSER().parse(text, document)
    children = [child for child in document.children if not isinstance(child, nodes.system_message)]
    single = len(children) == 1 and type(children[0]) is nodes.paragraph
    inline = list(children[0].children) if single else []
    for message in document.findall(nodes.system_message):
        text_of = system_message_text(message)
        if text_of not in found:
            found.append(text_of)
    return inline, found, single


@functools.lru_cache(maxsize=8192)
def inline_markup(text: str) -> InlineMarkup:
    """The inventory of inline constructs in `text` (a msgid or a msgstr)."""
    inline, problems, single = parse_inline(text)
    parts: dict[str, list[str]] = {
        key: [] for key in ("literals", "roles", "references", "urls", "footnotes", "citations")
    }
    parts["substitutions"] = []
    counts = {"emphasis": 0, "strong": 0}
    for top in inline:
        for node in top.findall(include_self=True) if isinstance(top, nodes.Element) else []:
            _inventory(node, parts, counts)
    return InlineMarkup(
        literals=tuple(sorted(parts["literals"])),
        roles=tuple(sorted(parts["roles"])),
        references=tuple(sorted(parts["references"])),
        urls=tuple(sorted(parts["urls"])),
        footnote_references=tuple(sorted(parts["footnotes"])),
        citation_references=tuple(sorted(parts["citations"])),
        substitutions=tuple(sorted(parts["substitutions"])),
        emphasis=counts["emphasis"],
        strong=counts["strong"],
        problems=tuple(problems),
        is_inline=single or not text.strip(),
    )


def _inventory(node: nodes.Node, parts: dict[str, list[str]], counts: dict[str, int]) -> None:
    if isinstance(node, nodes.literal):
        parts["literals"].append(node.astext())
    elif isinstance(node, nodes.emphasis):
        counts["emphasis"] += 1
    elif isinstance(node, nodes.strong):
        counts["strong"] += 1
    elif isinstance(node, nodes.footnote_reference):
        parts["footnotes"].append(node.get("refname") or node.rawsource)
    elif isinstance(node, nodes.citation_reference):
        parts["citations"].append(node.get("refname", ""))
    elif isinstance(node, nodes.substitution_reference):
        parts["substitutions"].append(node.get("refname", ""))
    elif isinstance(node, nodes.reference):
        if node.get("refuri"):
            parts["urls"].append(node["refuri"])
        elif node.get("refname"):
            parts["references"].append(node["refname"])
    elif isinstance(node, nodes.target) and node.get("refuri"):
        pass  # the URL is already counted on its reference
    elif isinstance(node, nodes.Element) and _ROLE.match(node.rawsource):
        parts["roles"].append(node.rawsource)
