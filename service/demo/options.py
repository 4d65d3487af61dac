"""What a demo load adds, and the marks its rows and accounts carry."""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "demo-"
ACCOUNT_PREFIX = "demo-data-"  # its accounts, revoked at once: nobody signs in as them


@dataclass(frozen=True)
class DemoOptions:
    """What to load. The default takes some 30 s on SQLite, where a handling step costs some
    5 ms and a message takes four or five of them: half the ratings and two fifths of the
    messages first thought of, which still fill every page."""

    days: int = 60
    ratings: int = 1500
    messages: int = 600
    history_months: int = 10
    seed: int = 2026
