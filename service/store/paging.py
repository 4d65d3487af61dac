"""Paging of list reads, shared by every store module."""

from __future__ import annotations

from sqlalchemy import func, select

from service.extensions import db


def page_of(query, order_by, page: int, page_size: int) -> tuple[list, int]:
    """One page of ``query`` in ``order_by`` order (one column or a tuple), with the total
    count of its rows: the objects it selects, or a tuple a row where it selects more than
    one thing."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    offset = (page - 1) * page_size
    if offset >= total:  # also keeps a page number past any integer column out of the SQL
        return [], total
    order = order_by if isinstance(order_by, tuple) else (order_by,)
    rows = db.session.execute(query.order_by(*order).offset(offset).limit(page_size))
    if len(query.column_descriptions) == 1:
        return list(rows.scalars()), total
    return [tuple(row) for row in rows], total
