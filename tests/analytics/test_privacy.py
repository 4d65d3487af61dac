import random
import re
import time

import pytest

from analytics.privacy import _HALF_WIDTH, is_id_card_number, mask_text, passes_luhn
from tests.analytics.masking_corpus import ORDINARY, PERSONAL
from tests.support import shared_data


def make_id_card_number(rng: random.Random) -> str:
    """A resident ID with a real birth date and a valid check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    body = f"3601{rng.randint(0, 99):02d}{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def make_bank_card_number(rng: random.Random) -> str:
    """A 16- or 19-digit number that passes the Luhn check."""
    digits = "62" + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((13, 16))))
    for check in "0123456789":
        if passes_luhn(digits + check):
            return digits + check
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678", "电话138****5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("座机0791-86123456", "座机0791-****3456"),
        ("邮箱zhangsan@qq.com", "邮箱z***@qq.com"),
        ("车牌赣A12345", "车牌赣A****5"),
        ("住丰和中大道188号5栋2单元301室", "住丰和中大道***号*栋*单元***室"),
        ("身份证11010519491231002X", "身份证110***********002X"),
        ("卡号6222 0212 3456 7894", "卡号6222 **** **** 7894"),
        ("单号6222 0212 3456 7895", "单号6222 0212 3456 7895"),  # fails Luhn: not a card
        ("卡号6222 0212 3456 7895", "卡号6222 **** **** 7895"),  # called a card: masked
        ("身份证36010219900101123X", "身份证360***********123X"),
        ("身份证360102199001011234", "身份证360***********1234"),  # wrong check digit, still an ID
        ("卡号4111 1111 1111 1111", "卡号4111 **** **** 1111"),
        ("电话：１３８１２３４５６７８", "电话：138****5678"),  # typed full-width
        ("身份证 360102 19900101 1234", "身份证 360*** ******** 1234"),  # in its groups
        ("微信wx13812345678", "微信wx138****5678"),
        ("tel:13812345678", "tel:138****5678"),
    ],
)
def test_personal_information_is_masked_readably(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "两次拨打12345市民热线",
        "2019年2月28日上午10点",
        "总价502550元，月供23000元",
        "三室两厅，3室2厅1卫",
        "地铁8号线和1号窗口",
        "〔2018〕53号文",
        "违法代码：16250",
        "房间里有2个人",
        "订单号20261125123456789012",  # 20 digits
        "流水号990105194912310021",  # no province starts with 99
    ],
)
def test_ordinary_numbers_stay_readable(text):
    assert mask_text(text) == text


@pytest.mark.parametrize(("text", "secrets"), PERSONAL, ids=[text for text, _ in PERSONAL])
def test_no_written_form_of_personal_data_survives_masking(text, secrets):
    masked = mask_text(text)
    assert [secret for secret in secrets if secret in masked] == [], masked


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_numbers_of_the_corpus_stay_as_written(text):
    assert mask_text(text) == text


def test_the_corpus_holds_every_written_form_and_its_secrets_name_their_row():
    assert len(PERSONAL) >= 100
    for text, secrets in PERSONAL:
        as_read = text.translate(_HALF_WIDTH)  # full-width digits come back half-width
        assert secrets and all(s in text or s in as_read for s in secrets), text
        others = [other for other, _ in PERSONAL if other != text] + list(ORDINARY)
        others += [other.translate(_HALF_WIDTH) for other in others]
        assert not [s for s in secrets if s.isdigit() and len(s) < 7], text
        # a secret must not be found in another row's text, or a leak would name the wrong row
        assert not [s for s in secrets if any(s in other for other in others)], text


def test_masking_keeps_the_edges_that_make_a_datum_legible():
    assert mask_text("15011223344 15155667788") == "150****3344 151****7788"
    assert mask_text("132.8888.9999") == "132.****.9999"
    assert mask_text("电话一三八一二三四五六七八") == "电话一三八****五六七八"
    assert mask_text("卡号6217 0012 3456 7891 237") == "卡号6217 **** **** ***1 237"
    assert mask_text("车牌赣 A 75319") == "车牌赣 A ****9"
    assert mask_text("住在12-3-501") == "住在**-*-***"
    assert mask_text("邮箱是张三丰@例子.中国") == "邮箱是张***@例子.中国"


@pytest.mark.parametrize("written", ["1 " * 5000, "12-" * 1600])
def test_a_long_written_number_is_masked_in_time_linear_in_its_length(written):
    started = time.perf_counter()
    mask_text(written)
    # linear: well under 0.2 s; read run by run over all the groups, as at first, 40 s or more
    assert time.perf_counter() - started < 10


def test_id_card_numbers_need_a_real_date_and_check_digit():
    assert is_id_card_number("11010519491231002X")
    assert not is_id_card_number("11010519491331002X")  # month 13


def test_a_lone_contact_number_is_masked_and_none_stays_none():
    assert mask_text("13812345678") == "138****5678"
    assert mask_text(None) is None and mask_text("") == ""


def test_planted_personal_data_never_survives_masking_in_real_messages():
    from openpyxl import load_workbook

    sheet = load_workbook(shared_data("teddy2020/附件4.xlsx"), read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    column = next(rows).index("留言详情")
    texts = [" ".join(str(row[column]).split()) for row in rows if row[column]][:600]
    rng = random.Random(12345)
    for text in texts:
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
        id_card, card = make_id_card_number(rng), make_bank_card_number(rng)
        cut = rng.randint(0, len(text))
        planted = f"{text[:cut]}我的电话{phone}，身份证{id_card}，银行卡{card}。{text[cut:]}"
        masked = mask_text(planted)
        for secret in (phone, id_card, card, phone[3:7], id_card[6:14], card[4:-4]):
            assert secret not in masked, (secret, masked)
        # masking replaces characters of data, never the words around them
        unmasked = mask_text(text)
        assert len(unmasked) == len(text)
        datum = r"[0-9A-Za-z*０-９Ａ-Ｚａ-ｚ＋－＠+@-]"  # full-width ones come back half-width
        assert re.sub(datum, "", unmasked) == re.sub(datum, "", text)
