"""Page metadata (path, title, section, nav order, has_form) and page-URL matching.

Metadata comes from the shipped table of the consultation's site, from any
MkDocs ``mkdocs.yml`` (its ``nav``, ``site_url`` and ``use_directory_urls``),
or from a ``Pages`` tab/CSV, which overrides both. Feedback URLs are matched to
pages segment by segment, whatever host and base path the site was served on.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import pandas as pd
import yaml

from .cells import cell_text, clean_text, finite_number
from .consultation import DATA_DIR, UNKNOWN_PAGE, Consultation, loose_key
from .errors import SourceError
from .limits import LIMITS, Limits

PAGE_COLUMNS = ["order", "path", "title", "section", "has_form", "label"]
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_MARKDOWN = re.compile(r"\.(md|markdown)$", re.I)
_TRUE = {"true", "yes", "y", "1", "x", "✓"}
#: a nav order is a whole number of at most this size (anything else takes the row's position)
MAX_ORDER = 1_000_000


@dataclass(frozen=True)
class SiteMeta:
    """The site's pages (one row per page, nav order) and its published address.

    ``bad_orders`` counts the Pages-tab orders that were typed but not usable (text,
    infinite, not a number, out of range): those pages took their row's position.
    """

    pages: pd.DataFrame
    site_url: str
    bad_orders: int = 0


# -- building the table -------------------------------------------------------


def short_section(section: str) -> str:
    """"Appendix 1: More on how our system works" → "Appendix 1"."""
    return section.split(":", 1)[0].strip()


def nav_orders(values: pd.Series) -> tuple[pd.Series, int]:
    """Nav orders as whole numbers; blank → the row's position, and so does anything typed that isn't
    a whole number up to ``MAX_ORDER`` in size (text, ``inf``, ``nan``, ``-1e309``: counted)."""
    position = pd.Series(np.arange(1, len(values) + 1), index=values.index)
    numbers = [finite_number(v) for v in values]
    usable = [n is not None and n.is_integer() and abs(n) <= MAX_ORDER for n in numbers]
    typed = [cell_text(v) != "" for v in values]
    orders = pd.Series([int(n) if ok else 0 for n, ok in zip(numbers, usable)], index=values.index)
    orders = orders.where(pd.Series(usable, index=values.index, dtype=bool), position)
    return orders.astype(int), sum(t and not ok for t, ok in zip(typed, usable))


def _finish(rows: pd.DataFrame) -> pd.DataFrame:
    """Canonical column order, types and display labels ("Appendix 1 › Overview")."""
    df = rows.copy()
    df["section"] = df["section"].fillna("").astype(str).str.strip()
    df["title"] = df["title"].astype(str).str.strip()
    df["path"] = df["path"].map(served_path)
    df["has_form"] = df["has_form"].astype(bool)
    df["order"] = nav_orders(df["order"])[0]
    df["label"] = [
        f"{short_section(s)} › {t}" if s else t for s, t in zip(df["section"], df["title"])
    ]
    df = df.sort_values("order", kind="stable").drop_duplicates("path", keep="first")
    return df[PAGE_COLUMNS].reset_index(drop=True)


def default_site(consultation: Consultation) -> SiteMeta:
    """The consultation's own pages, shipped as data."""
    df = pd.read_csv(DATA_DIR / "pages.csv", dtype=str, keep_default_na=False)
    df["has_form"] = df["has_form"].str.lower().isin(_TRUE)
    return SiteMeta(_finish(df), consultation.site_url)


