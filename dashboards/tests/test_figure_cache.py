"""A part is computed once for what it depends on; after a change a page may show the scope's last one, stale, with
its time, and computes the current one once it has been sent; one process at a time computes a part."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from dashboards import figure_cache
from dashboards.figure_cache import FigureCache, key

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
SCOPE = "scope-of-包头"  # the scope's name: what was last computed for it is kept under this


class Computation:
    """A part's computation that counts its calls and returns `value`."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.fixture
def at(monkeypatch):
    """at(when): the cache records parts as computed at `when`."""

    def at(when):
        monkeypatch.setattr(figure_cache.timezone, "now", lambda: when)

    return at


@pytest.fixture
def computed_on_monday(at):
    """The scope's statistics were computed on Monday, under the fingerprint "monday"."""
    at(MONDAY)
    FigureCache().get("monday", SCOPE, Computation({"mean": 100}))
    at(TUESDAY)


def test_a_part_is_computed_once_for_what_it_depends_on():
    compute = Computation({"mean": 100})
    assert FigureCache().get("monday", SCOPE, compute) == {"mean": 100}
    assert FigureCache().get("monday", SCOPE, compute) == {"mean": 100}
    assert compute.calls == 1


def test_an_empty_result_is_cached_too():
    compute = Computation({})  # a scope with no application has no statistics: still an answer
    FigureCache().get("nothing", SCOPE, compute)
    FigureCache().get("nothing", SCOPE, compute)
    assert compute.calls == 1


def test_after_a_change_a_page_that_allows_it_shows_the_last_part_with_its_time(computed_on_monday):
    parts = FigureCache(stale_ok=True)
    compute = Computation({"mean": 120})
    assert parts.get("tuesday", SCOPE, compute) == {"mean": 100}
    assert compute.calls == 0
    assert parts.stale and parts.computed_at == MONDAY


def test_a_refresh_computes_the_current_part_for_the_next_view(computed_on_monday):
    parts = FigureCache(stale_ok=True)
    compute = Computation({"mean": 120})
    parts.get("tuesday", SCOPE, compute)
    parts.refresh()
    assert compute.calls == 1 and not parts.stale
    assert FigureCache().get("tuesday", SCOPE, Computation("never asked")) == {"mean": 120}
    # … and it is now the scope's last, with its time, for the view after the next change
    later = FigureCache(stale_ok=True)
    assert later.get("wednesday", SCOPE, Computation("not yet")) == {"mean": 120}
    assert later.computed_at == TUESDAY


def test_a_download_never_shows_a_stale_part(computed_on_monday):
    compute = Computation({"mean": 120})
    parts = FigureCache()
    assert parts.get("tuesday", SCOPE, compute) == {"mean": 120}
    assert compute.calls == 1 and not parts.stale and parts.computed_at is None


def test_a_scope_never_computed_is_computed_before_it_is_shown(computed_on_monday):
    parts = FigureCache(stale_ok=True)
    compute = Computation({"mean": 80})
    assert parts.get("tuesday", "scope-of-鄂尔多斯", compute) == {"mean": 80}
    assert compute.calls == 1 and not parts.stale


def test_several_stale_parts_are_as_old_as_the_oldest(at):
    at(TUESDAY)
    FigureCache().get("rows-tuesday", f"{SCOPE}:rows", Computation(["row"]))
    at(MONDAY)
    FigureCache().get("stats-monday", f"{SCOPE}:stats", Computation({"mean": 100}))
    parts = FigureCache(stale_ok=True)
    parts.get("stats-wednesday", f"{SCOPE}:stats", Computation({}))
    parts.get("rows-wednesday", f"{SCOPE}:rows", Computation([]))
    assert parts.computed_at == MONDAY


def test_a_part_another_process_is_computing_is_not_computed_twice(computed_on_monday):
    parts = FigureCache(stale_ok=True)
    compute = Computation({"mean": 120})
    parts.get("tuesday", SCOPE, compute)
    cache.add("tuesday:computing", True)  # another process claimed it
    parts.refresh()
    assert compute.calls == 0
    assert FigureCache(stale_ok=True).get("tuesday", SCOPE, compute) == {"mean": 100}  # still the last


def test_a_failed_refresh_leaves_the_part_to_the_next_view():
    FigureCache().get("monday", SCOPE, Computation({"mean": 100}))
    parts = FigureCache(stale_ok=True)

    def broken():
        raise RuntimeError("数据库连接中断")

    parts.get("tuesday", SCOPE, broken)
    with pytest.raises(RuntimeError):
        parts.refresh()
    compute = Computation({"mean": 120})  # the claim was given back: the next view's refresh computes it
    next_view = FigureCache(stale_ok=True)
    next_view.get("tuesday", SCOPE, compute)
    next_view.refresh()
    assert compute.calls == 1


def test_a_key_names_everything_it_was_given_and_nothing_else():
    assert key("figures", "cluster-2024", [1, 2]) == key("figures", "cluster-2024", [1, 2])
    assert key("figures", "cluster-2024", [1, 2]) != key("figures", "cluster-2024", [2, 1])
    assert key("figures", "cluster-2024", [1, 2]) != key("rows", "cluster-2024", [1, 2])
    assert key("figures", "集群" * 500).startswith("dashboards:figures:") and len(key("figures", "集群" * 500)) < 100
