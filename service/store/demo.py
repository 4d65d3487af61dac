"""The demo data's rows (``flask --app wsgi demo``), told apart by the prefix of their own
ids: a rating's 办件编号, a message's ``source_id``."""

from __future__ import annotations

from sqlalchemy import func, select

from service.extensions import db
from service.models import Message, Rating


def count_marked(prefix: str) -> tuple[int, int]:
    """How many ratings and messages carry ids starting with ``prefix``."""
    ratings = db.session.scalar(
        select(func.count()).where(Rating.transaction_id.startswith(prefix, autoescape=True))
    )
    messages = db.session.scalar(
        select(func.count()).where(Message.source_id.startswith(prefix, autoescape=True))
    )
    return ratings, messages
