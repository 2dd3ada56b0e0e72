"""Configuration: where the data comes from, resolved from env vars and secrets.

Precedence: ``INSIGHT_SOURCE`` (env) › ``[source] path`` (secrets) › the demo.
Page metadata: ``INSIGHT_PAGES`` › ``[pages] file`` (an mkdocs.yml or CSV) › shipped.
The same resolution serves the dashboard (``st.secrets``) and the command line
(``.streamlit/secrets.toml`` read directly).
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

    @property
    def source_kind(self) -> str:
        return "workbook" if self.source_path else "demo"


def _section(secrets: Mapping, name: str) -> Mapping:
    value = secrets.get(name) if hasattr(secrets, "get") else None
    return value if isinstance(value, Mapping) or hasattr(value, "get") else {}


def resolve_settings(secrets: Mapping | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from secrets (``[source]``, ``[pages]``, ``[consultation]``, ``[sheets]``) and env vars."""
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
    )


def read_secrets_file(path: Path = SECRETS_FILE) -> dict:
    """The project's ``.streamlit/secrets.toml`` for command-line use ({} when absent)."""
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def read_source(settings: Settings) -> RawTables:
    """Raw tables from the configured source."""
    if settings.source_path:
        return read_workbook(settings.source_path, settings.tabs)
    return read_demo(settings.tabs)


def load_dataset(settings: Settings, raw: RawTables | None = None) -> Dataset:
    """The normalised dataset for ``settings`` (reading the source unless ``raw`` is given)."""
    consultation = load_consultation(settings.consultation_file)
    site = load_site(settings.pages_spec, consultation)
    return build_dataset(raw if raw is not None else read_source(settings), consultation, site)
