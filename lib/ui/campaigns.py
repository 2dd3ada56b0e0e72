"""Campaigns (one letter sent by several people with small edits) in this load's page feedback,
found once per load for every session (``st.cache_resource``): for the sidebar's "Count each
campaign once" and the campaigns section of the Themes page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..campaigns import Campaign, find_campaigns
from ..dataset import Loaded, expand
from ..identity import IDENTITY
from ..team_themes import themed_responses


@st.cache_resource(show_spinner="Looking for campaigns (once per data)…", max_entries=4)
def _found(token: tuple, _loaded: Loaded) -> tuple[tuple[Campaign, ...], pd.Series]:
    frame = themed_responses(expand(_loaded.dataset).feedback)
    found = tuple(find_campaigns(frame, key=IDENTITY))
    ids = pd.Series({m: c.id for c in found for m in c.members}, dtype=object, name="campaign")
    return found, ids


def campaigns(loaded: Loaded) -> tuple[Campaign, ...]:
    """This load's campaigns, largest first (members by identity, earliest first)."""
    return _found(loaded.token, loaded)[0]


def campaign_ids(loaded: Loaded) -> pd.Series:
    """Identity → campaign id for every response in a campaign of this load."""
    return _found(loaded.token, loaded)[1]
