"""Per-address limits on what a visitor may do in a window (register, send an 异议): counters in Django's
cache, and a decision that says in Chinese when to try again.

A window opens at an address's first counted request and lasts `window`; its count starts at zero again
when it ends. The window's start is kept in the cache and the count under a key naming that start, so a
new window can never inherit an old count, and the count itself is an atomic add/incr (atomic across
processes with Redis; the local-memory cache is per process, so one server's workers each count on
their own — several servers need REDIS_URL, docs/deployment.md). `now` is an argument, so tests move
the clock instead of sleeping.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int  # requests counted in the current window, this one included when it was counted
    limit: int
    retry_at: datetime | None  # when the window ends; None while allowed
    message: str  # the Chinese sentence to show when refused; "" while allowed

    def __bool__(self):
        return self.allowed


class Throttle:
    """At most `limit` counted requests per address in `window`. `doing` names the action in the refusal:
    Throttle("register", 3, timedelta(hours=1), doing="注册") → 本地址注册过于频繁，请于 14:05 后再试。"""

    def __init__(self, scope: str, limit: int, window: timedelta, *, doing: str):
        if limit < 1 or window <= timedelta(0):
            raise ValueError("A throttle needs a limit of 1 or more and a positive window.")
        self.scope, self.limit, self.window, self.doing = scope, limit, window, doing

    def hit(self, address: str, now: datetime | None = None) -> Decision:
        """Count one request from `address`; refused once the count passes the limit."""
        now = now or timezone.now()
        start = self._open_window(address, now) or self._new_window(address, now)
        count_key = self._count_key(address, start)
        cache.add(count_key, 0, timeout=self._timeout)
        try:
            count = cache.incr(count_key)
        except ValueError:  # evicted between add and incr: this request opens the count again
            cache.set(count_key, 1, timeout=self._timeout)
            count = 1
        return self._decision(start, count, now, allowed=count <= self.limit)

    def check(self, address: str, now: datetime | None = None) -> Decision:
        """Whether one more may be counted, counting nothing (e.g. accounts made: counted only on success)."""
        now = now or timezone.now()
        start = self._open_window(address, now)
        count = cache.get(self._count_key(address, start), 0) if start is not None else 0
        return self._decision(start, count, now, allowed=count < self.limit)

    def first_refusal(self, address: str, decision: Decision) -> bool:
        """True for the first refusal of an address's window, False for the repeats: the caller records one
        audit entry per address and window, so a flood of refused requests cannot flood the log too."""
        if decision.allowed or decision.retry_at is None:
            return False
        key = f"{self._start_key(address)}:refused:{decision.retry_at.timestamp():.6f}"
        return cache.add(key, True, timeout=self._timeout)

    def _start_key(self, address):
        return f"throttle:{self.scope}:{address}"

    def _count_key(self, address, start):
        return f"{self._start_key(address)}:{start.timestamp():.6f}"

    def _open_window(self, address, now):
        """The start of the address's window if one is open at `now` (a start later than now — a clock
        moved back — counts as over, so it cannot hold a window open), else None."""
        start = cache.get(self._start_key(address))
        return start if start is not None and start <= now < start + self.window else None

    def _new_window(self, address, now):
        key = self._start_key(address)
        if cache.add(key, now, timeout=self._timeout):  # of simultaneous first requests, one opens it
            return now
        start = cache.get(key)
        if start is not None and start <= now < start + self.window:
            return start  # another request opened it just now
        cache.set(key, now, timeout=self._timeout)  # the old one had ended
        return now

    @property
    def _timeout(self):
        return int(self.window.total_seconds()) + 60  # a little past the window: its end is decided here

    def _decision(self, start, count, now, *, allowed):
        if allowed:
            return Decision(True, count, self.limit, None, "")
        retry_at = start + self.window  # refused only inside an open window, so start is set
        return Decision(False, count, self.limit, retry_at, self.refusal(retry_at, now))

    def refusal(self, retry_at: datetime, now: datetime) -> str:
        local = timezone.localtime(retry_at)
        today = timezone.localtime(now).date()
        # Rounded up to the minute: "after 14:05" must not let someone in at 14:04:30 and refuse them.
        shown = local + timedelta(minutes=1) if local.second or local.microsecond else local
        when = f"{shown:%H:%M}" if shown.date() == today else f"{shown.month}月{shown.day}日 {shown:%H:%M}"
        return f"本地址{self.doing}过于频繁，请于 {when} 后再试。"
