"""The 盟市 names by code, read by every application check (applications.records): kept per process.

A rename is seen at once in the process that made it (regions/apps.py forgets the copy when the
change commits) and in every other process within `TTL_SECONDS`.
"""

from types import MappingProxyType

from shenbao.lib.process_cache import PerProcess

TTL_SECONDS = 10


def _load():
    from regions.models import Region

    return MappingProxyType(dict(Region.objects.order_by("code").values_list("code", "name")))


_names = PerProcess(_load, TTL_SECONDS)


def current():
    """code -> name of every 盟市, in code order (read-only: the one copy is shared)."""
    return _names.get()


def forget():
    """Drop this process's copy: the next `current()` reads the database."""
    _names.forget()
