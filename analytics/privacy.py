"""Masking of personal information in free text (Personal Information Protection Law).

Officials and analysts read citizens' messages with phone numbers, ID-card and bank-card
numbers, e-mail addresses, licence plates and house-number-level addresses masked; only the
handling department sees the original. The masked text stays readable: the kind of datum and
its edges are kept (``138****5678``), and ordinary numbers are left alone (dates, amounts, the
12345 hotline, metro lines, room counts such as 3室2厅, document numbers such as 53号文).

Numbers are read as people write them: in groups joined by spaces (any Unicode space, U+3000
included), dashes, dots or brackets (132.8888.9999, 138 1234 5678, 1 3 8 1 …), after +86 or
0086, in Chinese numerals (一三八…, 幺 for 1, 〇/零 for 0), and several side by side
(15011223344 15155667788). A written number is split into the data it holds at the joins
between its groups, so that what stands next to a datum (a second phone, a count) does not
hide it.

>>> mask_text("我叫张三，电话13812345678，住红谷滩区丰和中大道188号5栋2单元301室")
'我叫张三，电话138****5678，住红谷滩区丰和中大道***号*栋*单元***室'
>>> mask_text("15222334455-15366778899，身份证360103198107074518 1份")
'152****4455-153****8899，身份证360***********4518 1份'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date

MASK = "*"

#: The digits as written in Chinese: everyday (一三八), 幺 for 1 as said over the phone,
#: 〇/零/○ for 0, and the financial forms (壹贰叁).
_CHINESE_DIGITS = {
    **{ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")},
    **{ch: str(i) for i, ch in enumerate("零壹贰叁肆伍陆柒捌玖")},
    "幺": "1", "○": "0", "貳": "2", "陸": "6",
}  # fmt: skip
_CHINESE_DIGIT = "[" + "".join(_CHINESE_DIGITS) + "]"
_ASCII_DIGIT = "[0-9]"
_ANY_DIGIT = "[0-9" + "".join(_CHINESE_DIGITS) + "]"
# What joins the groups of a written number: up to three of spaces (every Unicode space: \s
# covers U+3000 and U+00A0), dashes, dots, middle dots and brackets.
_JOIN = r"[\s\-‐‑‒–—―.．·•()（）_/]{1,3}"


def _written_numbers(digit: str) -> re.Pattern:
    # A group may end in the X of an ID; the X is the ID's check character, not a letter.
    group = rf"{digit}+(?:[Xx](?![A-Za-z]))?"
    return re.compile(rf"{group}(?:{_JOIN}{group})*")


#: ASCII digits first, then Chinese numerals, then numbers written in both (138一二三四5678).
_WRITTEN_NUMBERS = tuple(_written_numbers(d) for d in (_ASCII_DIGIT, _CHINESE_DIGIT, _ANY_DIGIT))
_GROUP = re.compile(rf"{_ANY_DIGIT}+[Xx]?")

# A 12-19 digit number that the text itself calls a card or an account.
_NAMED_CARD = re.compile(
    r"((?:卡号|银行卡|账号|帐号|卡)(?:号码)?\s*[:：为是]?\s*)(\d{4}(?:[ -]?\d{2,4}){2,4})"
    r"(?![0-9A-Za-z])"
)
# First two digits of the province-level codes (GB/T 2260) that open an ID.
_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 "
    "65 71 81 82".split()
)
# E-mail addresses, their local parts and domains in any script (张三@例子.中国), the dots
# typed full-width or not. A local part written in Chinese runs into the words before it: the
# words that introduce an address (邮箱是, 发到) are not part of it.
_CJK_TLDS = (
    "中国|中國|公司|网络|網絡|在线|网址|网店|商城|商店|集团|企业|信息|手机|移动|香港|台湾|台灣|"
    "新加坡|我爱你|游戏|娱乐|广东|佛山|政务|公益"
)
_EMAIL = re.compile(r"([\w.%+-]+)(@(?:[\w-]+[.．])+(?:[A-Za-z]{2,}|" + _CJK_TLDS + r"))")
_EMAIL_LEAD = re.compile(
    r".*(?:邮箱|邮件|电邮|邮址|地址|email|e-mail|mail|发到|发至|发送至|发送到|联系)"
    r"(?:号|地址)?[是为：:]?",
    re.IGNORECASE,
)
# Licence plates: a province's character, the city's letter (either case), 5 (or 6,
# new-energy) characters with at least two digits (so 新iPhone is no plate), spaces allowed.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(
    rf"(?<![A-Za-z0-9])([{_PROVINCES}][\s·•-]?[A-Za-z])([\s·•-]?)"
    r"((?=(?:[A-Za-z]*[0-9]){2})[A-Za-z0-9]{4,5})([A-Za-z0-9挂学警港澳])(?![A-Za-z0-9])"
)
# House-number-level addresses: the numbers of a road's or a compound's house, a building, a
# unit, a room, and rooms written building-unit-room (12-3-501).
_ROAD_NUMBER = re.compile(
    r"([路街巷弄道村组园苑寓厦庄]|小区|社区|园区|校区|广场|公馆|大院|别墅|新城|商城|花城|华府)"
    r"(\d+)(?=号)(?!号线|号文)"
)
_BUILDING = re.compile(r"(\d+)(?=(?:号楼|栋|幢|单元))")
_ROOM = re.compile(r"(?<![0-9])(\d{3,4})(?=室|房(?!间))|(?<=单元)(\d{3,4})(?![0-9])")
_BUILDING_UNIT_ROOM = re.compile(r"(?<![0-9.\-])(\d{1,3}-\d{1,2}-\d{3,4})(?![0-9]|-[0-9])")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def is_id_card_number(number: str) -> bool:
    """Whether an 18-digit number is a resident ID (GB 11643): a real birth date and the
    ISO 7064 MOD 11-2 check character.

    >>> is_id_card_number("11010519491231002X"), is_id_card_number("110105194912310021")
    (True, False)
    """
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number, _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11] == number[17].upper() and _is_date(number[6:14])


def _is_date(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= date.today().year


def passes_luhn(digits: str) -> bool:
    """The Luhn check that bank-card numbers carry.

    >>> passes_luhn("6222021234567890"), passes_luhn("6222021234567891")
    (False, False)
    >>> passes_luhn("4111111111111111")
    True
    """
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _looks_like_id_card_number(number: str) -> bool:
    # A mistyped ID (a wrong check character) is still someone's ID: a province's code and a
    # real birth date are enough to mask it.
    return is_id_card_number(number) or (
        number[:2] in _PROVINCE_CODES and number[:17].isdigit() and _is_date(number[6:14])
    )


def _is_old_id_card_number(number: str) -> bool:
    # The 15-digit IDs before 1999 carry YYMMDD of a 20th-century birth date at positions 7-12.
    return (
        number.isdigit() and number[:2] in _PROVINCE_CODES and _is_date("19" + number[6:12])
    )


#: How people group a mobile number's 11 digits (after any 86 or 0086): 13812345678,
#: 138 1234 5678, 138 12345678, 1381 2345 678, 1381234 5678, or digit by digit.
_MOBILE_GROUPINGS = frozenset({(11,), (3, 4, 4), (3, 8), (4, 4, 3), (7, 4), (1,) * 11})
_BRACKETS = frozenset("()（）")
#: The most digits a datum has: a 19-digit card (an ID 18, a mobile with 0086 15).
_LONGEST = 19


def _is_mobile(number: str) -> bool:
    return len(number) == 11 and number.isdigit() and number[0] == "1" and number[1] in "3456789"


def _mobile_prefix(groups: list[str], joins: list[str]) -> int | None:
    """How many digits of the written number are a country code (86, 0086) before a mainland
    mobile number written in one of its usual groupings, or None if it is no mobile number.
    The groups of the number proper are joined alike, and not by brackets: 1799（1999-200）
    is no phone."""
    number = "".join(groups)
    for prefix in ("", "86", "0086"):
        if not (number.startswith(prefix) and _is_mobile(number[len(prefix) :])):
            continue
        body, body_joins, skipped = list(groups), list(joins), 0
        while body and skipped + len(body[0]) <= len(prefix):  # +86 138 …: a group of its own
            skipped += len(body.pop(0))
            body_joins = body_joins[1:]
        if skipped < len(prefix):  # +8613812345678: the code runs into the number
            body[0] = body[0][len(prefix) - skipped :]
        if (
            tuple(len(group) for group in body) in _MOBILE_GROUPINGS
            and len(set(body_joins)) <= 1
            and not _BRACKETS.intersection("".join(body_joins))
        ):
            return len(prefix)
    return None


def _hidden_digits(groups: list[str], joins: list[str]) -> range | None:
    """Which digits of a written number (its ``groups`` of digits, and the ``joins`` between
    them) to mask, or None if it is no personal datum. The kind of datum decides what stays
    legible; its groups must be joined alike (an area code apart), as one datum is written."""
    number = "".join(groups)
    prefix = _mobile_prefix(groups, joins)
    if prefix is not None:  # 138 **** 5678: the operator's prefix and the last four stay
        return range(prefix + 3, prefix + 7)
    alike = len(set(joins)) <= 1
    if len(number) == 18 and alike and _looks_like_id_card_number(number):
        return range(3, 14)
    if len(number) == 15 and alike and _is_old_id_card_number(number):
        return range(3, 12)
    if _is_card(groups, joins):
        return range(4, len(number) - 4)
    if 10 <= len(number) <= 12 and number.isdigit() and number[0] == "0" and number[1] != "0":
        # A landline with its area code (010, 02x: three digits; the rest four), which may be
        # bracketed or set apart; bare 7-8 digit numbers are left alone: they cannot be told
        # from amounts and dates.
        area = 3 if number[1] in "12" else 4
        local = len(number) - area
        if (
            7 <= local <= 8
            and (len(groups) == 1 or (len(groups[0]) == area and len(groups) <= 3))
            and len(set(joins[1:])) <= 1
        ):
            return range(area, len(number) - 4)
    return None


def _is_card(groups: list[str], joins: list[str]) -> bool:
    number = "".join(groups)
    return (
        16 <= len(number) <= 19
        and len(set(joins)) <= 1
        and number.isdigit()
        and passes_luhn(number)
        and all(len(group) >= 3 for group in groups)  # not an ID and a count: 3601… 1份
    )


def _in_groups_of_four(groups: list[str]) -> bool:
    return len(groups) >= 3 and all(len(g) == 4 for g in groups[:-1])


def _digits_of(group: str) -> str:
    return "".join(_CHINESE_DIGITS.get(ch, ch) for ch in group)


def _mask_written_number(match: re.Match) -> str:
    """Masks the data a written number holds: the whole of it if it is one, else its runs of
    whole groups, longest first from the left (15011223344 15155667788 is two phones;
    360103198107074518 1 an ID and a count). A number written in groups of four is a card or
    an account, or several cards, and is never read as a landline's parts."""
    written = match.group(0)
    if len(written) < 10 or (match.re is _WRITTEN_NUMBERS[2] and _written_in_one_script(written)):
        return written  # too short to hold a datum, or read already by the passes before
    spans = [(g.start(), g.end()) for g in _GROUP.finditer(written)]
    groups = [_digits_of(written[start:end]) for start, end in spans]
    joins = [written[end:start] for (_, end), (start, _) in itertools.pairwise(spans)]
    in_fours = _in_groups_of_four(groups)
    hidden: set[int] = set()
    first = 0
    while first < len(groups):
        for last in _runs_from(groups, first):
            part, between = groups[first:last], joins[first : last - 1]
            if in_fours and last - first < len(groups) and not _is_card(part, between):
                continue  # 6222 0212 3456 7895 holds no landline: its parts are one number's
            digits = _hidden_digits(part, between)
            if digits is None:
                continue
            positions = [i for start, end in spans[first:last] for i in range(start, end)]
            hidden.update(positions[i] for i in digits)
            first = last
            break
        else:
            first += 1
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(written))


