"""Every page words remaining time, waiting time and file sizes one way (shenbao/lib/display.py)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines

from shenbao.lib.display import file_size, time_left, waited

TEMPLATES = settings.BASE_DIR / "templates"
NOW = datetime(2024, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("until", "words"),
    [
        (timedelta(days=30), "还剩 30 天"),
        (timedelta(days=30, seconds=-1), "还剩 29 天"),
        (timedelta(days=5, hours=3), "还剩 5 天"),
        (timedelta(days=1), "还剩 1 天"),
        (timedelta(days=1, seconds=-1), "还剩 23 小时"),
        (timedelta(hours=1), "还剩 1 小时"),
        (timedelta(hours=1, seconds=-1), "还剩 59 分钟"),
        (timedelta(minutes=1), "还剩 1 分钟"),
        (timedelta(seconds=59), "还剩不足 1 分钟"),
        (timedelta(0), "已截止"),
        (timedelta(seconds=-1), "已截止"),
    ],
)
def test_time_left_counts_whole_days_down_and_says_deadline_passed_at_the_deadline(until, words):
    assert time_left(NOW + until, now=NOW) == words


@pytest.mark.parametrize(
    ("ago", "words"),
    [
        (timedelta(hours=23, minutes=59), "已等待不足 1 天"),
        (timedelta(days=1), "已等待 1 天"),
        (timedelta(days=2, hours=23), "已等待 2 天"),
    ],
)
def test_waited_counts_whole_days_passed(ago, words):
    assert waited(NOW - ago, now=NOW) == words


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (0, "0.0 KB"),
        (615, "0.6 KB"),
        (1024, "1.0 KB"),
        (int(999.94 * 1024), "999.9 KB"),
        (int(999.95 * 1024) + 1, "1.0 MB"),
        (1024 * 1024, "1.0 MB"),
        (int(1.5 * 1024 * 1024), "1.5 MB"),
    ],
)
def test_file_size_is_in_kb_below_one_mb_and_in_mb_from_it(size, words):
    assert file_size(size) == words


def test_the_filters_need_no_load_tag_in_any_template():
    rendered = (
        engines["django"]
        .from_string("{{ size|file_size }} {{ none|time_left }}|{{ none|waited }}")
        .render({"size": 615, "none": None})
    )
    assert rendered == "0.6 KB |"


def test_every_page_writes_dates_one_way():
    """Pages print 2024-05-31 and 2024-05-31 17:00 (with seconds where the second matters, a time alone for a
    moment later today); official documents keep 2024年5月31日 in their own code, not in page templates."""
    allowed = {"Y-m-d", "Y-m-d H:i", "Y-m-d H:i:s", "H:i", "H:i:s"}
    used = {
        (path.relative_to(TEMPLATES).as_posix(), fmt)
        for path in TEMPLATES.rglob("*.html")
        for fmt in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no date in any template"
    assert {(path, fmt) for path, fmt in used if fmt not in allowed} == set()
