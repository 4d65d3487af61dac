"""The theme taxonomy (问题分类) as read, kept per process: what messages are placed into and
reports are told by. Writing it is themes.py's; the facts read it to count each theme's
parents too."""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select

from analytics.themes import Taxonomy, Theme
from service.extensions import db
from service.models import Theme as ThemeRow
from service.store.reference import cached_per_app

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
