from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from calls import deadlines
from calls.models import DeadlineExtension
from regions.models import Region
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_stage_closes_at_its_deadline_to_the_second():
    now = timezone.now()
    assert not deadlines.passed(now + timedelta(seconds=1), now)
    assert deadlines.passed(now, now)
    assert not deadlines.passed(None, now)


def test_an_extension_gives_only_its_own_region_more_time(call):
    department = factories.user(Role.DEPARTMENT)
    later = call.recommend_deadline + timedelta(days=3)
    DeadlineExtension.objects.create(
        call=call,
        region=Region.objects.get(code="150200"),
        recommend_until=later,
        reason="核实延期",
        granted_by=department,
    )
    assert deadlines.recommend_deadline(call, Region.objects.get(code="150200")) == later
    assert deadlines.recommend_deadline(call, Region.objects.get(code="150500")) == call.recommend_deadline


def test_the_timetable_lists_every_stage_in_order(call):
    labels = [s.label for s in deadlines.stages(call)]
    assert labels == ["申报单位提交", "盟市推荐", "自治区受理", "专家评审"]
