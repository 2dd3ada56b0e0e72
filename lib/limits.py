"""The documented bounds on what a source may hold and what one cell may cost.

Every reader (workbook, upload, folder of CSV files, the live Google Sheet) and every
per-cell parser takes its bounds from one ``Limits`` value, so the README's numbers and
the code cannot drift apart. The table bounds admit a full Google Sheet (10 million
cells, 18,278 columns); the archive bounds follow Apache POI's zip-bomb defence.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on a read (whole source, tables, archive entries) and on single cells."""

    #: cells (rows × columns of the tables read, all tabs together): Google Sheets' own limit
    max_cells: int = 10_000_000
    #: columns of one tab: Google Sheets' widest sheet (column ZZZ)
    max_columns: int = 18_278
    #: rows of one tab (a one-column Google Sheet can have this many)
    max_rows: int = 10_000_000
    #: characters in one cell of a workbook (Google Sheets' limit; Excel's is 32,767)
    max_cell_chars: int = 50_000

    #: bytes of a workbook (.xlsx) or CSV file as stored or uploaded (``server.maxUploadSize`` is the same);
    #: a full Google Sheet of 10 M cells of typical responses downloads as about 77 MB
    max_file_bytes: int = 100 * MB
    #: entries in a workbook's zip archive
    max_zip_entries: int = 10_000
    #: uncompressed bytes of one entry of a workbook (that full sheet: 278 MB of sheet, 304 MB of texts)
    max_entry_bytes: int = 1024 * MB
    #: uncompressed bytes of all entries together (that full sheet: 582 MB)
    max_total_bytes: int = 1024 * MB
    #: an entry may inflate at most this many times its compressed size…
    max_inflate_ratio: float = 100.0
    #: …once it is bigger than this (Apache POI's defaults: 1 % and 100 KiB; real sheets inflate ~8 times)
    ratio_grace_bytes: int = 100 * 1024
    #: bytes of the live sheet's answer (all tabs, as JSON), read in pieces
    max_response_bytes: int = 1024 * MB

    #: characters of a JSON or joined list cell (scores, activities); longer → ignored, counted
    max_list_chars: int = 20_000
    #: nesting of brackets in such a cell; deeper → ignored, counted
    max_json_depth: int = 4
    #: characters of a page address; longer → "(unknown)" page, counted
    max_url_chars: int = 2_048

    #: bytes of an mkdocs.yml
    max_config_bytes: int = 1 * MB
    #: values in an mkdocs.yml, every alias counted as a full copy of what it repeats ("billion laughs")
    max_config_nodes: int = 100_000
    #: nesting of lists and mappings in an mkdocs.yml
    max_config_depth: int = 50

    #: attempts to isolate the rows that make normalisation fail (a halving search)
    max_isolation_calls: int = 2_000


LIMITS = Limits()
