"""What the demo data says (service/demo loads it): ratings and messages written from the
templates of data.json, for the places of Jiangxi's real regions, as a citizen would write
them: the county named in the text (so that intake finds the region), the words of the
problem's theme (so that the rules place it), a place of the problem's kind (a compound, a
road, a school…) that hot issues are found by. Every draw comes from the ``random.Random``
passed in, so that a seed gives the same texts."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from analytics.places import place_names
from analytics.regions import CITY, PROVINCE_CODE, Division
from service.store.reference import Catalog, RegionIndex, ServiceItemRef
from service.vocabulary import OFFLINE_SUB_SCORES, ONLINE_CHANNELS, ONLINE_SUB_SCORES

DATA_FILE = Path(__file__).with_name("data.json")
#: How many places of each kind a county has at most: enough that two citizens seldom name
#: the same one by chance (a hot issue is planted, not a coincidence), where the names last.
PLACES_PER_COUNTY = 12
#: How much more a city's districts (区) are written from than its counties (县, 市).
DISTRICT_WEIGHT = 2.0
#: A title that starts so says its kind itself; the others get one of the type's frames.
TITLE_VERBS = ("投诉", "反映", "咨询", "请问", "建议", "举报", "表扬", "为", "感谢", "孩子", "想")


def load_texts() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text("utf-8"))


@dataclass(frozen=True)
class MessageDraft:
    """A message as the app would post it (``body``), with what its handling draws on."""

    body: dict[str, Any]
    problem: dict[str, Any]
    city_code: str
    place: str | None


class Writer:
    """Writes ratings and messages for the regions and the catalogue given."""

    def __init__(
        self, regions: RegionIndex, catalog: Catalog, texts: dict[str, Any], seed: int
    ) -> None:
        self.regions, self.catalog, self.texts = regions, catalog, texts
        self.seed = seed
        self.problems = {p["key"]: p for p in texts["problems"]}
        self.cities = [regions.get(code) for code in texts["city_weights"]]
        self.city_weights = list(texts["city_weights"].values())

    # -- where --------------------------------------------------------------------------

    def city(self, rng: random.Random) -> Division:
        return rng.choices(self.cities, self.city_weights)[0]

    def county(self, rng: random.Random, city: Division) -> Division:
        counties = self.regions.children(city.code)
        weights = [DISTRICT_WEIGHT if c.name.endswith("区") else 1.0 for c in counties]
        return rng.choices(counties, weights)[0]

    def ways_to_write(self, code: str) -> tuple[str, ...]:
        """How a citizen writes the region (赣州市章贡区, 章贡区, 赣州章贡区), leaving out
        what hot issues would read as a place that all of the region has in common: 南昌市西湖区
        reads as the place 南昌市西湖, 青山湖区 however written as 青山湖 (none left: the text
        names the city, and the app sends the region's code)."""
        return self._ways[code]

    @cached_property
    def _ways(self) -> dict[str, tuple[str, ...]]:
        ways = {}
        for region in self.regions.divisions.values():
            if region.parent_code is None or region.level == CITY:
                ways[region.code] = (region.name,)
                continue
            city = self.regions.get(region.parent_code)
            written = (city.name + region.name, region.name, city.short_name + region.name)
            ways[region.code] = tuple(w for w in written if not place_names(w))
        return ways

    @cached_property
    def _places(self) -> dict[tuple[str, str], list[str]]:
        """Each county's places of each kind, drawn without repeats within a city (a hot
        issue is one place of one city)."""
        draw = random.Random(f"{self.seed}:places")
        found: dict[tuple[str, str], list[str]] = {}
        for city in self.cities:
            counties = self.regions.children(city.code)
            for kind, parts in self.texts["places"].items():
                names = [s + k for s in parts["stems"] for k in parts["kinds"]]
                draw.shuffle(names)
                # as many as the names go round; past that, a name recurs in the city
                each = max(1, min(PLACES_PER_COUNTY, len(names) // len(counties)))
                for number, county in enumerate(counties):
                    start = number * each % len(names)
                    found[county.code, kind] = (names * 2)[start : start + each]
                found[city.code, kind] = found[counties[0].code, kind]
        return found

    def places(self, region_code: str, kind: str) -> list[str]:
        return self._places[region_code, kind]

    def all_places(self) -> set[str]:
        return {name for names in self._places.values() for name in names}

    # -- messages -----------------------------------------------------------------------

    def problem(self, rng: random.Random) -> dict[str, Any]:
        problems = self.texts["problems"]
        return rng.choices(problems, [p["weight"] for p in problems])[0]

    def message(
        self,
        rng: random.Random,
        problem: dict[str, Any],
        region: Division,
        *,
        place: str | None = None,
        message_type: str | None = None,
    ) -> MessageDraft:
        """A message about ``problem`` in ``region`` (a county or a city), at ``place`` or at
        one of the region's places of the problem's kind."""
        kind = problem["place"]
        if kind != "none" and place is None:
            place = rng.choice(self.places(region.code, kind))
        city = region if region.level == CITY else self.regions.get(region.parent_code)
        ways = self.ways_to_write(region.code)
        fill = {
            "place": place or "",
            "where": rng.choice(ways) if ways else city.name,
            "city": city.name,
            "county": region.name if ways else city.name,
            "town": rng.choice(self.texts["towns"]),
            **{name: rng.choice(values) for name, values in self.texts["specifics"].items()},
        }
        kinds = problem["types"]
        kind_of_message = message_type or rng.choices(list(kinds), list(kinds.values()))[0]
        title = rng.choice(problem["titles"]).format(**fill)
        if not title.startswith(TITLE_VERBS):  # 投诉…, 建议…: as the citizen put it
            title = rng.choice(self.texts["title_frames"][kind_of_message]).format(t=title)
        openers = self.texts["openers"][self.texts["place_openers"][kind]]
        content = (
            rng.choice(openers).format(**fill)
            + rng.choice(problem["facts"]).format(**fill)
            + "，"
            + rng.choice(problem["details"])
            + "。"
            + rng.choice(problem["asks"])
        )
        body = {
            "type": kind_of_message,
            "title": title,
            "content": content,
            "citizen_ref": citizen_ref(rng),
        }
        if rng.random() < 0.8:
            body["contact_phone"] = phone_number(rng)
        if rng.random() < 0.05:
            body["anonymous"] = True
        if rng.random() < 0.02:
            body["confidential"] = True
        if rng.random() < 0.15:  # addressed to a department by the citizen
            body["department_code"] = self.department(rng, problem, city.code)
        if not ways or (rng.random() < 0.1 and region.level != CITY):  # the app's location
            body["region_code"] = region.code
        return MessageDraft(body, problem, city.code, place)

    def repeat(self, rng: random.Random, first: MessageDraft) -> MessageDraft:
        """The same citizen writing about the same matter again (重复件)."""
        shapes = self.texts["repeat"]
        body = dict(first.body)
        body["title"] = rng.choice(shapes["titles"]).format(title=first.body["title"])[:200]
        body["content"] = first.body["content"] + rng.choice(shapes["additions"])
        return MessageDraft(body, first.problem, first.city_code, first.place)

    def department(self, rng: random.Random, problem: dict[str, Any], city_code: str) -> str:
        """The department a message of ``problem`` goes to: the city's own (a suffix), or a
        provincial one (a full code)."""
        choice = rng.choice(problem["departments"])
        code = choice if "-" in choice else f"{city_code}-{choice}"
        return code if code in self.catalog.departments else f"{PROVINCE_CODE}-ZWB"

    def reply(self, rng: random.Random, draft: MessageDraft) -> str:
        text = rng.choice(draft.problem["replies"]).format(place=draft.place or "您反映的地点")
        return "您好，" + text.removeprefix("您好，") + "感谢您的反映和监督。"

    def note(self, rng: random.Random, kind: str) -> str:
        return rng.choice(self.texts["notes"][kind])

    def evaluation_note(self, rng: random.Random, evaluation: str) -> str:
        return rng.choice(self.texts["notes"]["evaluation"][evaluation])

    # -- ratings ------------------------------------------------------------------------

    @cached_property
    def _items_by_city(self) -> dict[str, list[ServiceItemRef]]:
        items: dict[str, list[ServiceItemRef]] = {}
        for item in self.catalog.service_items.values():
            items.setdefault(item.department.region_code, []).append(item)
        return {code: sorted(found, key=lambda i: i.code) for code, found in items.items()}

    def rating(self, rng: random.Random, transaction_id: str) -> dict[str, Any]:
        """A rating as an app, a hall's pad or the hotline would post it."""
        ratings = self.texts["ratings"]
        city = self.city(rng)
        provincial = rng.random() < 0.12
        items = self._items_by_city[PROVINCE_CODE if provincial else city.code]
        weights = [ratings["item_weights"].get(i.code[-3:], 1.0) for i in items]
        item = rng.choices(items, weights)[0]
        channel = rng.choices(list(ratings["channels"]), list(ratings["channels"].values()))[0]
        stars = self.stars(rng, city.code, channel)
        body: dict[str, Any] = {
            "stars": stars,
            "transaction_id": transaction_id,
            "service_item_code": item.code,
            "channel": channel,
            "real_name": rng.random() < 0.35,
        }
        if rng.random() < 0.75:  # rated where it was handled: a county's hall or app user
            body["region_code"] = self.county(rng, city).code
        elif provincial:
            body["region_code"] = city.code
        if rng.random() < ratings["comment_share"][str(stars)]:
            body["comment"] = self.comment(rng, stars, channel)
        if rng.random() < 0.5:
            body["scores"] = sub_scores(rng, stars, channel)
        if rng.random() < 0.7:
            body["citizen_ref"] = citizen_ref(rng)
        if channel in ("app", "mini_program"):
            body["device_id"] = f"dev-{rng.getrandbits(48):012x}"
        return body

    def stars(self, rng: random.Random, city_code: str, channel: str) -> int:
        """Mostly good, as 好差评 data is: the city's share of 差评, some 基本满意."""
        bad = self.texts["city_bad_share"][city_code] * (1.2 if channel == "hotline" else 1.0)
        weights = {1: bad * 0.45, 2: bad * 0.55, 3: 0.09, 4: 0.22}
        weights[5] = 1 - sum(weights.values())
        return rng.choices(list(weights), list(weights.values()))[0]

    def comment(self, rng: random.Random, stars: int, channel: str) -> str:
        comments = self.texts["ratings"]["comments"]
        mistaken = comments["mistaken"].get(str(stars))
        if mistaken and rng.random() < 0.03:  # the wrong star tapped: a contradiction flag
            return rng.choice(mistaken)
        group = "online" if channel in ONLINE_CHANNELS else "offline"
        return rng.choice(comments[group][str(stars)])


def sub_scores(rng: random.Random, stars: int, channel: str) -> dict[str, int]:
    """The sub-indicators of the channel, near the overall stars."""
    names = ONLINE_SUB_SCORES if channel in ONLINE_CHANNELS else OFFLINE_SUB_SCORES
    scores = {name: min(5, max(1, stars + rng.choice((-1, 0, 0, 0, 1)))) for name in names}
    return scores | {"overall": stars}


def citizen_ref(rng: random.Random) -> str:
    """An app's pseudonymous user id."""
    return f"gft{rng.getrandbits(40):010x}"


def phone_number(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
