"""Command line: ``python -m lib summary [--source PATH] [--pages MKDOCS_YML_OR_CSV]``.

Prints the dashboard's headline numbers as JSON, for scripted checks and
scheduled reports. Without ``--source`` it reads the same configuration as the
dashboard (``INSIGHT_SOURCE``, then ``.streamlit/secrets.toml``: ``[source] path``,
then the live Google Sheet in ``[sheets]``, then the demo), so with ``[sheets]``
configured it prints the live numbers.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys

from .errors import SourceError
from .settings import load_dataset, read_secrets_file, resolve_settings
from .summary import summarise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="print the headline numbers as JSON")
    summary.add_argument("--source", help="an .xlsx workbook or a folder of CSV files")
    summary.add_argument("--pages", help="page metadata: an mkdocs.yml or a CSV")
    args = parser.parse_args(argv)
    # the plain error below says what went wrong; retries and their details are for the dashboard's log
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")

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
    json.dump(summarise(ds), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
