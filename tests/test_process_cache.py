"""Values kept per process (shenbao.lib.process_cache): the security policy and the 盟市 names."""

import pytest

from regions import names
from regions.models import Region
from shenbao.lib.process_cache import PerProcess


def test_a_kept_value_is_loaded_once_until_forgotten():
    loads = []
    kept = PerProcess(lambda: loads.append(1) or len(loads), seconds=3600)
    assert kept.get() == kept.get() == 1
    kept.forget()
    assert kept.get() == 2


def test_a_value_older_than_its_seconds_is_loaded_again():
    loads = []
    kept = PerProcess(lambda: loads.append(1) or len(loads), seconds=0)
    assert [kept.get(), kept.get()] == [1, 2]


@pytest.mark.django_db
def test_a_renamed_region_is_seen_at_once_in_the_process_that_renamed_it(django_capture_on_commit_callbacks):
    assert names.current()["150200"] == "包头市"
    with django_capture_on_commit_callbacks(execute=False) as at_commit:
        region = Region.objects.get(code="150200")
        region.name = "包头市（测试）"
        region.save()
        assert names.current()["150200"] == "包头市（测试）"  # this transaction sees its own change
    assert names.forget in at_commit  # …and the copy is dropped again when it commits


def test_the_shared_names_cannot_be_changed_by_a_caller(db):
    with pytest.raises(TypeError):
        names.current()["150200"] = "别的名称"
