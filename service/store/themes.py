"""Writing the theme taxonomy (问题分类), and staff corrections of a message's theme; the
taxonomy as read is in taxonomy.py."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select

from analytics.themes import Taxonomy, Theme, message_text
from service.extensions import db
from service.models import Message
from service.models import Theme as ThemeRow
from service.store.facts import MESSAGES, day_of, mark_dirty
from service.store.taxonomy import forget_taxonomy
from service.store.transactions import transaction


def fetch_themes() -> list[ThemeRow]:
    """Every theme, active or not, parents before their children."""
    return list(db.session.scalars(select(ThemeRow).order_by(ThemeRow.code)))


def add_themes(themes: Iterable[Theme]) -> int:
    """Store themes whose codes are new, parents first, in one transaction; returns how many."""
    known = set(db.session.scalars(select(ThemeRow.code)))
    added = 0
    with transaction():
        for theme in themes:
            if theme.code in known:
                continue
            db.session.add(
                ThemeRow(
                    code=theme.code,
                    name=theme.name,
                    parent_code=theme.parent_code,
                    keywords=json.dumps(list(theme.keywords), ensure_ascii=False),
                    livelihood=theme.livelihood,
                    active=True,
                )
            )
            db.session.flush()  # a child's parent must exist first, on every database
            known.add(theme.code)
            added += 1
    forget_taxonomy()  # this process reads it anew now
    return added


def fetch_theme(code: str) -> ThemeRow | None:
    return db.session.get(ThemeRow, code)


def save_theme(row: ThemeRow, records: Iterable[db.Model]) -> ThemeRow:
    """Add or change a theme, with ``records`` in the same commit; this process reads the
    taxonomy anew at once, the others within TAXONOMY_MAX_AGE_SECONDS."""
    with transaction():
        db.session.add(row)
        db.session.add_all(list(records))
    forget_taxonomy()
    return row


def correct_theme(message: Message, code: str, records: Iterable[db.Model]) -> None:
    """Set the message's theme by hand (source ``staff``), with ``records`` in the commit."""
    message.theme_code = code
    message.theme_source = "staff"
    message.theme_confidence = None
    message.theme_model = None
    with transaction():
        mark_dirty(MESSAGES, day_of(message.created_at))  # its day's theme counts move
        db.session.add_all(list(records))


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


def fetch_message_themes(message_ids: Iterable[int]) -> dict[int, str | None]:
    """The theme each message is placed in (None: unclassified), by id."""
    ids = list(set(message_ids))
    if not ids:
        return {}
    rows = db.session.execute(select(Message.id, Message.theme_code).where(Message.id.in_(ids)))
    return {id_: code for id_, code in rows}
