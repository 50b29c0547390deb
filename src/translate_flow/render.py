"""Rendering one article in one language to HTML.

Owns the docutils run of the build: the English source is parsed, `localize.Localize` swaps
in the translations, docutils' html5 writer renders the body, and the result goes through
an allow-list sanitizer (nh3) — a second line of defence should a translation ever get past
`validate`. A time limit and an output size limit keep one article from stalling the build.
Also owns docutils' labels ("Note", "Contents") for languages docutils has no module for,
and typographic quotes per language. Knows nothing of PO files or of pages.
"""

from __future__ import annotations

import copy
import functools
import io
import pickle
import signal
import types
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import docutils.io
import docutils.languages
import docutils.transforms
import docutils.utils
import nh3
from docutils import nodes
from docutils.core import Publisher

from translate_flow.errors import Problem
from translate_flow.localize import Localize, Outcome, Request, Translation
from translate_flow.rst import SOURCE_SETTINGS

# One article may take this long to render, and produce this much HTML.
TIME_LIMIT = 20.0
SIZE_LIMIT = 4_000_000

# Typographic quotes (primary open/close, secondary open/close) where docutils has none.
QUOTES = {"kk": "«»„“", "ky": "«»„“", "tg": "«»„“", "uz": "«»„“", "tk": "“”‘’"}

# docutils' generated labels for the languages it has no module for (it has en, ru, uk …).
LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "attention": "Назар аударыңыз!",
        "caution": "Абайлаңыз!",
        "danger": "Қауіпті!",
        "error": "Қате",
        "hint": "Кеңес",
        "important": "Маңызды",
        "note": "Ескертпе",
        "tip": "Кеңес",
        "warning": "Ескерту",
        "contents": "Мазмұны",
    },
    "ky": {
        "attention": "Көңүл буруңуз!",
        "caution": "Этият болуңуз!",
        "danger": "Коркунучтуу!",
        "error": "Ката",
        "hint": "Кеңеш",
        "important": "Маанилүү",
        "note": "Эскертме",
        "tip": "Кеңеш",
        "warning": "Эскертүү",
        "contents": "Мазмуну",
    },
    "tg": {
        "attention": "Диққат!",
        "caution": "Эҳтиёт шавед!",
        "danger": "Хатарнок!",
        "error": "Хато",
        "hint": "Ишора",
        "important": "Муҳим",
        "note": "Эзоҳ",
        "tip": "Маслиҳат",
        "warning": "Огоҳӣ",
        "contents": "Мундариҷа",
    },
    "uz": {
        "attention": "Diqqat!",
        "caution": "Ehtiyot boʻling!",
        "danger": "Xavfli!",
        "error": "Xato",
        "hint": "Ishora",
        "important": "Muhim",
        "note": "Eslatma",
        "tip": "Maslahat",
        "warning": "Ogohlantirish",
        "contents": "Mundarija",
    },
    "tk": {
        "attention": "Üns beriň!",
        "caution": "Seresap boluň!",
        "danger": "Howply!",
        "error": "Ýalňyşlyk",
        "hint": "Görkezme",
        "important": "Möhüm",
        "note": "Bellik",
        "tip": "Maslahat",
        "warning": "Duýduryş",
        "contents": "Mazmuny",
    },
}

# What the sanitizer lets through: the elements and attributes docutils' html5 writer uses.
_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "nav", "ol",
    "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "var", "video",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id", "lang", "title", "role", "aria-label", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "video": {"src", "controls", "width", "height"},
}
_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class ImageRef:
    """A local image a document shows (`.. image::`, `.. figure::`), as written in `source`."""

    source: str  # the rst file, relative to the project
    uri: str
    line: int | None


@dataclass(frozen=True)
class Rendered:
    """One document of an edition, ready to be put into pages."""

    title: str  # HTML
    plain_title: str
    body: str  # HTML: subtitle, docinfo and body, sanitized
    words: int
    translated_words: int
    problems: list[Problem] = field(default_factory=list)
    images: tuple[ImageRef, ...] = ()
    plain_subtitle: str = ""  # of a front page: "Newsletter, December 2009"


class RenderTimeout(Exception):
    pass


