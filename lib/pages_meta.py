"""Page metadata (path, title, section, nav order, has_form) and page-URL matching.

Metadata comes from the shipped table of the consultation's site, from any
MkDocs ``mkdocs.yml`` (its ``nav``, ``site_url`` and ``use_directory_urls``),
or from a ``Pages`` tab/CSV, which overrides both. Feedback URLs are matched to
pages segment by segment, whatever host and base path the site was served on.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd
import yaml

from .consultation import DATA_DIR, UNKNOWN_PAGE, Consultation, loose_key
from .errors import SourceError

PAGE_COLUMNS = ["order", "path", "title", "section", "has_form", "label"]
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_MARKDOWN = re.compile(r"\.(md|markdown)$", re.I)
_TRUE = {"true", "yes", "y", "1", "x", "✓"}


@dataclass(frozen=True)
class SiteMeta:
    """The site's pages (one row per page, nav order) and its published address."""

    pages: pd.DataFrame
    site_url: str


# -- building the table -------------------------------------------------------


def short_section(section: str) -> str:
    """"Appendix 1: More on how our system works" → "Appendix 1"."""
    return section.split(":", 1)[0].strip()


def _finish(rows: pd.DataFrame) -> pd.DataFrame:
    """Canonical column order, types and display labels ("Appendix 1 › Overview")."""
    df = rows.copy()
    df["section"] = df["section"].fillna("").astype(str).str.strip()
    df["title"] = df["title"].astype(str).str.strip()
    df["path"] = df["path"].map(served_path)
    df["has_form"] = df["has_form"].astype(bool)
    df["order"] = pd.to_numeric(df["order"], errors="coerce")
    df["order"] = df["order"].fillna(pd.Series(range(1, len(df) + 1), index=df.index))
    df["order"] = df["order"].astype(int)
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
            out.append({"title": Path(item).stem.replace("-", " ").capitalize(), "file": item,
                        "section": sections[-1] if sections else ""})
            continue
        if not isinstance(item, dict):
            continue
        for title, value in item.items():
            if isinstance(value, list):
                _walk_nav(value, sections + (str(title),), out)
            elif isinstance(value, str) and _MARKDOWN.search(value):
                out.append({"title": str(title), "file": value,
                            "section": sections[-1] if sections else ""})


def site_from_mkdocs(source: str | Path, consultation: Consultation) -> SiteMeta:
    """Pages from an ``mkdocs.yml`` (path or text); unknown YAML tags are tolerated."""
    text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else source
    try:
        conf = yaml.load(io.StringIO(text), Loader=_TolerantLoader) or {}
    except yaml.YAMLError as exc:
        raise SourceError(f"Could not read the MkDocs configuration: {exc}") from None
    if not isinstance(conf, dict) or not conf.get("nav"):
        raise SourceError("The MkDocs configuration has no 'nav' section to read pages from.")
    directory_urls = bool(conf.get("use_directory_urls", True))
    rows: list[dict] = []
    _walk_nav(conf["nav"], (), rows)
    without = {f.strip("/") for f in consultation.pages_without_form}
    df = pd.DataFrame(rows)
    df["path"] = [_file_to_path(f, directory_urls) for f in df["file"]]
    df["has_form"] = [f.strip("/") not in without for f in df["file"]]
    df["order"] = range(1, len(df) + 1)
    return SiteMeta(_finish(df), str(conf.get("site_url") or consultation.site_url))


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
        df[canon] = table[col].map(lambda v: "" if v is None or v != v else str(v).strip()) if col else ""
    df = df[df["path"] != ""]
    if cols["has_form"] is None:
        df["has_form"] = True
    else:
        df["has_form"] = df["has_form"].str.lower().isin(_TRUE)
    df["path"] = [_file_to_path(p, True) if p.endswith(".md") else p for p in df["path"]]
    return SiteMeta(_finish(df), site_url)


def load_site(spec: str | Path | None, consultation: Consultation) -> SiteMeta:
    """Page metadata from ``spec`` (an mkdocs.yml or a CSV), or the shipped default."""
    if not spec:
        return default_site(consultation)
    path = Path(spec)
    if not path.is_file():
        raise SourceError(f"Page metadata file not found: {path}")
    if path.suffix.lower() == ".csv":
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
        path = urlsplit(path).path
    path = "/" + path.lstrip("/")
    if not re.search(r"\.html?$", path) and not path.endswith("/"):
        path += "/"
    return path


def url_segments(url: str, _depth: int = 0) -> tuple[str, ...] | None:
    """Segments of a feedback URL's path (a ``?page=`` URL wins); ``None`` when empty."""
    url = url.strip()
    if not url:
        return None
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
        self._site_base = path_key(urlsplit(site.site_url).path) if site.site_url else ()

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