class _TolerantLoader(yaml.SafeLoader):
    """A safe YAML loader that reads unknown tags (``!!python/name:…``) as plain values."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:", _unknown_tag)


def _file_to_path(file: str, directory_urls: bool) -> str:
    file = file.strip().lstrip("/")
    stem = re.sub(r"\.(md|markdown)$", "", file)
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")]
        return "/" + folder if directory_urls else "/" + folder + "index.html"
    return f"/{stem}/" if directory_urls else f"/{stem}.html"


def _walk_nav(items, sections: tuple[str, ...], out: list[dict]) -> None:
    for item in items or []:
        if isinstance(item, str):
            if not _MARKDOWN.search(item):
                continue
            out.append({"title": Path(clean_text(item)).stem.replace("-", " ").capitalize(), "file": clean_text(item),
                        "section": sections[-1] if sections else ""})
            continue
        if not isinstance(item, dict):
            continue
        for title, value in item.items():
            if not isinstance(title, (str, int, float)):
                continue
            title = clean_text(str(title))
            if isinstance(value, list):
                _walk_nav(value, sections + (title,), out)
            elif isinstance(value, str) and _MARKDOWN.search(value):
                out.append({"title": title, "file": clean_text(value), "section": sections[-1] if sections else ""})


def check_yaml_shape(text: str, limits: Limits = LIMITS) -> None:
    """Refuse YAML nested deeper than ``limits.max_config_depth`` or holding more than
    ``limits.max_config_nodes`` values once every alias is expanded (a "billion laughs" document
    is a few hundred bytes that expand to billions of values). Reads parser events only: cheap,
    and without the recursion that composing a deep document would need."""
    size: dict[str, int] = {}
    open_nodes: list[list] = []  # [anchor, values so far] per open list or mapping
    total = 0

    def add(n: int) -> None:
        nonlocal total
        if open_nodes:
            open_nodes[-1][1] += n
        else:
            total += n
        if total + sum(node[1] for node in open_nodes) > limits.max_config_nodes:
            raise SourceError(
                f"The MkDocs configuration holds more than {limits.max_config_nodes:,} values once its "
                "aliases (*name) are expanded; it is not a site configuration the dashboard can read.")

    for event in yaml.parse(io.StringIO(text), Loader=_TolerantLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_nodes.append([event.anchor, 1])
            if len(open_nodes) > limits.max_config_depth:
                raise SourceError(
                    f"The MkDocs configuration nests lists or mappings more than {limits.max_config_depth} "
                    "levels deep; it is not a site configuration the dashboard can read.")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, n = open_nodes.pop()
            if anchor:
                size[anchor] = n
            add(n)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                size[event.anchor] = 1
            add(1)
        elif isinstance(event, yaml.AliasEvent):
            add(size.get(event.anchor, 1))


def site_from_mkdocs(source: str | Path, consultation: Consultation, limits: Limits = LIMITS) -> SiteMeta:
    """Pages from an ``mkdocs.yml`` (path or text); unknown YAML tags are read as plain values
    (never run), and documents too big, too deep or too alias-heavy are refused plainly."""
    if isinstance(source, Path) and source.stat().st_size > limits.max_config_bytes:
        raise SourceError(f"The MkDocs configuration {source.name} is larger than "
                          f"{limits.max_config_bytes // (1024 * 1024)} MB; point to the site's mkdocs.yml.")
    text = Path(source).read_text(encoding="utf-8", errors="replace") if isinstance(source, Path) else source
    if len(text) > limits.max_config_bytes:
        raise SourceError(f"The MkDocs configuration is longer than {limits.max_config_bytes:,} characters.")
    try:
        check_yaml_shape(text, limits)
        conf = yaml.load(io.StringIO(text), Loader=_TolerantLoader) or {}
    except yaml.YAMLError as exc:
        raise SourceError(f"Could not read the MkDocs configuration: {exc}") from None
    except RecursionError:  # pragma: no cover - check_yaml_shape refuses deep documents first
        raise SourceError("The MkDocs configuration is nested too deeply to read.") from None
    if not isinstance(conf, dict) or not conf.get("nav"):
        raise SourceError("The MkDocs configuration has no 'nav' section to read pages from.")
    directory_urls = bool(conf.get("use_directory_urls", True))
    rows: list[dict] = []
    _walk_nav(conf["nav"], (), rows)
    if not rows:
        raise SourceError("The MkDocs configuration's 'nav' names no Markdown pages (.md) to read.")
    without = {f.strip("/") for f in consultation.pages_without_form}
    df = pd.DataFrame(rows)
    df["path"] = [_file_to_path(f, directory_urls) for f in df["file"]]
    df["has_form"] = [f.strip("/") not in without for f in df["file"]]
    df["order"] = range(1, len(df) + 1)
    site_url = conf.get("site_url")
    return SiteMeta(_finish(df), clean_text(site_url) if isinstance(site_url, str) and site_url else consultation.site_url)


_PAGES_ALIASES = {
    "path": ("path", "page", "pagepath", "url", "file"),
    "title": ("title", "name"),
    "section": ("section",),
    "order": ("order", "navorder", "position"),
    "has_form": ("hasform", "form", "feedbackform"),
}


def site_from_table(table: pd.DataFrame, site_url: str) -> SiteMeta:
    """Pages from a ``Pages`` tab or CSV (columns path, title, section, order, has_form)."""
    found = {loose_key(str(c)): c for c in table.columns}
    cols = {}
    for canon, aliases in _PAGES_ALIASES.items():
        cols[canon] = next((found[a] for a in aliases if a in found), None)
    for required in ("path", "title"):
        if cols[required] is None:
            raise SourceError(
                f"Pages tab: required column '{required}' is missing "
                f"(columns found: {', '.join(map(str, table.columns)) or 'none'})."
            )
    df = pd.DataFrame(index=table.index)
    for canon, col in cols.items():
        df[canon] = table[col].map(cell_text) if col else ""
    df = df[df["path"] != ""]
    if cols["has_form"] is None:
        df["has_form"] = True
    else:
        df["has_form"] = df["has_form"].str.lower().isin(_TRUE)
    df["path"] = [_file_to_path(p, True) if p.endswith(".md") else p for p in df["path"]]
    df["order"], bad_orders = nav_orders(df["order"])
    return SiteMeta(_finish(df), site_url, bad_orders)


def load_site(spec: str | Path | None, consultation: Consultation) -> SiteMeta:
    """Page metadata from ``spec`` (an mkdocs.yml or a CSV), or the shipped default."""
    if not spec:
        return default_site(consultation)
    path = Path(spec)
    if not path.is_file():
        raise SourceError(f"Page metadata file not found: {path}")
    if path.suffix.lower() == ".csv":
        if path.stat().st_size > LIMITS.max_config_bytes:
            raise SourceError(f"The page metadata file {path.name} is larger than "
                              f"{LIMITS.max_config_bytes // (1024 * 1024)} MB; a site's pages fit in far less.")
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        return site_from_table(table, consultation.site_url)
    return site_from_mkdocs(path, consultation)


# -- matching URLs to pages -----------------------------------------------------


def path_key(path: str) -> tuple[str, ...]:
    """Path segments compared when matching: decoded, lower-case, no ``index.html``/extension."""
    segs = [unquote(s).strip().casefold() for s in path.split("/")]
    segs = [s for s in segs if s]
    if segs and segs[-1] in ("index.html", "index.htm", "index.md"):
        segs.pop()
    if segs:
        segs[-1] = re.sub(r"\.(html?|md)$", "", segs[-1])
    return tuple(segs)


def site_relative(path: str) -> str:
    """A page path as written for people and scripts: relative to the site's root
    (``how-our-system-works/``; the home page is the empty path); ``(unknown)`` stays as it is."""
    return path[1:] if isinstance(path, str) and path.startswith("/") else path


def served_path(path: str) -> str:
    """A page path as stored: leading slash, trailing slash for directory URLs."""
    path = path.strip()
    if _SCHEME.match(path):
        with contextlib.suppress(ValueError):  # e.g. an unclosed IPv6 host: keep the text as a path
            path = urlsplit(path).path
    path = "/" + path.lstrip("/")
    if not re.search(r"\.html?$", path) and not path.endswith("/"):
        path += "/"
    return path


def url_segments(url: str, _depth: int = 0, limits: Limits = LIMITS) -> tuple[str, ...] | None:
    """Segments of a feedback URL's path (a ``?page=`` URL wins); ``None`` when empty, longer than
    ``limits.max_url_chars`` or not parsable as a URL (e.g. ``//[``). Never raises."""
    url = url.strip()
    if not url or len(url) > limits.max_url_chars:
        return None
    try:
        return _url_segments(url, _depth)
    except (ValueError, TypeError, RecursionError):  # urlsplit: "Invalid IPv6 URL", bad ports, …
        return None


def _url_segments(url: str, _depth: int) -> tuple[str, ...] | None:
    if not _SCHEME.match(url):
        first = url.lstrip("/").split("/", 1)[0]
        if url.startswith("//") or (
            not url.startswith("/") and "/" in url
            and (first == "localhost" or re.fullmatch(r"[\w.-]+\.[a-z]{2,}(:\d+)?|[\w.-]+:\d+", first, re.I))
        ):
            url = "http://" + url.lstrip("/")
    parts = urlsplit(url)
    if _depth < 3:
        inner = parse_qs(parts.query).get("page")
        if inner and inner[0].strip():
            return url_segments(inner[0], _depth + 1)
    return path_key(parts.path)


def _site_base(site_url: str) -> tuple[str, ...]:
    """The segments of the site's own base path (none when the address can't be parsed)."""
    try:
        return path_key(urlsplit(site_url).path) if site_url else ()
    except ValueError:
        return ()


class PageMatcher:
    """Matches feedback URLs to page paths by whole trailing segments.

    A URL matches the page whose segments are the longest suffix of its path;
    what comes before is the base path the site was served under. The home
    page (no segments) matches a URL whose path is a known base: the site_url's
    path, the root, or a base seen on another URL.
    """

    def __init__(self, site: SiteMeta):
        self._by_key = {path_key(p): p for p in site.pages["path"]}
        self._longest = max((len(k) for k in self._by_key), default=0)
        self._site_base = _site_base(site.site_url)

    def _suffix_match(self, segs: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
        for n in range(min(len(segs), self._longest), 0, -1):
            page = self._by_key.get(segs[-n:])
            if page is not None:
                return page, segs[:-n]
        return None

    def match(self, urls: Iterable[str]) -> list[str]:
        """Page path for each URL, or ``UNKNOWN_PAGE``."""
        urls = list(urls)
        segs = {u: url_segments(u) for u in set(urls)}
        found: dict[str, str] = {}
        bases = {(), self._site_base}
        for u, s in segs.items():
            hit = self._suffix_match(s) if s else None
            if hit:
                found[u] = hit[0]
                bases.add(hit[1])
        home = self._by_key.get(())
        if home is not None:
            for u, s in segs.items():
                if u not in found and s is not None and s in bases:
                    found[u] = home
        return [found.get(u, UNKNOWN_PAGE) for u in urls]


def pages_listing(pages: pd.DataFrame) -> pd.DataFrame:
    """The site's pages as listed for people: order, label, path relative to the site's root
    (``site_relative``) and whether the page carries the form."""
    return pd.DataFrame({"Order": pages["order"], "Page": pages["label"], "Path": pages["path"].map(site_relative),
                         "Has form": pages["has_form"]}).reset_index(drop=True)