def settings_for(language: str, *, id_prefix: str = "") -> dict[str, Any]:
    """The docutils settings of an edition; the identity test renders English with these."""
    install_language(language)
    return {
        **SOURCE_SETTINGS,
        "language_code": language,
        "smart_quotes": True,
        "smartquotes_locales": [(code, quotes) for code, quotes in QUOTES.items()],
        "id_prefix": id_prefix,
        "image_loading": "link",
        "embed_stylesheet": False,
        "stylesheet_path": "",
        "stylesheet": "",
        "initial_header_level": 2,
        "section_self_link": False,
        "_disable_config": True,
        "strip_comments": True,
        "math_output": "HTML",
    }


def install_language(language: str) -> None:
    """Give docutils our labels for a language it has no module for (idempotent)."""
    if language not in LABELS or language in docutils.languages.get_language.cache:
        return
    english = docutils.languages.get_language("en")
    module = types.ModuleType(f"translate_flow.labels.{language}")
    module.labels = {**english.labels, **LABELS[language]}  # type: ignore[attr-defined]
    module.bibliographic_fields = english.bibliographic_fields  # type: ignore[attr-defined]
    module.author_separators = english.author_separators  # type: ignore[attr-defined]
    docutils.languages.get_language.cache[language] = module


def render_document(
    *,
    text: str,
    source: str,
    language: str,
    translations: Mapping[str, Translation],
    catalog: str,
    draft: bool,
    front_page: bool,
    id_prefix: str,
    source_language: str = "en",
) -> Rendered:
    """Render one English document in `language`, translated where the catalog allows.

    The source is parsed once per process in `source_language` and each language renders a
    copy of that doctree (see `_parsed`): render the languages of a document one after another.
    """
    outcome = Outcome()
    request = Request(translations, catalog, source, draft, front_page, outcome, language)
    settings = _edition_settings(language, id_prefix)
    try:
        with _time_limit(TIME_LIMIT):
            tree = _parsed(text, source, id_prefix, source_language)
            parts, document = _run(text, source, settings, request, tree)
    except RenderTimeout:
        return _failed(source, f"rendering took over {TIME_LIMIT:.0f} s; the article is left out")
    except RecursionError:
        return _failed(source, "markup nested too deeply to render; the article is left out")
    body = parts["html_subtitle"] + parts["docinfo"] + parts["body"]
    if len(body) > SIZE_LIMIT:
        return _failed(source, f"renders to {len(body)} bytes of HTML, over {SIZE_LIMIT}")
    return Rendered(
        title=sanitize(parts["title"]),
        plain_title=nh3.clean(parts["title"], tags=set()),
        body=sanitize(body),
        words=outcome.words,
        translated_words=outcome.translated_words,
        problems=outcome.problems,
        images=_local_images(document, source),
        plain_subtitle=nh3.clean(parts["subtitle"], tags=set()),
    )


def publish_parts(
    text: str, source: str, settings: dict[str, Any], request: Request | None
) -> dict[str, str]:
    """docutils' html5 parts of `text`, localized by `request` (None: plain docutils)."""
    return _run(text, source, _settings_from(settings), request)[0]


def sanitize(html: str) -> str:
    """The allow-list pass over translated HTML: no script, no foreign URL scheme."""
    cleaned: str = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return cleaned


def _publisher() -> Publisher:
    return Publisher(
        reader="standalone",
        parser="restructuredtext",
        writer="html5",
        source_class=docutils.io.StringInput,
        destination_class=docutils.io.StringOutput,
    )


def _settings_from(overrides: dict[str, Any]) -> Any:
    publisher = _publisher()
    publisher.process_programmatic_settings(None, overrides, None)
    return publisher.settings


@functools.cache
def _language_settings(language: str) -> Any:
    # docutils builds its settings through optparse: costlier than rendering a short article,
    # and the same for every document of a language. Build them once per process (as
    # `rst._source_settings` does for extraction) and copy them per document.
    return _settings_from(settings_for(language))


def _edition_settings(language: str, id_prefix: str) -> Any:
    settings = copy.copy(_language_settings(language))
    settings.id_prefix = id_prefix
    settings.record_dependencies = docutils.utils.DependencyList()
    return settings


def _run(
    text: str, source: str, settings: Any, request: Request | None, tree: bytes | None = None
) -> tuple[dict[str, str], nodes.document]:
    """Parse (or copy the parsed `tree` of) `text`, transform, localize and write it."""
    publisher = _publisher()
    publisher.settings = settings
    publisher.set_source(text, source)
    publisher.set_destination(None, None)
    if tree is None:
        document = publisher.reader.read(publisher.source, publisher.parser, publisher.settings)
    else:
        document = _load_tree(tree, source, settings)
    publisher.document = document
    if request is not None:
        document.transformer.add_transform(Localize, request=request)
    publisher.apply_transforms()
    publisher.writer.write(document, publisher.destination)
    publisher.writer.assemble_parts()
    parts: dict[str, str] = publisher.writer.parts
    return parts, document


