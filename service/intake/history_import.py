"""Importing a province's message history (``flask --app wsgi import messages``): each row
of a 12345/问政 export becomes a message scored, placed in a theme and located like a new one,
with its own time as the time of acceptance. Idempotent by the export's id: a row whose id is
stored already, or came earlier in the file, is a duplicate. Nothing is dropped silently:
every row is imported, a duplicate, or rejected with its reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from analytics.history import clean_count, clean_id, clean_text, parse_time
from analytics.kpis import FIRST_DAY, LAST_DAY, reportable
from analytics.regions import PROVINCE_CODE
from analytics.scoring import WAIT_SECONDS, ScoringPool
from service import scoring, store
from service.access import accounts as account_service
from service.intake import locate_in_text, message_values, repeats
from service.models import Account
from service.scoring import replies
from service.store.facts import day_of, due_day
from service.vocabulary import MESSAGE_TYPE_ALIASES, REGION_PROVINCE, REGION_UNKNOWN

#: The TipDM (泰迪杯) export's columns, which 12345/问政 exports commonly share.
DEFAULT_MAP = {
    "留言编号": "source_id",
    "留言用户": "citizen_ref",
    "留言主题": "title",
    "留言时间": "created_at",
    "留言详情": "content",
    "一级分类": "source_label",
    "一级标签": "source_label",
    "答复意见": "reply",
    "答复时间": "replied_at",
    "点赞数": "likes",
    "反对数": "dislikes",
}
FIELDS = frozenset(DEFAULT_MAP.values()) | {"type"}
REQUIRED = ("source_id", "title", "content", "created_at")
LIMITS = {"title": 200, "content": 20_000, "reply": 20_000, "citizen_ref": 64, "source_label": 60}


#: The account imported messages are filed under; revoked at once: nobody signs in as it.
IMPORT_ACCOUNT = "history-import"


def import_account() -> Account:
    account = store.accounts.fetch_account_by_name(IMPORT_ACCOUNT)
    if account is None:
        account, _ = account_service.open_account(IMPORT_ACCOUNT, "app")
        account_service.revoke(account)
    return account


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (row, of what)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    repeats: int = 0  # messages linked as repeats (重复件) of an earlier one of their citizen
    replies_judged: int = 0  # replies judged for their quality (答复质量)


class RowRejected(ValueError):
    pass


def import_messages(
    rows: Iterable[dict],
    mapping: dict[str, str],
    default_type: str,
    account: Account,
    *,
    batch_size: int = 500,
    workers: int = 1,
    scoring_wait: float = WAIT_SECONDS,
    progress: Callable[[int], None] = lambda n: None,
) -> ImportReport:
    """Import ``rows`` (dicts by column, as read from the file; row numbers count from 2,
    under the header) whose columns ``mapping`` names as message fields. Scoring, most of the
    cost, runs in ``workers`` processes (analytics.scoring.ScoringPool), a batch ahead of the
    writing of the one before; should they fail, or a batch's scores not come within
    ``scoring_wait`` seconds, in this one."""
    report = ImportReport()
    citizens: set[str] = set()
    batches = _valid_batches(rows, mapping, default_type, batch_size, report, progress)
    with ScoringPool(scoring.current(), workers, scoring_wait) as pool:
        for batch, scores in _scored_ahead(batches, pool.start):
            values = [
                (number, _values(fields, account, scored))
                for (number, fields), scored in zip(batch, scores, strict=True)
            ]
            _store(values, report)
            citizens.update(v["citizen_ref"] for _, v in values if v["citizen_ref"])
            progress(len(batch))
    # after the whole file: a history comes in any order, and a repeat follows its first
    report.repeats = repeats.link_history(citizens)
    # the replies it carries: each compared with those judged before it, for templates
    report.replies_judged = replies.judge_pending()
    report.duplicates.sort()
    return report


def _valid_batches(rows, mapping, default_type, batch_size, report, progress):
    """Batches of (row number, fields) of the rows that can be imported; the others go into
    ``report`` as they are met (rejected, or repeating an earlier row's id)."""
    seen: dict[str, int] = {}
    batch: list[tuple[int, dict]] = []
    for number, row in enumerate(rows, start=2):
        try:
            fields = _fields(row, mapping, default_type)
        except RowRejected as error:
            report.rejected.append((number, str(error)))
            progress(1)
            continue
        if fields["source_id"] in seen:
            first = seen[fields["source_id"]]
            report.duplicates.append((number, f"{fields['source_id']}, as row {first}"))
            progress(1)
            continue
        seen[fields["source_id"]] = number
        batch.append((number, fields))
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _scored_ahead(batches, start_scoring):
    """(batch, its scores), the next batch's scoring started before this one is handed on."""
    pending = None
    for batch in batches:
        job = start_scoring([(fields["title"], fields["content"]) for _, fields in batch])
        if pending is not None:
            yield pending[0], pending[1]()
        pending = (batch, job)
    if pending is not None:
        yield pending[0], pending[1]()


def _store(values: list[tuple[int, dict]], report: ImportReport) -> None:
    stored = store.messages.fetch_source_ids([v["source_id"] for _, v in values])
    fresh = [(n, v) for n, v in values if v["source_id"] not in stored]
    report.duplicates += [
        (n, f"{v['source_id']}, imported before") for n, v in values if v["source_id"] in stored
    ]
    inserted, raced = store.messages.add_imported([v for _, v in fresh], _days(fresh))
    report.imported += inserted
    report.duplicates += [
        (n, f"{v['source_id']}, imported meanwhile") for n, v in fresh if v["source_id"] in raced
    ]


def _fields(row: dict, mapping: dict[str, str], default_type: str) -> dict:
    raw = {name: row.get(column) for column, name in mapping.items() if column in row}
    fields = {
        "source_id": clean_id(raw.get("source_id")),
        "title": clean_text(raw.get("title")),
        "content": clean_text(raw.get("content")),
        "citizen_ref": clean_text(raw.get("citizen_ref")) or None,
        "source_label": clean_text(raw.get("source_label")) or None,
        "reply": clean_text(raw.get("reply")) or None,
    }
    for name in ("source_id", "title", "content"):
        if not fields[name]:
            raise RowRejected(f"no {name}")
    for name, limit in LIMITS.items():
        if fields[name] and len(fields[name]) > limit:
            raise RowRejected(f"{name} longer than {limit} characters")
    try:
        fields["created_at"] = parse_time(raw.get("created_at"))
        has_reply_time = raw.get("replied_at") not in (None, "")
        fields["replied_at"] = parse_time(raw["replied_at"]) if has_reply_time else None
        fields["likes"] = clean_count(raw.get("likes"))
        fields["dislikes"] = clean_count(raw.get("dislikes"))
    except ValueError as error:
        raise RowRejected(str(error)) from error
    for name in ("created_at", "replied_at"):  # the limits and facts of year 9999 overflow
        if fields[name] is not None and not reportable(fields[name].date()):
            span = f"{FIRST_DAY.year} to {LAST_DAY.year}"
            raise RowRejected(f"not a time from {span}: {raw.get(name)!r}")
    kind = clean_text(raw.get("type")) or default_type
    fields["type"] = MESSAGE_TYPE_ALIASES.get(kind.lower()) or MESSAGE_TYPE_ALIASES.get(kind)
    if fields["type"] is None:
        raise RowRejected(f"not a message type: {kind!r}")
    return fields


def _values(fields: dict, account: Account, scored: tuple) -> dict:
    region_code, region_source = locate_in_text(fields["title"], fields["content"])
    if region_source == REGION_UNKNOWN:  # no place in Jiangxi: the province's
        region_code, region_source = PROVINCE_CODE, REGION_PROVINCE
    values = message_values(
        fields,
        region_code=region_code,
        region_source=region_source,
        department_id=None,
        account_id=account.id,
        accepted_at=fields["created_at"],
        scored=scored,
    )
    values |= {
        "source_id": fields["source_id"],
        "source_label": fields["source_label"],
        "likes": fields["likes"],
        "dislikes": fields["dislikes"],
    }
    if fields["reply"]:  # answered in the old system: closed when answered
        answered = fields["replied_at"] or fields["created_at"]
        values |= {
            "status": "closed",
            "reply": fields["reply"],
            "replied_at": answered,
            "closed_at": answered,
        }
    return values


def _days(rows: list[tuple[int, dict]]) -> set:
    days = set()
    for _, values in rows:
        days |= {day_of(values["created_at"]), due_day(values["due_at"])}
        if values.get("closed_at"):
            days.add(day_of(values["closed_at"]))
    return days
