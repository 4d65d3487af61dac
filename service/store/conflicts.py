"""Writes the store refuses because they clash with what is stored;
``service.platform.errors`` turns them into answers, so the store itself knows nothing of
HTTP."""

from __future__ import annotations


class DuplicateRating(Exception):
    """The transaction was already rated on this channel (一事一评)."""

    def __init__(self, transaction_id: str, channel: str, existing_id: int) -> None:
        super().__init__(f"transaction {transaction_id} already rated on {channel}: {existing_id}")
        self.transaction_id = transaction_id
        self.channel = channel
        self.existing_id = existing_id


class IdempotencyKeyReused(Exception):
    """The Idempotency-Key was already used for a different request."""


class NameTaken(Exception):
    """An account of this name was stored first (by a request running at the same time)."""
