"""Command line: ``python -m lib summary [--source PATH] [--pages MKDOCS_YML_OR_CSV]``.

Prints the dashboard's headline numbers as JSON, for scripted checks and
scheduled reports. Without ``--source`` it reads the same configuration as the
dashboard (``INSIGHT_SOURCE``, then ``.streamlit/secrets.toml``: ``[source] path``,
then the live Google Sheet in ``[sheets]``, then the demo), so with ``[sheets]``
configured it prints the live numbers.

``python -m lib themes [--source PATH] [--pages …] [--k N]`` prints the themes and
campaigns of the kept page-feedback responses (the Feedback tab; survey comments are
left out, so every ``<row>`` is a row number of that one tab, header = row 1):
``{"themes": {"<row>": "<theme id>"}, "labels": {"<theme id>": "<label>"},
"campaigns": [["<row>", …], …]}``. Too few responses: ``themes`` and ``labels`` are
empty and ``message`` says why (exit status 0: that is an answer, not a failure).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys

from .dataset import Dataset, kept
from .errors import SourceError
from .settings import load_dataset, read_secrets_file, resolve_settings
from .summary import summarise


def themes_json(ds: Dataset, k: int | None = None) -> dict:
    """Themes and campaigns of the kept page feedback, keyed by sheet row (as strings)."""
    # imported here: scikit-learn and datasketch take seconds to import, which ``summary`` never needs
    from .campaigns import find_campaigns
    from .themes import ThemeError, ThemeSettings, find_themes

    fb = kept(ds.feedback)
    out: dict = {"themes": {}, "labels": {}, "campaigns": []}
    try:
        result = find_themes(fb, ThemeSettings(k=k))
    except ThemeError as exc:
        out["message"] = str(exc)
    else:
        out["themes"] = {str(row): theme for row, theme in result.assignment.items()}
        out["labels"] = result.labels
    out["campaigns"] = [[str(row) for row in c.members] for c in find_campaigns(fb)]
    return out


def _hand_back_memory() -> None:
    """Arrow's memory from jemalloc where pyarrow has it: it returns what is freed to the system, where
    pyarrow's default (mimalloc) keeps tens of megabytes it once used, which a one-shot command's
    peak memory would carry (``docs/benchmarks.md``)."""
    try:
        import pyarrow as pa

        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except (ImportError, NotImplementedError):  # a pyarrow built without jemalloc: keep its default
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the command named in ``argv``; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m lib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="print the headline numbers as JSON")
    summary.add_argument("--source", help="an .xlsx workbook or a folder of CSV files")
    summary.add_argument("--pages", help="page metadata: an mkdocs.yml or a CSV")
    themes = sub.add_parser("themes", help="print the themes and campaigns of the page feedback as JSON")
    themes.add_argument("--source", help="an .xlsx workbook or a folder of CSV files")
    themes.add_argument("--pages", help="page metadata: an mkdocs.yml or a CSV")
    themes.add_argument("--k", type=int, help="the number of themes (default: chosen automatically)")
    args = parser.parse_args(argv)
    if args.command == "themes" and args.k is not None and args.k < 1:
        parser.error("--k must be at least 1")
    # the plain error below says what went wrong; retries and their details are for the dashboard's log
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    _hand_back_memory()

    try:
        settings = resolve_settings(read_secrets_file())
        if args.source:
            settings = dataclasses.replace(settings, source_path=args.source)
        if args.pages:
            settings = dataclasses.replace(settings, pages_spec=args.pages)
        ds = load_dataset(settings)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = themes_json(ds, args.k) if args.command == "themes" else summarise(ds)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
