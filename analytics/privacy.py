"""Masking of personal information in free text (Personal Information Protection Law).

Officials and analysts read citizens' messages with phone numbers, ID-card and bank-card
numbers, e-mail addresses, licence plates and house-number-level addresses masked; only the
handling department sees the original. The masked text stays readable: the kind of datum and
its edges are kept (``138****5678``), and ordinary numbers are left alone (dates, amounts, the
12345 hotline, metro lines, room counts such as 3室2厅, document numbers such as 53号文).

>>> mask_text("我叫张三，电话13812345678，住红谷滩区丰和中大道188号5栋2单元301室")
'我叫张三，电话138****5678，住红谷滩区丰和中大道***号*栋*单元***室'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

MASK = "*"

# A datum stands alone: no digit or letter next to it, nor one separator away (so that the
# tail of 6222 0212 3456 7895 is not read as a landline).
_NOT_DIGIT_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9A-Za-z][ -])"
_NOT_DIGIT_AFTER = r"(?![0-9A-Za-z])(?![ -][0-9A-Za-z])"

# Mainland mobile numbers, with an optional +86 and optional spaces or dashes: 138 1234 5678.
# Letters may come right before one (wx13812345678, tel13812345678: a contact all the same).
_MOBILE = re.compile(
    r"(?<![0-9])(?<![0-9][ -])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})" + _NOT_DIGIT_AFTER
)
# Landlines with their area code (0791-86123456, (0791)86123456); bare 7-8 digit numbers are
# not masked, since they cannot be told from amounts and dates.
_LANDLINE = re.compile(
    _NOT_DIGIT_BEFORE + r"(\(?0\d{2,3}\)?[ -]?)(\d{3,4})[ -]?(\d{4})" + _NOT_DIGIT_AFTER
)
# An 18-digit ID, also written in its groups: 360102 19900101 1234 (region, birth date, rest).
_ID_18 = re.compile(_NOT_DIGIT_BEFORE + r"(\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx])" + _NOT_DIGIT_AFTER)
_ID_15 = re.compile(_NOT_DIGIT_BEFORE + r"(\d{15})" + _NOT_DIGIT_AFTER)
# Bank cards: 16-19 digits, possibly in groups of four; only those passing the Luhn check.
_BANK_CARD = re.compile(
    _NOT_DIGIT_BEFORE + r"(\d{4}(?:[ -]?\d{4}){2}[ -]?\d{4,7})" + _NOT_DIGIT_AFTER
)
# A 12-19 digit number that the text itself calls a card or an account.
_NAMED_CARD = re.compile(
    r"((?:卡号|银行卡|账号|帐号|卡)(?:号码)?\s*[:：为是]?\s*)(\d{4}(?:[ -]?\d{2,4}){2,4})"
    + _NOT_DIGIT_AFTER
)
# First two digits of the province-level codes (GB/T 2260) that open an 18-digit ID.
_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 "
    "65 71 81 82".split()
)
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])([A-Za-z0-9._%+-]*)(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# Licence plates: a province's character, the city's letter, 5 (or 6, new-energy) characters.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(
    rf"([{_PROVINCES}][A-HJ-NP-Z])([·• ]?)([A-HJ-NP-Z0-9]{{4,5}})([A-HJ-NP-Z0-9挂学警港澳])"
)
# House-number-level addresses: the numbers of a road's house, a building, a unit, a room.
_ROAD_NUMBER = re.compile(r"(?<=[路街巷弄道村组])(\d+)(?=号)(?!号线|号文)")
_BUILDING = re.compile(r"(\d+)(?=(?:号楼|栋|幢|单元))")
_ROOM = re.compile(r"(?<![0-9])(\d{3,4})(?=室|房(?!间))")

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


def _is_old_id_card_number(number: str) -> bool:
    # The 15-digit IDs before 1999 carry YYMMDD of a 20th-century birth date at positions 7-12.
    return _is_date("19" + number[6:12])


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


def _keep_edges(text: str, head: int, tail: int) -> str:
    """Mask every digit or letter of ``text`` except the first ``head`` and last ``tail``,
    keeping separators, so that 6222 **** **** 7894 stays legible as a card number."""
    positions = [i for i, ch in enumerate(text) if ch.isalnum()]
    hidden = set(positions[head : len(positions) - tail])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(text))


def _hide(text: str) -> str:
    return MASK * len(text)


def _looks_like_id_card_number(number: str) -> bool:
    # A mistyped ID (a wrong check character) is still someone's ID: a province's code and a
    # real birth date are enough to mask it.
    return is_id_card_number(number) or (
        number[:2] in _PROVINCE_CODES and number[:17].isdigit() and _is_date(number[6:14])
    )


def _mask_id(match: re.Match) -> str:
    written = match.group(0)
    number = re.sub("[ -]", "", written)
    if len(number) == 18:
        return _keep_edges(written, 3, 4) if _looks_like_id_card_number(number) else written
    return _keep_edges(written, 3, 3) if _is_old_id_card_number(number) else written


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return _keep_edges(match.group(0), 4, 4) if passes_luhn(digits) else match.group(0)


def _mask_named_card(match: re.Match) -> str:
    # Said to be a card or an account: masked whatever its check digit.
    return match.group(1) + _keep_edges(match.group(2), 4, 4)


def _mask_mobile(match: re.Match) -> str:
    # 138 1234 5678 -> 138 **** 5678: the operator prefix and the last four stay.
    start = match.start(2) - match.start(0)
    end = match.end(2) - match.start(0)
    found = match.group(0)
    return found[:start] + _hide(match.group(2)) + found[end:]


_RULES: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
    (_ID_18, _mask_id),  # IDs before cards: an ID might pass the Luhn check by chance
    (_ID_15, _mask_id),
    (_NAMED_CARD, _mask_named_card),
    (_BANK_CARD, _mask_card),
    (_MOBILE, _mask_mobile),
    (_LANDLINE, lambda m: m.group(1) + _hide(m.group(2)) + m.group(0)[m.end(2) - m.start(0) :]),
    (_EMAIL, lambda m: m.group(1) + MASK * 3 + m.group(3)),
    (_PLATE, lambda m: m.group(1) + m.group(2) + _hide(m.group(3)) + m.group(4)),
    (_ROAD_NUMBER, lambda m: _hide(m.group(1))),
    (_BUILDING, lambda m: _hide(m.group(1))),
    (_ROOM, lambda m: _hide(m.group(1))),
)


#: Full-width digits, letters, + and - as Chinese input methods type them (１３８…), read as
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
    """
    if not text:
        return text
    text = text.translate(_HALF_WIDTH)
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text
