"""Trained models under MODEL_DIR: one folder per kind (themes, sentiment), one folder per
version in it, and an ACTIVE file naming the version in use. A new model is written whole
before ACTIVE is replaced in one rename, so no process ever reads half a model; every process
looks at ACTIVE when it scores, and loads a new version once."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def folder(kind: str) -> Path:
    return Path(current_app.config["MODEL_DIR"]) / kind


def active_version(kind: str) -> str | None:
    try:
        return (folder(kind) / "ACTIVE").read_text().strip() or None
    except FileNotFoundError:
        return None


def activate(kind: str, version: str, save: Callable[[Path], None]) -> Path:
    """Save a model with ``save(its folder)`` and make ``version`` the active one."""
    target = folder(kind) / version
    save(target)
    pointer = folder(kind) / "ACTIVE.tmp"
    pointer.write_text(version)
    os.replace(pointer, folder(kind) / "ACTIVE")
    return target


def cached_model(kind: str, key: str, load: Callable[[], T]) -> T:
    """The model cached in this process under ``key`` (its version, or what it was built
    from), loaded again only when the key changes."""
    name = f"minsheng.model.{kind}"
    cached = current_app.extensions.get(name)
    if cached is not None and cached[0] == key:
        return cached[1]
    model = load()
    current_app.extensions[name] = (key, model)
    return model