def _runs_from(groups: list[str], first: int) -> list[int]:
    """The ends of the runs of whole groups from ``first`` that are short enough to be one
    datum, longest first: a long written number costs its length, not its square."""
    ends, length = [], 0
    for last in range(first + 1, len(groups) + 1):
        length += len(groups[last - 1])
        if length > _LONGEST:
            break
        ends.append(last)
    return ends[::-1]


def _written_in_one_script(written: str) -> bool:
    has_ascii = any(ch in "0123456789" for ch in written)
    return not has_ascii or not any(ch in _CHINESE_DIGITS for ch in written)


def _keep_edges(text: str, head: int, tail: int) -> str:
    """Mask every digit or letter of ``text`` except the first ``head`` and last ``tail``,
    keeping separators, so that 6222 **** **** 7894 stays legible as a card number."""
    positions = [i for i, ch in enumerate(text) if ch.isalnum()]
    hidden = set(positions[head : len(positions) - tail])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(text))


def _hide(text: str) -> str:
    return "".join(MASK if ch.isalnum() else ch for ch in text)


def _mask_named_card(match: re.Match) -> str:
    # Said to be a card or an account: masked whatever its check digit.
    return match.group(1) + _keep_edges(match.group(2), 4, 4)


def _mask_email(match: re.Match) -> str:
    local = match.group(1)
    lead = ""
    if not local.isascii():
        ascii_tail = re.search(r"[A-Za-z0-9._%+-]+$", local)
        if ascii_tail and ascii_tail.start() > 0:  # 联系我zhangsan@qq.com: the ASCII is the name
            lead, local = local[: ascii_tail.start()], ascii_tail.group(0)
        elif introduced := _EMAIL_LEAD.match(local):
            if introduced.end() < len(local):
                lead, local = local[: introduced.end()], local[introduced.end() :]
    return lead + local[0] + MASK * 3 + match.group(2)


