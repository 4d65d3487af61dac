"""Per-day fact tables: recomputed whole for a day, from the rows they count, whenever that
day is marked dirty; figures are summed from them (alphagov/notifications-api's pattern).
Recomputing a whole day is idempotent, so a fact can never drift from its rows.

The facts' marks (``marks``), the recount of a day (``recount``) and the sums that figures
read (``cells``) are modules of their own; callers use them as ``store.facts``."""

from service.store.facts.cells import branch_counts, message_cells, rating_cells, theme_cells
from service.store.facts.marks import (
    MESSAGES,
    RATINGS,
    count_dirty,
    day_of,
    dirty_days,
    drain,
    due_day,
    fetch_versions,
    mark_dirty,
    mark_for_recount,
    mark_message_days,
    message_days,
)
from service.store.facts.recount import (
    FACT_COUNTS,
    MESSAGE_COUNTS,
    SATISFIED,
    met_limit,
    recompute_message_facts,
    recompute_rating_facts,
)

__all__ = [
    "FACT_COUNTS", "MESSAGES", "MESSAGE_COUNTS", "RATINGS", "SATISFIED", "branch_counts",
    "count_dirty", "day_of", "dirty_days", "drain", "due_day", "fetch_versions", "mark_dirty",
    "mark_for_recount", "mark_message_days", "message_cells", "met_limit", "message_days",
    "rating_cells", "recompute_message_facts", "recompute_rating_facts", "theme_cells",
]  # fmt: skip
