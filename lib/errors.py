"""Errors the dashboard reports to people in plain words (never as tracebacks)."""


class SourceError(Exception):
    """A source could not be read or lacks something required; the message says what, plainly."""