_RULES: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
    *((pattern, _mask_written_number) for pattern in _WRITTEN_NUMBERS),
    (_NAMED_CARD, _mask_named_card),
    (_EMAIL, _mask_email),
    (_PLATE, lambda m: m.group(1) + m.group(2) + _hide(m.group(3)) + m.group(4)),
    (_BUILDING_UNIT_ROOM, lambda m: _hide(m.group(1))),
    (_ROAD_NUMBER, lambda m: m.group(1) + _hide(m.group(2))),
    (_BUILDING, lambda m: _hide(m.group(1))),
    (_ROOM, lambda m: _hide(m.group(0))),
)


#: Full-width digits, letters, + - and @ as Chinese input methods type them (１３８…), read as
#: their ASCII forms; Chinese punctuation (，：（）) is left as it is, unlike NFKC.
_HALF_WIDTH = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                *range(0xFF41, 0xFF5B), 0xFF0B, 0xFF0D, 0xFF20)}
)  # fmt: skip


def mask_text(text: str | None) -> str | None:
    """``text`` with its personal information masked; None and "" stay as they are. Digits and
    letters typed full-width come back half-width: the masking must see them as numbers.

    >>> mask_text("电话：１３８１２３４５６７８")
    '电话：138****5678'
    >>> mask_text("手机一三八一二三四五六七八，0086 132.8888.9999")
    '手机一三八****五六七八，0086 132.****.9999'
    """
    if not text:
        return text
    text = text.translate(_HALF_WIDTH)
    for pattern, replace in _RULES:
        if pattern is not _EMAIL or "@" in text:  # the e-mail pattern is slow to rule out
            text = pattern.sub(replace, text)
    return text
