"""Editions: an issue in one language, as pages in `output/<lang>/<issue>/`.

Owns what `build` writes: for each issue and language, one page holding the front page and
every article in order with a table of contents (`index.html`), a page per article, the
language switcher, the issue date and numbers formatted with Babel, the review legend of a
`--draft` edition, `output/index.html` listing every edition with its completeness, and the
stylesheet. Which translations go in is decided here from the catalogs (reviewed only, or
drafts too); rendering one document is `render`'s job; the loops are `pipeline.build`'s.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import html
import json
import os
import urllib.parse
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from translate_flow import __version__
from translate_flow.archive import FRONT_PAGE, Article, Issue
from translate_flow.catalogs import entry_origin, msgid_line, parse_catalog, read_bytes
from translate_flow.config import Config
from translate_flow.errors import CatalogError, Problem
from translate_flow.files import copy_if_changed, write_if_changed
from translate_flow.localize import Mark, Translation
from translate_flow.render import ImageRef, Rendered, render_document

DRAFT_DIR = "draft"

# Our page chrome, per language (docutils' own labels are in `render.LABELS`).
UI: dict[str, dict[str, str]] = {
    "en": {
        "contents": "In this issue",
        "languages": "Read in",
        "articles": "articles",
        "articles:one": "article",
        "whole": "Whole issue",
        "previous": "Previous",
        "next": "Next",
        "english": "Parts of this page are not translated yet and are shown in English.",
        "footer": "Translated from the English original.",
        "draft": "Review edition — not for publication",
        "machine": "machine draft, not reviewed",
        "memory": "translation memory suggestion, not reviewed",
        "fuzzy": "translation of an earlier English text (fuzzy)",
        "fallback": "not translated yet: English shown",
    },
    "ru": {
        "contents": "В этом выпуске",
        "languages": "Читать на языке",
        "articles": "статей",  # Babel's plural category "many" (5, 11, 17 статей) and "other"
        "articles:one": "статья",  # 1, 21 статья
        "articles:few": "статьи",  # 2–4, 22 статьи
        "whole": "Весь выпуск",
        "previous": "Назад",
        "next": "Далее",
        "english": "Часть этой страницы ещё не переведена и показана на английском.",
        "footer": "Перевод с английского оригинала.",
        "draft": "Редакционная версия — не для публикации",
        "machine": "машинный черновик, не проверен",
        "memory": "предложение из памяти переводов, не проверено",
        "fuzzy": "перевод прежнего английского текста (неточный)",
        "fallback": "ещё не переведено: показан английский",
    },
    "kk": {
        "contents": "Осы шығарылымда",
        "languages": "Оқу тілі",
        "articles": "мақала",
        "whole": "Толық шығарылым",
        "previous": "Алдыңғы",
        "next": "Келесі",
        "english": "Беттің кейбір бөліктері әлі аударылмаған, ағылшын тілінде көрсетілген.",
        "footer": "Ағылшын тіліндегі түпнұсқадан аударылған.",
    },
    "ky": {
        "contents": "Бул чыгарылышта",
        "languages": "Окуу тили",
        "articles": "макала",
        "whole": "Толук чыгарылыш",
        "previous": "Мурунку",
        "next": "Кийинки",
        "english": "Барактын айрым бөлүктөрү азырынча которула элек, англис тилинде берилди.",
        "footer": "Англис тилиндеги түп нускадан которулган.",
    },
    "tg": {
        "contents": "Дар ин шумора",
        "languages": "Хондан бо забони",
        "articles": "мақола",
        "whole": "Тамоми шумора",
        "previous": "Қаблӣ",
        "next": "Баъдӣ",
        "english": "Қисме аз ин саҳифа ҳанӯз тарҷума нашудааст ва бо забони англисӣ омадааст.",
        "footer": "Аз асли англисӣ тарҷума шудааст.",
    },
    "uz": {
        "contents": "Ushbu sonda",
        "languages": "Oʻqish tili",
        "articles": "maqola",
        "whole": "Butun son",
        "previous": "Oldingi",
        "next": "Keyingi",
        "english": "Sahifaning ayrim qismlari hali tarjima qilinmagan va ingliz tilida berilgan.",
        "footer": "Inglizcha asl nusxadan tarjima qilingan.",
    },
    "tk": {
        "contents": "Bu sanda",
        "languages": "Okamak dili",
        "articles": "makala",
        "whole": "Sanyň hemmesi",
        "previous": "Öňki",
        "next": "Indiki",
        "english": "Sahypanyň käbir bölekleri entek terjime edilmedi we iňlis dilinde berildi.",
        "footer": "Iňlis dilindäki asyl nusgadan terjime edildi.",
    },
}


def ui(language: str, key: str) -> str:
    return UI.get(language, {}).get(key) or UI["en"][key]


@dataclass(frozen=True)
class Edition:
    """One issue in one language: where it comes from and where it goes."""

    issue: Issue
    language: str
    draft: bool

    @property
    def key(self) -> str:
        return f"{self.language}/{self.issue.name}"


@dataclass
class EditionState:
    """What the last build of an edition produced, cached between builds."""

    digest: str
    words: int
    translated_words: int
    published: bool
    problems: list[Problem] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # the switcher of its pages
    images: list[ImageRef] = field(default_factory=list)  # local images its documents show
    title: str = ""  # of its front page, with the subtitle: how the listing names the issue

    @property
    def percent(self) -> float:
        return 100.0 * self.translated_words / self.words if self.words else 100.0


# -- translations ---------------------------------------------------------------------------


_DRAFT_MARKS: dict[str, Mark] = {"machine": "machine", "memory": "memory", "fuzzy": "fuzzy"}


def translations_for(
    path: Path, *, draft: bool, where: str
) -> tuple[dict[str, Translation], list[Problem]]:
    """The msgstrs a build may use from one catalog: reviewed ones, and drafts in --draft."""
    if not path.is_file():
        return {}, []
    try:
        data = read_bytes(path)
        po = parse_catalog(data, path=path)
    except CatalogError as err:
        problem = Problem(where, err.line, "error", f"{err.message}; the article stays English")
        return {}, [problem]
    found: dict[str, Translation] = {}
    lines: list[str] | None = None  # read only if some entry is used
    for entry in po:
        if entry.obsolete or entry.msgid_plural:
            continue
        origin = entry_origin(entry)
        mark: Mark | None = "translated" if origin == "reviewed" else _DRAFT_MARKS.get(origin)
        if mark is None or (mark != "translated" and not draft):
            continue
        if lines is None:
            lines = data.decode("utf-8").splitlines()
        # A refusal points at the msgid line, as `check` does, not at the entry's comments.
        found[entry.msgid] = Translation(entry.msgstr, mark, msgid_line(entry, lines))
    return found, []


def render_edition_document(
    config: Config, article: Article, language: str, draft: bool
) -> Rendered:
    """One document of an edition (English when `language` is the source language)."""
    source = config.relative(article.path)
    text = article.path.read_text(encoding="utf-8")
    translations: dict[str, Translation] = {}
    problems: list[Problem] = []
    catalog = ""
    if language != config.source_language:
        po_path = config.po_path(language, article.issue, article.name)
        catalog = config.relative(po_path)
        translations, problems = translations_for(po_path, draft=draft, where=catalog)
    rendered = render_document(
        text=text,
        source=source,
        language=language,
        translations=translations,
        catalog=catalog,
        draft=draft,
        front_page=article.name == FRONT_PAGE,
        id_prefix=f"{article.name}-",
        source_language=config.source_language,
    )
    rendered.problems[:0] = problems
    return rendered


# -- digests and the cache ------------------------------------------------------------------


class FileDigests:
    """sha1 of files, kept between builds with their size and mtime: a build that finds every
    file as it left it hashes nothing (as `update`'s cache does)."""

    def __init__(self, known: dict[str, list[object]] | None = None) -> None:
        self.known = known or {}  # path → [mtime_ns, size, sha1]
        self.seen: dict[str, list[object]] = {}

    def digest(self, path: Path) -> str:
        key = str(path)
        try:
            stat = path.stat()
        except OSError:
            return "missing"
        known = self.known.get(key)
        if known is None or known[:2] != [stat.st_mtime_ns, stat.st_size]:
            known = [stat.st_mtime_ns, stat.st_size, hashlib.sha1(_file_bytes(path)).hexdigest()]
        self.seen[key] = known
        return str(known[2])


def document_digest(
    config: Config, article: Article, language: str, draft: bool, files: FileDigests
) -> str:
    """What a rendered document depends on: its source, its catalog, the tool, the mode."""
    parts = [__version__, language, str(draft), _data_digest(), files.digest(article.path)]
    if language != config.source_language:
        parts.append(files.digest(config.po_path(language, article.issue, article.name)))
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def edition_digest(
    config: Config, edition: Edition, languages: list[str], files: FileDigests
) -> str:
    parts = [
        document_digest(config, document, edition.language, edition.draft, files)
        for document in edition.issue.documents
    ]
    parts.append(",".join(languages))
    parts.append(str(config.min_complete_for(edition.language)))
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def index_digest(
    config: Config, issues: list[Issue], languages: list[str], states: dict[str, EditionState]
) -> str:
    """What `index_page` depends on, so an unchanged listing is not formatted again."""
    parts = [__version__, _data_digest(), ",".join(languages)]
    parts.extend(f"{lang}:{config.min_complete_for(lang)}" for lang in languages)
    for issue in issues:
        parts.append(f"{issue.name}:{issue.date}")
        for lang in languages:
            state = states.get(f"{lang}/{issue.name}")
            if state is not None:
                parts.append(f"{lang}:{state.percent!r}:{state.published}:{state.title}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


@functools.cache
def _data_digest() -> str:
    digest = hashlib.sha1()
    for name in ("page.html", "index.html", "style.css"):
        digest.update(_data(name).encode())
    return digest.hexdigest()


@functools.cache
def _data(name: str) -> str:
    return (resources.files("translate_flow") / "data" / name).read_text(encoding="utf-8")


@dataclass
class BuildCache:
    """`.translate-flow/build.json`: what the last build produced and what it read."""

    states: dict[str, EditionState] = field(default_factory=dict)
    files: FileDigests = field(default_factory=FileDigests)
    index: str = ""  # `index_digest` of the `output/index.html` last written


def load_cache(path: Path) -> BuildCache:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BuildCache()
    if not isinstance(data, dict) or data.get("version") != __version__:
        return BuildCache()
    states = {}
    for key, value in data.get("editions", {}).items():
        problems = [Problem(**p) for p in value.pop("problems", [])]
        images = [ImageRef(**i) for i in value.pop("images", [])]
        states[key] = EditionState(**value, problems=problems, images=images)
    return BuildCache(states, FileDigests(data.get("files", {})), str(data.get("index", "")))


def save_cache(path: Path, cache: BuildCache) -> None:
    """Write the cache (only the files this build read), unless it is unchanged."""
    data = {
        "version": __version__,
        "editions": {k: asdict(v) for k, v in cache.states.items()},
        "files": cache.files.seen,
        "index": cache.index,
    }
    write_if_changed(path, json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n")


# -- images ---------------------------------------------------------------------------------


def copy_images(
    config: Config, edition: Edition, images: list[ImageRef], root: Path
) -> tuple[list[Path], list[Problem]]:
    """Copy the images `edition` shows into it, at the same place relative to its pages.

    `source/<issue>/images/x.jpg` goes to `<root>/<lang>/<issue>/images/x.jpg`, so the
    document's own relative URI works unchanged. Only regular files inside the source folder
    are copied — a path or a symlink leading out of it is reported, never followed — and a
    missing file is a warning rather than a silently broken image.
    """
    written: list[Path] = []
    problems: list[Problem] = []
    for image in images:
        found = _image_file(config, image)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        target = root / edition.language / found.relative_to(_source_root(config))
        if copy_if_changed(found, target):
            written.append(target)
    return written, problems


def _image_file(config: Config, image: ImageRef) -> Path | Problem:
    """The source file of `image`, or the warning saying why there is none to copy."""
    source_dir = _source_root(config)
    wanted = urllib.parse.unquote(urllib.parse.urlsplit(image.uri).path)
    article_dir = (config.root / image.source).absolute().parent
    path = Path(os.path.normpath(article_dir / wanted))
    where = config.relative(config.source_dir)
    if not wanted.startswith("/") and path.is_relative_to(source_dir):
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return _image_warning(image, f"image {image.uri} not found")
        if real.is_relative_to(source_dir.resolve()) and real.is_file():
            return path
        if real.is_relative_to(source_dir.resolve()):
            return _image_warning(image, f"image {image.uri} is not a file")
    return _image_warning(image, f"image {image.uri} is outside {where}/; it is not published")


def _source_root(config: Config) -> Path:
    return Path(os.path.normpath(config.source_dir.absolute()))


def _image_warning(image: ImageRef, message: str) -> Problem:
    return Problem(image.source, image.line, "warning", message)


# -- pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    path: Path
    text: str


def edition_pages(
    config: Config,
    edition: Edition,
    documents: dict[str, Rendered],
    languages: list[str],
    root: Path,
) -> list[Page]:
    """The issue page and one page per article of `edition`."""
    issue, lang = edition.issue, edition.language
    folder = root / lang / issue.name
    front = documents.get(FRONT_PAGE)
    articles = [a for a in issue.articles if a.name in documents and documents[a.name].title]
    publication = front.plain_title if front and front.plain_title else issue.name
    pages = []
    toc = "".join(f'<li><a href="#{a.name}">{documents[a.name].title}</a></li>\n' for a in articles)
    parts = []
    if front is not None:
        parts.append(f'<section class="front">\n<h1>{front.title}</h1>\n{front.body}</section>')
    parts.append(
        f'<nav class="contents-issue" aria-label="{_e(ui(lang, "contents"))}">'
        f"<h2>{_e(ui(lang, 'contents'))}</h2>\n<ol>\n{toc}</ol>\n</nav>"
    )
    for article in articles:
        doc = documents[article.name]
        parts.append(
            f'<article id="{article.name}">\n<h1><a href="{article.name}.html">{doc.title}'
            f"</a></h1>\n{doc.body}</article>"
        )
    all_documents = list(documents.values())
    pages.append(
        Page(
            folder / "index.html",
            _page(
                config,
                edition,
                "\n".join(parts),
                publication,
                "index",
                languages,
                all_documents,
                publication,
            ),
        )
    )
    for number, article in enumerate(articles):
        doc = documents[article.name]
        nav = _article_nav(lang, articles, documents, number)
        content = f"<article>\n<h1>{doc.title}</h1>\n{doc.body}</article>\n{nav}"
        title = f"{doc.plain_title} — {publication}"
        pages.append(
            Page(
                folder / f"{article.name}.html",
                _page(config, edition, content, title, article.name, languages, [doc], publication),
            )
        )
    return pages


def _article_nav(
    lang: str, articles: list[Article], documents: dict[str, Rendered], number: int
) -> str:
    links = []
    if number > 0:
        before = articles[number - 1]
        links.append(
            f'<a rel="prev" href="{before.name}.html">← {documents[before.name].title}</a>'
        )
    links.append(f'<a href="index.html">{_e(ui(lang, "whole"))}</a>')
    if number + 1 < len(articles):
        after = articles[number + 1]
        links.append(f'<a rel="next" href="{after.name}.html">{documents[after.name].title} →</a>')
    return f'<nav class="article-nav">{"".join(links)}</nav>'


def _page(
    config: Config,
    edition: Edition,
    content: str,
    title: str,
    page: str,
    languages: list[str],
    documents: list[Rendered],
    publication: str,
) -> str:
    issue, lang = edition.issue, edition.language
    count = len(issue.articles)
    number = format_decimal(count, locale=_locale(lang))
    articles_count = f" · {number} {_e(_articles(lang, count))}"
    return Template(_data("page.html")).substitute(
        lang=lang,
        version=__version__,
        title=_e(title),
        root="../.." if not edition.draft else "../../..",
        body_class="draft" if edition.draft else "edition",
        issue_href="index.html",
        publication=_e(publication),
        iso_date=issue.date.isoformat() if issue.date else "",
        date=_e(_date(issue.date, lang)),
        articles_count=articles_count,
        languages_label=_e(ui(lang, "languages")),
        switcher=_switcher(lang, languages, issue.name, page),
        notice=_notice(lang, edition.draft, documents, config.source_language),
        content=content,
        footer=_e(ui(lang, "footer")) if lang != config.source_language else "",
    )


def _articles(lang: str, count: int) -> str:
    """The word "articles" after `count`, in the plural form the language's rules ask for."""
    category = _locale(lang).plural_form(count)
    return UI.get(lang, {}).get(f"articles:{category}") or ui(lang, "articles")


def _switcher(current: str, languages: list[str], issue: str, page: str) -> str:
    links = []
    for lang in languages:
        name = _e(_language_name(lang))
        if lang == current:
            links.append(f'<span lang="{lang}" aria-current="page">{name}</span>')
        else:
            href = f"../../{lang}/{issue}/{page}.html"
            links.append(f'<a lang="{lang}" hreflang="{lang}" href="{href}">{name}</a>')
    return " ".join(links)


def _notice(lang: str, draft: bool, documents: list[Rendered], source_language: str) -> str:
    if draft:
        rows = "".join(
            f'<dt class="{cls}">¶</dt><dd>{_e(ui(lang, key))}</dd>'
            for key, cls in (
                ("machine", "tf-machine"),
                ("memory", "tf-memory"),
                ("fuzzy", "tf-fuzzy"),
                ("fallback", "tf-english"),
            )
        )
        heading = f"<strong>{_e(ui(lang, 'draft'))}</strong>"
        return f'<aside class="draft-notice">{heading}<dl>{rows}</dl></aside>'
    if lang != source_language and any(d.translated_words < d.words for d in documents):
        return f'<p class="fallback-note">{_e(ui(lang, "english"))}</p>'
    return ""


@functools.cache
def _language_name(lang: str) -> str:
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def _date(date: datetime.date | None, lang: str) -> str:
    return format_date(date, format="long", locale=_locale(lang)) if date else ""


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def index_page(
    config: Config,
    issues: list[Issue],
    languages: list[str],
    states: dict[str, EditionState],
) -> str:
    """`output/index.html`: every edition, with how much of it is translated."""
    rows = []
    for issue in issues:
        english = states.get(f"{config.source_language}/{issue.name}")
        title = english.title if english is not None and english.title else issue.name
        when = " · ".join(filter(None, [_date(issue.date, config.source_language), issue.name]))
        rows.append(f"<h2>{_e(title)} <small>{_e(when)}</small></h2>")
        cells = []
        for lang in languages:
            name = _e(_language_name(lang))
            state = states.get(f"{lang}/{issue.name}")
            if state is None:
                cells.append(f"<tr><td>{name}</td><td class='held'>not built</td></tr>")
                continue
            percent = format_percent(state.percent / 100, locale="en")
            bar = f'<progress max="100" value="{state.percent:.0f}"></progress> '
            if state.published:
                link = f'<a lang="{lang}" href="{lang}/{issue.name}/index.html">{name}</a>'
                cells.append(f"<tr><td>{link}</td><td>{bar}{percent}</td></tr>")
            else:
                needed = config.min_complete_for(lang)
                cells.append(
                    f"<tr><td lang='{lang}'>{name}</td><td class='held'>{bar}{percent} — held "
                    f"back (min-complete {needed:g}%)</td></tr>"
                )
        rows.append('<table class="editions">\n' + "\n".join(cells) + "\n</table>")
    return Template(_data("index.html")).substitute(version=__version__, content="\n".join(rows))


def stylesheet() -> str:
    return _data("style.css")
