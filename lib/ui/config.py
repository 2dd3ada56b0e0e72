"""Configuration for this run: ``st.secrets`` and the environment resolved into ``Settings``."""

from __future__ import annotations

import logging
import os

import streamlit as st

from ..settings import Settings, resolve_settings

log = logging.getLogger("consultation_insight")


def secrets() -> dict:
    """``st.secrets`` as a plain dict, or {} when no secrets file exists."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return st.secrets.to_dict()
    except Exception:  # a malformed secrets.toml: report, run on defaults
        log.exception("Could not read secrets")
        st.warning("The secrets file could not be read; running on the default settings.")
        return {}


def settings() -> Settings:
    """Settings resolved from ``st.secrets`` and the environment."""
    return resolve_settings(secrets(), os.environ)
