"""A date or time a template prints without a format reads as the pages' own: 2024-05-31, 2024-05-31 17:00."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import engines
from django.utils import formats

MOMENT = datetime(2024, 5, 31, 17, 0, 59, tzinfo=ZoneInfo("Asia/Shanghai"))


def render(text, **context):
    return engines["django"].from_string(text).render(context)


def test_a_date_and_a_moment_print_as_the_pages_print_them_without_a_format():
    assert render("{{ day }}|{{ moment }}", day=date(2024, 5, 1), moment=MOMENT) == "2024-05-01|2024-05-31 17:00"


def test_the_date_filter_without_a_format_and_the_short_formats_agree():
    assert render('{{ day|date }}|{{ moment|date:"SHORT_DATETIME_FORMAT" }}', day=date(2024, 5, 1), moment=MOMENT) == (
        "2024-05-01|2024-05-31 17:00"
    )
    assert render("{{ moment|time }}", moment=MOMENT) == "17:00"


def test_dates_typed_the_usual_chinese_ways_are_still_read():
    assert {"%Y/%m/%d", "%Y-%m-%d"} <= set(formats.get_format("DATE_INPUT_FORMATS"))
