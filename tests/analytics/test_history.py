"""The cells of real history exports: times in three shapes, float ids, padded text."""

from datetime import datetime

import pytest

from analytics.history import clean_count, clean_id, clean_text, parse_time


@pytest.mark.parametrize(
    "cell",
    [datetime(2019, 2, 28, 11, 25, 5), "2019/2/28 11:25:05", "2019-02-28 11:25:05", 43524.47575],
)
def test_a_time_in_any_of_its_shapes_is_beijing_time(cell):
    assert parse_time(cell).isoformat() == "2019-02-28T11:25:05+08:00"


def test_a_cell_that_is_no_time_is_refused_by_its_value():
    with pytest.raises(ValueError, match="昨天"):
        parse_time("昨天")


def test_padding_and_blank_lines_are_collapsed_but_paragraphs_kept():
    assert clean_text("\n\t\t\n  小区积水\n\n\t\t严重  影响出行 \n\t") == "小区积水\n严重 影响出行"


def test_ids_that_excel_stored_as_floats_read_as_integers():
    assert clean_id(1234.0) == "1234" and clean_id(" A-7 ") == "A-7" and clean_id(None) is None


def test_counts_are_whole_and_not_negative():
    assert clean_count("12") == 12 and clean_count(3.0) == 3 and clean_count("") is None
    with pytest.raises(ValueError):
        clean_count(-1)


@pytest.mark.parametrize("cell", ["abc", "1e3x", datetime(2024, 3, 5), 2.5, "-3", 2**31, "nan"])
def test_a_count_cell_that_is_no_count_is_refused_by_its_value_as_a_time_is(cell):
    with pytest.raises(ValueError) as refused:
        clean_count(cell)
    assert str(refused.value) == f"not a count: {cell!r}"
