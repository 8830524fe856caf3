"""What a figure table computed, cached under exactly what it depends on; after a change, shown stale while it is
computed afresh.

Each part (the statistics, a page of rows) is stored twice. Under its fingerprint — a key naming
everything it was computed from (dashboards.figures.FigureTable says what) — it is found exactly as
long as that is unchanged. Under its scope's name, with the time it was computed, it is the scope's
last result whatever has changed since: a page that allows it (`stale_ok`, the dashboard) shows that
after a change and says when it was computed, and `refresh` computes the current one once the page
has been sent (dashboards.views.RefreshAfterResponse). One process at a time computes a part.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone

# Bump when what is cached changes shape or meaning (4: Stats moved to dashboards.statistics, so older
# pickles name a class that is gone); an hour bounds what a renamed 盟市 could leave behind.
CACHE_FORMAT = 4
CACHE_SECONDS = 3600
# How long one process may take to compute a stale part before another may start on it too.
REFRESH_CLAIM_SECONDS = 120


def key(*named):
    """A cache key for what `named` (plain values) names: hashed, so any length and any text make a valid key."""
    return f"dashboards:figures:{hashlib.sha256(repr((CACHE_FORMAT, *named)).encode()).hexdigest()}"


class FigureCache:
    """The parts one figure table read: found, computed, or (`stale_ok`) the scope's last, to `refresh` later."""

    def __init__(self, stale_ok=False):
        self.stale_ok = stale_ok
        self.computed_at = None  # when the oldest stale part shown was computed; None when all are current
        self._stale = {}  # key -> (last_key, compute)

    def get(self, key, last_key, compute):
        """The part under `key`, else the scope's last under `last_key` if stale is ok, else `compute()`d and stored."""
        found = cache.get(key)
        if found is not None:
            return found
        if self.stale_ok and (last := cache.get(last_key)) is not None:
            computed_at, found = last
            self._stale[key] = (last_key, compute)
            self.computed_at = min(computed_at, self.computed_at or computed_at)
            return found
        return _store(key, last_key, compute)

    @property
    def stale(self):
        """Whether something shown was computed before the latest change to what it depends on."""
        return bool(self._stale)

    def refresh(self):
        """Compute afresh what was shown stale, unless another process already is: the next view is current."""
        for key, (last_key, compute) in self._stale.items():
            claim = f"{key}:computing"
            if not cache.add(claim, True, REFRESH_CLAIM_SECONDS):
                continue
            try:
                _store(key, last_key, compute)
            finally:
                cache.delete(claim)
        self._stale = {}


def _store(key, last_key, compute):
    found = compute()
    cache.set(key, found, CACHE_SECONDS)
    cache.set(last_key, (timezone.now(), found), CACHE_SECONDS)
    return found
