"""Consultation Insight: all logic as plain functions on DataFrames.

sources → raw tables → normalised frames → filters → aggregates → figures/exports.
Nothing here imports Streamlit except the app-facing layer ``lib.ui``.
"""
