"""A page reads only its own slice of the rows, and any page number a link may carry still opens a page."""

import pytest

from dashboards.paging import Slices, page_of

ROWS = [f"2024-150200-{i:03d}" for i in range(1, 121)]  # 120 rows: pages of 50, 50 and 20


class Reader:
    """Reads slices of ROWS and remembers which were asked for."""

    def __init__(self):
        self.asked = []

    def __call__(self, offset, limit):
        self.asked.append((offset, limit))
        return ROWS[offset : offset + limit]


def test_a_page_reads_only_its_slice():
    read = Reader()
    page = page_of(len(ROWS), read, "2", 50)
    assert list(page) == ROWS[50:100]
    assert read.asked == [(50, 50)]


def test_the_last_page_reads_what_is_left():
    read = Reader()
    assert list(page_of(len(ROWS), read, "3", 50)) == ROWS[100:]
    assert read.asked == [(100, 20)]


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("", 1), ("0", 3), ("99", 3), (None, 1)])
def test_a_page_number_out_of_range_or_not_a_number_opens_the_first_or_last_page(asked, shown):
    assert page_of(len(ROWS), Reader(), asked, 50).number == shown


def test_no_rows_is_one_empty_page():
    read = Reader()
    page = page_of(0, read, "1", 50)
    assert (page.number, list(page), page.has_next()) == (1, [], False)


def test_rows_are_only_read_a_slice_at_a_time():
    rows = Slices(len(ROWS), Reader())
    assert len(rows) == 120
    with pytest.raises(TypeError):
        rows[3]
    with pytest.raises(TypeError):
        rows[0:10:2]
