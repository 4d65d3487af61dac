"""The column types every table uses: times stored in UTC, and when a row was made."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import (
    DateTime,
    TypeDecorator,
)
from sqlalchemy.orm import mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """Aware datetimes, stored in UTC. PostgreSQL converts them itself; SQLite keeps no zone
    and would store a Shanghai deadline's wall time as if it were UTC, 8 hours off."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: times are stored with their zone")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


Timestamp = Annotated[datetime, mapped_column(UtcDateTime())]
