"""Placing a message in a theme: the trained model named active under MODEL_DIR when there is
one, else keyword rules over the stored taxonomy. Loaded once per process, and again when
another process (``flask themes train``) activates a new model."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from analytics.themes import Placement, Refined, RuleClassifier, Taxonomy, TrainedClassifier
from service import store
from service.access.audit import audit_event
from service.access.auth import Caller
from service.models import Message
from service.models import Theme as ThemeRow
from service.platform.errors import fail, field_error
from service.scoring import model_files

KIND = "themes"


def activate(model: TrainedClassifier) -> Path:
    """Store ``model`` under MODEL_DIR and make it the one every process places with."""
    return model_files.activate(KIND, model.version, model.save)


def classifier() -> RuleClassifier | Refined:
    """The trained model named active, its answers carried down by the rules to the deepest
    theme they support (``Refined``), else the rules alone over the stored taxonomy; cached
    per process by version (the rules by the taxonomy's fingerprint)."""
    taxonomy = store.taxonomy.fetch_taxonomy()
    rules = model_files.cached_model(
        f"{KIND}.rules", taxonomy.fingerprint, lambda: RuleClassifier(taxonomy)
    )
    version = model_files.active_version(KIND)
    if version is None:
        return rules
    model = model_files.cached_model(
        KIND, version, lambda: TrainedClassifier.load(model_files.folder(KIND) / version)
    )
    return Refined(model, rules)


def source_of(placement: Placement) -> str:
    return "rules" if placement.model.startswith("rules@") else "model"


def taxonomy(*, with_retired: bool = False, knowing: Iterable[str | None] = ()) -> Taxonomy:
    """The stored taxonomy as this process keeps it, read again when it lacks a code of
    ``knowing`` that another process added a moment ago (store.taxonomy.fetch_taxonomy)."""
    return store.taxonomy.fetch_taxonomy(with_retired=with_retired, knowing=knowing)


def correct(account: Caller, message: Message, code: str, note: str | None) -> Message:
    """A person sets the message's theme (an active one): kept as ``staff``, audited, and fed
    to the next training run."""
    if taxonomy(knowing=[code]).get(code) is None:
        field_error(422, "theme_code", "No active theme has this code.")
    detail = {"from": message.theme_code, "to": code, "note": note}
    audit = audit_event("message.theme", "message", message.id, detail, actor=account)
    store.themes.correct_theme(message, code, [audit])
    return message


def add_theme(data: dict) -> ThemeRow:
    """A new theme (admin): its code unused (409), its parent an existing theme (422)."""
    if store.themes.fetch_theme(data["code"]) is not None:
        fail(409, f"A theme {data['code']!r} exists already.", {"json": {"code": ["Taken."]}})
    parent = data.get("parent_code")
    if parent is not None and store.themes.fetch_theme(parent) is None:
        field_error(422, "parent_code", "No theme has this code.")
    row = ThemeRow(
        code=data["code"],
        name=data["name"],
        parent_code=parent,
        keywords=json.dumps(data["keywords"], ensure_ascii=False),
        livelihood=data.get("livelihood"),
        active=True,
    )
    audit = audit_event("theme.add", "theme", row.code, {"name": row.name, "parent": parent})
    return store.themes.save_theme(row, [audit])


def change_theme(row: ThemeRow, data: dict) -> ThemeRow:
    """Rename a theme, replace its keywords, or take it out of use (admin). It is never
    deleted: messages keep their theme."""
    before = {"name": row.name, "keywords": json.loads(row.keywords), "active": row.active}
    if "name" in data:
        row.name = data["name"]
    if "keywords" in data:
        row.keywords = json.dumps(data["keywords"], ensure_ascii=False)
    if "active" in data:
        row.active = data["active"]
    audit = audit_event("theme.change", "theme", row.code, {"before": before, "change": data})
    return store.themes.save_theme(row, [audit])
