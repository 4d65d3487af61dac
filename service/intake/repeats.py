"""Repeats (重复件): the same citizen raising the same matter again within REPEAT_WINDOW_DAYS.
A repeat is linked to the first message of its matter (the first's own first, if that was a
repeat too), shown with it to the handler, and counted once, as that first message, in every
volume and figure. Hot issues are another thing: many citizens, one place (hot_issues.py).

A repeat links only messages of exactly the same region code, so that the officials who see
one see the other: a county's message is seen by the county's, its city's and the province's
officials; a message placed only in a city (its text named no county, its department is the
city's) by the city's and the province's; one of no known region by the province's alone.
Linking across regions showed a 南昌 official a 赣州 message's id as ``repeat_of`` and took
the 赣州 message out of 赣州's figures and 督办, chased as a first message 赣州 cannot see. A
county's message and a city-level one of the same citizen are not linked either, for the same
reason (the county's officials cannot see the city-level one): the matter is then counted
twice, an over-count in plain sight rather than a message hidden from those who handle it.
The rule is applied in the query that finds the candidates (store.messages.fetch_same_citizen)
and in the grouping of an imported history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app

from analytics.repeats import same_matter_score
from service import store
from service.models import Message
from service.store.facts import message_days


def first_of_matter(
    citizen_ref: str | None,
    contact_phone: str | None,
    region_code: str | None,
    title: str,
    content: str,
    at: datetime,
) -> int | None:
    """The id of the first message of the matter a new message of ``region_code`` repeats,
    or None."""
    since = at - timedelta(days=current_app.config["REPEAT_WINDOW_DAYS"])
    earlier = store.messages.fetch_same_citizen(citizen_ref, contact_phone, region_code, since, at)
    match = _most_alike(earlier, title, content)
    return (match.repeat_of_id or match.id) if match else None


def link_history(citizen_refs: Iterable[str]) -> int:
    """Link the repeats among every message of these citizens, each region's apart, in the
    order they were sent (imported history arrives in any order); returns how many links
    changed."""
    window = timedelta(days=current_app.config["REPEAT_WINDOW_DAYS"])
    by_citizen = defaultdict(list)
    for message in store.messages.fetch_by_citizens(citizen_refs):
        by_citizen[message.citizen_ref, message.region_code].append(message)
    links, days, first = {}, set(), {}
    for messages in by_citizen.values():
        for index, message in enumerate(messages):
            earlier = [m for m in messages[:index] if message.created_at - m.created_at <= window]
            match = _most_alike(earlier, message.title, message.content)
            first[message.id] = (first[match.id] or match.id) if match else None
            if first[message.id] != message.repeat_of_id:
                links[message.id] = first[message.id]
                days |= message_days(
                    message.created_at, message.closed_at, deadlines=[message.due_at]
                )
    store.messages.save_repeat_links(links, days)
    return len(links)


def relink_across_regions() -> int:
    """Link again, by the rule of one region, each repeat linked to a message of another
    region (before repeats kept to one region): to the first of its matter among its
    citizen's messages of its own region, or to none. Oldest first, so that an earlier repeat
    is set right before a later one is linked through it. Returns how many were linked again."""
    window = timedelta(days=current_app.config["REPEAT_WINDOW_DAYS"])
    crossing = store.messages.fetch_linked_across_regions()
    for message in crossing:
        earlier = store.messages.fetch_same_citizen(
            message.citizen_ref,
            message.contact_phone,
            message.region_code,
            message.created_at - window,
            message.created_at,
        )
        match = _most_alike(earlier, message.title, message.content)
        days = message_days(message.created_at, message.closed_at, deadlines=[message.due_at])
        store.messages.save_repeat_links(
            {message.id: (match.repeat_of_id or match.id) if match else None}, days
        )
    return len(crossing)


def _most_alike(earlier: list[Message], title: str, content: str) -> Message | None:
    """The earlier message most alike, if alike enough to be the same matter."""
    threshold = current_app.config["REPEAT_SIMILARITY"]
    text = f"{title}\n{content}"
    scored = [(same_matter_score(text, f"{m.title}\n{m.content}"), m) for m in earlier]
    score, match = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return match if score >= threshold else None
