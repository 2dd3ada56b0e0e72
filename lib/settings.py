"""Configuration and the one loader: where the data comes from, resolved from env vars and
secrets (``resolve_settings``), and the normalised dataset read from there (``load_dataset``).

Precedence: ``INSIGHT_SOURCE`` (env) › ``[source] path`` › ``[sheets]`` (the live Google
Sheet, with ``[gcp_service_account]``) › the demo.
Page metadata: ``INSIGHT_PAGES`` › ``[pages] file`` (an mkdocs.yml or CSV) › shipped.
The same resolution serves the dashboard (``st.secrets``) and the command line
(``.streamlit/secrets.toml`` read directly, or the files named by ``STREAMLIT_SECRETS_FILES``,
the variable Streamlit itself reads for its ``secrets.files`` option).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .consultation import DEFAULT_FILE, load_consultation
from .dataset import Dataset, build_dataset
from .pages_meta import load_site
from .sheets import SheetSettings, read_sheet, sheet_settings
from .sources import RawTables, TabNames, read_demo, read_workbook

PROJECT_DIR = Path(__file__).resolve().parent.parent
SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Settings:
    """Resolved configuration for one dashboard or CLI run."""

    source_path: str | None = None
    pages_spec: str | None = None
    consultation_file: str = str(DEFAULT_FILE)
    tabs: TabNames = field(default_factory=TabNames)
    sheet: SheetSettings | None = None

    @property
    def source_kind(self) -> str:
        """What these settings read: "workbook", "sheet" or "demo"."""
        if self.source_path:
            return "workbook"
        return "sheet" if self.sheet else "demo"


def _section(secrets: Mapping, name: str) -> Mapping:
    value = secrets.get(name) if hasattr(secrets, "get") else None
    return value if isinstance(value, Mapping) or hasattr(value, "get") else {}


def resolve_settings(secrets: Mapping | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from secrets (``[source]``, ``[pages]``, ``[consultation]``, ``[sheets]``,
    ``[gcp_service_account]``) and env vars; ``SourceError`` names a setting that can't be used."""
    secrets = secrets or {}
    env = os.environ if env is None else env
    source = _section(secrets, "source")
    pages = _section(secrets, "pages")
    cons = _section(secrets, "consultation")
    sheets = _section(secrets, "sheets")
    tabs = TabNames(
        feedback=str(sheets.get("feedback_tab") or "Feedback"),
        survey=str(sheets.get("survey_tab") or "MainFeedback"),
        pages=str(sheets.get("pages_tab") or "Pages"),
    )
    return Settings(
        source_path=env.get("INSIGHT_SOURCE") or source.get("path") or None,
        pages_spec=env.get("INSIGHT_PAGES") or pages.get("file") or None,
        consultation_file=env.get("INSIGHT_CONSULTATION") or cons.get("file") or str(DEFAULT_FILE),
        tabs=tabs,
        sheet=sheet_settings(sheets, _section(secrets, "gcp_service_account")),
    )


def read_secrets_file(path: Path | None = None, env: Mapping[str, str] | None = None) -> dict:
    """Secrets for command-line use: ``path``, else the files in ``STREAMLIT_SECRETS_FILES``
    (whitespace-separated, later ones win, as in Streamlit), else the project's
    ``.streamlit/secrets.toml`` ({} when absent)."""
    env = os.environ if env is None else env
    if path is not None:
        paths = [path]
    elif env.get("STREAMLIT_SECRETS_FILES", "").strip():
        paths = [Path(p) for p in env["STREAMLIT_SECRETS_FILES"].split()]
    else:
        paths = [SECRETS_FILE]
    merged: dict = {}
    for p in paths:
        if p.is_file():
            with p.open("rb") as fh:
                merged.update(tomllib.load(fh))
    return merged


def read_source(settings: Settings) -> RawTables:
    """Raw tables from the configured source."""
    if settings.source_path:
        return read_workbook(settings.source_path, settings.tabs)
    if settings.sheet:
        return read_sheet(settings.sheet, settings.tabs)
    return read_demo(settings.tabs)


def load_dataset(settings: Settings, raw: RawTables | None = None) -> Dataset:
    """The normalised dataset for ``settings`` (reading the source unless ``raw`` is given)."""
    consultation = load_consultation(settings.consultation_file)
    site = load_site(settings.pages_spec, consultation)
    return build_dataset(raw if raw is not None else read_source(settings), consultation, site)
