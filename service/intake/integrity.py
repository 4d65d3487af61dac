"""Integrity flags (评价真实性): ratings whose stars contradict their comment (5 stars and an
angry text; 1 star and warm thanks), and bursts of ratings for one service item from one
device or one citizen within a short window. Flags ask a person to look; they never change a
rating by themselves."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from flask import current_app

from analytics.sentiment import NEGATIVE, POSITIVE, Sentiment
from service import store

CONTRADICTION = "contradiction"
DEVICE_BURST = "device_burst"
CITIZEN_BURST = "citizen_burst"


def contradiction_flags(stars: int, text: Sentiment) -> list[tuple[str, str]]:
    """A contradiction flag if the stars and the comment's sentiment disagree (the part of the
    flags that needs the text scored: in queue mode, the scoring job's)."""
    if (stars >= 4 and text.label == NEGATIVE) or (stars <= 2 and text.label == POSITIVE):
        return [(CONTRADICTION, json.dumps({"stars": stars, "text_score": text.score}))]
    return []


def burst_flags(values: dict) -> list[tuple[str, str]]:
    """Burst flags of a new rating: counted at intake, against the ratings stored so far."""
    config = current_app.config
    flags = []
    window = timedelta(minutes=config["BURST_WINDOW_MINUTES"])
    since: datetime = values["created_at"] - window
    for kind, column in ((DEVICE_BURST, "device_id"), (CITIZEN_BURST, "citizen_ref")):
        if values.get(column):
            earlier = store.flags.count_recent(
                values["service_item_id"], since, **{column: values[column]}
            )
            if earlier + 1 >= config["BURST_THRESHOLD"]:
                detail = {"ratings": earlier + 1, "minutes": config["BURST_WINDOW_MINUTES"]}
                flags.append((kind, json.dumps(detail)))
    return flags