# -- one parse per source --------------------------------------------------------------------
#
# Parsing is a third of a render, and each source is rendered in seven languages. docutils'
# parse does not depend on the language but for two things: the generated title (and so the
# name and id) of a `contents` topic without a title of its own, and directive and role names,
# which docutils also accepts in the document's language. A doctree with either (an untitled
# contents topic, or any parse finding, as an unknown directive is) is parsed per language.
# Otherwise the tree parsed in the source language is pickled without its settings and
# reporter, and each language unpickles a copy with its own: the same tree a parse in that
# language builds, with the same ids, names and registries.


@functools.lru_cache(maxsize=8)
def _parsed(text: str, source: str, id_prefix: str, language: str) -> bytes | None:
    """The parsed doctree of `text`, pickled for `_TreeUnpickler`; None: parse per language."""
    settings = _edition_settings(language, id_prefix)
    publisher = _publisher()
    publisher.settings = settings
    publisher.set_source(text, source)
    document = publisher.reader.read(publisher.source, publisher.parser, settings)
    if _language_dependent(document):
        return None
    buffer = io.BytesIO()
    try:
        # `document` pickles without reporter and transformer (docutils drops them); the
        # transformer holds the transforms the parse scheduled (pending nodes): keep them.
        state = document.transformer.__dict__
        _TreePickler(buffer, settings, document.reporter).dump((document, state))
    except (RecursionError, TypeError, pickle.PicklingError):
        return None
    return buffer.getvalue()


def _language_dependent(document: nodes.document) -> bool:
    if document.parse_messages or any(True for _ in document.findall(nodes.system_message)):
        return True
    for topic in document.findall(nodes.topic):
        if "contents" in topic["classes"]:
            title = topic.children[0] if topic.children else None
            if not isinstance(title, nodes.title) or not title.rawsource:
                return True
    return False


def _load_tree(tree: bytes, source: str, settings: Any) -> nodes.document:
    reporter = docutils.utils.new_reporter(source, settings)
    document, state = _TreeUnpickler(tree, settings, reporter).load()
    document.reporter = reporter
    document.transformer = docutils.transforms.Transformer(document)
    document.transformer.__dict__.update(state)
    assert isinstance(document, nodes.document)
    return document


class _TreePickler(pickle.Pickler):
    """Pickles a doctree, leaving out its settings and reporter (`_TreeUnpickler` adds them)."""

    def __init__(self, buffer: io.BytesIO, settings: Any, reporter: Any) -> None:
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self._own = {id(settings): "settings", id(reporter): "reporter"}

    def persistent_id(self, obj: Any) -> str | None:
        return self._own.get(id(obj))


class _TreeUnpickler(pickle.Unpickler):
    """Loads a `_TreePickler` doctree with the settings and reporter of the language."""

    def __init__(self, data: bytes, settings: Any, reporter: Any) -> None:
        super().__init__(io.BytesIO(data))
        self._own = {"settings": settings, "reporter": reporter}

    def persistent_load(self, pid: Any) -> Any:
        return self._own[pid]


def _local_images(document: nodes.document, source: str) -> tuple[ImageRef, ...]:
    """The images of `document` that are files next to the source (not http: or data: URLs)."""
    found: dict[tuple[str, int | None], ImageRef] = {}
    for image in document.findall(nodes.image):
        uri = str(image.get("uri", ""))
        parts = urllib.parse.urlsplit(uri)
        if uri and not parts.scheme and not parts.netloc:
            found.setdefault((uri, image.line), ImageRef(source, uri, image.line))
    return tuple(found.values())


def _failed(source: str, message: str) -> Rendered:
    return Rendered("", "", "", 0, 0, [Problem(source, None, "error", message, "render")])


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a render that runs too long (a substitution bomb in a source)."""

    def expired(signum: int, frame: types.FrameType | None) -> None:
        raise RenderTimeout

    try:
        previous = signal.signal(signal.SIGALRM, expired)
    except ValueError:  # not the main thread: no alarm available, run unlimited
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
