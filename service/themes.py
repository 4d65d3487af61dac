"""Placing a message in a theme: the trained model named active under MODEL_DIR when there is
one, else keyword rules over the stored taxonomy. Loaded once per process, and again when
another process (``flask themes train``) activates a new model."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import current_app

from analytics.themes import Placement, RuleClassifier, Taxonomy, TrainedClassifier
from service import store
from service.audit import audit_event
from service.errors import field_error
from service.models import Account, Message

log = logging.getLogger(__name__)

KIND = "themes"


def models_folder() -> Path:
    return Path(current_app.config["MODEL_DIR"]) / KIND


def active_version() -> str | None:
    try:
        return (models_folder() / "ACTIVE").read_text().strip() or None
    except FileNotFoundError:
        return None


def activate(model: TrainedClassifier) -> Path:
    """Save ``model`` under its version and make it the active one in one rename, so that no
    reader ever sees a half-written model or pointer."""
    folder = models_folder()
    model.save(folder / model.version)
    pointer = folder / "ACTIVE.tmp"
    pointer.write_text(model.version)
    os.replace(pointer, folder / "ACTIVE")
    return folder / model.version


def classifier() -> RuleClassifier | TrainedClassifier:
    """The classifier in use, cached per process and keyed by the active version (and for
    the rules by the taxonomy they read)."""
    version = active_version()
    key = version or store.themes.fetch_taxonomy().fingerprint()
    cached = current_app.extensions.get("minsheng.theme_classifier")
    if cached is not None and cached[0] == key:
        return cached[1]
    if version is None:
        loaded = RuleClassifier(store.themes.fetch_taxonomy())
    else:
        loaded = TrainedClassifier.load(models_folder() / version)
        log.info("theme model %s loaded", version)
    current_app.extensions["minsheng.theme_classifier"] = (key, loaded)
    return loaded


def place(title: str | None, content: str | None) -> Placement:
    """The message's theme, or none below THEME_MIN_CONFIDENCE (it waits for a person)."""
    placement = classifier().classify(title, content)
    if (
        placement.code is not None
        and placement.confidence < current_app.config["THEME_MIN_CONFIDENCE"]
    ):
        return Placement(None, placement.confidence, placement.model)
    return placement


def source_of(placement: Placement) -> str:
    return "rules" if placement.model.startswith("rules@") else "model"


def taxonomy() -> Taxonomy:
    return store.themes.fetch_taxonomy()


def correct(account: Account, message: Message, code: str, note: str | None) -> Message:
    """A person sets the message's theme (an active one): kept as ``staff``, audited, and fed
    to the next training run."""
    if taxonomy().get(code) is None:
        field_error(422, "theme_code", "No active theme has this code.")
    detail = {"from": message.theme_code, "to": code, "note": note}
    audit = audit_event("message.theme", "message", message.id, detail, actor=account)
    store.themes.correct_theme(message, code, [audit])
    return message
