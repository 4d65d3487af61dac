"""The theme taxonomy (问题分类), and staff corrections of a message's theme."""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select

from analytics.themes import Taxonomy, Theme, message_text
from service.extensions import db
from service.models import Message
from service.models import Theme as ThemeRow
from service.store.facts import MESSAGES, day_of, mark_dirty
from service.store.reference import cached_per_app
from service.store.transactions import transaction

#: How long a process keeps the taxonomy before reading it again: `flask themes load` changes
#: it from another process.
TAXONOMY_MAX_AGE_SECONDS = 60


def fetch_taxonomy(*, with_retired: bool = False, knowing: Iterable[str | None] = ()) -> Taxonomy:
    """The themes in use (messages are placed into these), or all of them (reports name the
    themes messages were placed into before one was taken out of use); read at most once a
    minute per process. A code of ``knowing`` that the kept taxonomy lacks but the database
    holds has it read again at once: another process (each gunicorn worker keeps its own)
    added that theme since, and a message may be placed in it already."""
    loaded = []

    def load() -> Taxonomy | None:
        query = select(ThemeRow)
        if not with_retired:
            query = query.where(ThemeRow.active.is_(True))
        rows = db.session.scalars(query).all()
        loaded.append(True)
        return Taxonomy(_theme_of(row) for row in rows) if rows else None

    name = "minsheng.themes.all" if with_retired else "minsheng.themes"
    taxonomy = cached_per_app(name, load, TAXONOMY_MAX_AGE_SECONDS)
    if loaded or taxonomy is None:
        return taxonomy
    missing = {code for code in knowing if code and taxonomy.get(code) is None}
    if missing and _stored(missing, with_retired):
        forget_taxonomy()
        taxonomy = cached_per_app(name, load, TAXONOMY_MAX_AGE_SECONDS)
    return taxonomy


def _stored(codes: set[str], with_retired: bool) -> bool:
    """Whether the database holds a theme of ``codes`` (in use, unless ``with_retired``): one
    look-up by key, so that a code nobody knows costs no reading of the whole taxonomy."""
    query = select(ThemeRow.code).where(ThemeRow.code.in_(sorted(codes)))
    if not with_retired:
        query = query.where(ThemeRow.active.is_(True))
    return db.session.scalars(query.limit(1)).first() is not None


def _theme_of(row: ThemeRow) -> Theme:
    return Theme(
        row.code, row.name, row.parent_code, tuple(json.loads(row.keywords)), row.livelihood
    )


def forget_taxonomy() -> None:
    """Have this process read the taxonomy anew at its next use: after it changed the
    taxonomy itself, or found it behind another process's change."""
    for name in ("minsheng.themes", "minsheng.themes.all"):
        current_app.extensions.pop(name, None)


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
