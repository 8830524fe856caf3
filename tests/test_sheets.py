"""Every list the platform exports (shenbao/lib/sheets.py) prints the same way: paper, titles, area, properties."""

import io
from datetime import UTC, datetime

from django.conf import settings
from openpyxl import load_workbook

from shenbao.lib.sheets import NOTE_FONT, TITLE_FONT, StreamedSheet

A4, A3 = 9, 8  # Excel's paperSize codes
MM_PER_CHARACTER = 7 * 25.4 / 96  # a column of width w is w × 7 + 5 pixels at 96 dpi
A4_LANDSCAPE_PRINTABLE_MM = 297 - 2 * 0.75 * 25.4


def written(sheet):
    return load_workbook(io.BytesIO(sheet.save().read()))


def small_sheet(**options):
    sheet = StreamedSheet("清单", [6, 20, 30], heading_row=3, **options)
    sheet.banner("测试清单", TITLE_FONT)
    sheet.banner("说明", NOTE_FONT)
    sheet.headings(["序号", "名称", "备注"])
    for n in range(1, 6):
        sheet.values([n, f"第{n}项", ""], [0, None, None])
    return sheet


def test_a_sheet_carries_its_title_the_platform_as_creator_and_when_it_was_made():
    now = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    properties = written(small_sheet(now=now)).properties
    assert properties.title == "测试清单"
    assert properties.creator == settings.PLATFORM_NAME
    assert properties.created == datetime(2024, 5, 6, 7, 8, 9)


def test_a_sheet_prints_its_headings_on_every_page_within_an_area_over_what_was_written():
    sheet = written(small_sheet())["清单"]
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.print_area == "'清单'!$A$1:$C$8"
    assert sheet.freeze_panes == "D4"
    assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) == (A4, "landscape")


def test_a_narrow_sheet_fits_one_page_wide_and_a_wide_one_spreads_over_pages_at_a_readable_size():
    narrow = written(small_sheet())["清单"]
    assert (narrow.page_setup.fitToWidth, narrow.page_setup.fitToHeight) == (1, 0)
    assert narrow.print_title_cols is None

    widths = [6, 21, 24] + [13] * 40  # about 1.9 m of columns: one A4 page would print them at ~14 %
    wide = written(StreamedSheet("宽表", widths, heading_row=3))["宽表"]
    pages = wide.page_setup.fitToWidth
    total_mm = sum(w * MM_PER_CHARACTER + 5 * 25.4 / 96 for w in widths)
    assert pages > 1 and total_mm / pages <= A4_LANDSCAPE_PRINTABLE_MM / 0.6
    assert wide.print_title_cols == "$A:$C"  # 序号, 申报编号, the name on every page across


def test_a_heading_row_is_tall_enough_for_its_wrapped_text():
    sheet = StreamedSheet("清单", [6, 8, 30], heading_row=1)
    sheet.headings(["序号", "二〇二三年集群总产值（亿元）", "备注"])  # 28 units in a column 8 wide: 4 lines
    sheet.values([1, "短", ""], [0, None, None])
    rows = written(sheet)["清单"].row_dimensions
    assert rows[1].height >= 4 * 13  # four lines of 10 pt text
    assert rows[2].height is None  # a one-line row keeps Excel's own height


def test_every_value_of_a_row_sits_level_with_the_others():
    """A tall row (wrapped text beside it) keeps its 序号 and figures in the middle, not at the bottom."""
    sheet = written(small_sheet())["清单"]
    row = sheet[4]
    assert [cell.alignment.vertical for cell in row] == ["center", "center", "center"]
