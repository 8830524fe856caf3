"""How every page words sizes and remaining time: template filters available in all templates (settings builtins)."""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()

DAY = 86400
HOUR = 3600


@register.filter
def time_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """还剩 N 天 until the deadline in whole days, counted down (5 days and 3 hours is 还剩 5 天: nobody is told they
    have more time than they do); 还剩 N 小时 / N 分钟 on its last day; 已截止 from the deadline on."""
    if deadline is None:
        return ""
    seconds = (deadline - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return "已截止"
    if seconds >= DAY:
        return f"还剩 {int(seconds // DAY)} 天"
    if seconds >= HOUR:
        return f"还剩 {int(seconds // HOUR)} 小时"
    if seconds >= 60:
        return f"还剩 {int(seconds // 60)} 分钟"
    return "还剩不足 1 分钟"


@register.filter
def waited(since: datetime | None, now: datetime | None = None) -> str:
    """已等待 N 天 since a moment, counted down (whole days passed); 不足 1 天 on its first day."""
    if since is None:
        return ""
    days = int(((now or timezone.now()) - since).total_seconds() // DAY)
    return f"已等待 {days} 天" if days >= 1 else "已等待不足 1 天"


@register.filter
def file_size(size: int | None) -> str:
    """A file's size as officials read it: 615 B is 0.6 KB, 1,572,864 B is 1.5 MB (1 KB = 1024 B, one decimal;
    from 1000 KB on in MB, so no size reads 1024.0 KB)."""
    if size is None:
        return ""
    kilobytes = round(max(size, 0) / 1024, 1)
    if kilobytes < 1000:
        return f"{kilobytes:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
