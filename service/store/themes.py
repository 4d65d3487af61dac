"""The theme taxonomy (问题分类)."""

from __future__ import annotations

import json

from sqlalchemy import select

from analytics.themes import Taxonomy, Theme, message_text
from service.extensions import db
from service.models import Message
from service.models import Theme as ThemeRow
from service.store.reference import cached_per_app


def fetch_taxonomy() -> Taxonomy:
    """The active themes, read once per app: the taxonomy changes only by migration so far
    (an admin edit must clear this cache in every process when it comes)."""

    def load() -> Taxonomy | None:
        rows = db.session.scalars(select(ThemeRow).where(ThemeRow.active.is_(True))).all()
        themes = [
            Theme(r.code, r.name, r.parent_code, tuple(json.loads(r.keywords)), r.livelihood)
            for r in rows
        ]
        return Taxonomy(themes) if themes else None

    return cached_per_app("minsheng.themes", load)


def fetch_corrections(taxonomy: Taxonomy, labels: set[str]) -> list[tuple[str, str]]:
    """(text, label) of every message whose theme staff set by hand, its theme taken up to
    the one of ``labels`` it lies under; corrections under none of them are left out."""
    rows = db.session.execute(
        select(Message.title, Message.content, Message.theme_code).where(
            Message.theme_source == "staff", Message.theme_code.is_not(None)
        )
    )
    found = []
    for title, content, code in rows:
        label = next((t.code for t in taxonomy.path(code) if t.code in labels), None)
        if label is not None:
            found.append((message_text(title, content), label))
    return found
