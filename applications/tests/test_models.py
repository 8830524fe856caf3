"""The application's querysets: its latest submitted version for a whole list, and the groups of states."""

import pytest

from applications.models import Application, Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_list_reads_each_applications_latest_submitted_version_in_its_own_one_query(media, call):
    once = factories.submitted_application("150200")
    twice = factories.resubmit(factories.submitted_application("150600"), {"cluster_name": "鄂尔多斯新名称"})
    draft = factories.application()

    rows = Application.objects.with_latest_version("number", "data").values(
        "pk", "latest_version_number", "latest_version_data"
    )
    with_latest = {row["pk"]: (row["latest_version_number"], row["latest_version_data"]) for row in rows}

    assert with_latest[once.pk] == (1, once.latest_version.data)
    assert with_latest[twice.pk] == (2, twice.latest_version.data)
    assert with_latest[twice.pk][1]["cluster_name"] == "鄂尔多斯新名称"
    assert with_latest[draft.pk] == (None, None)


def test_the_latest_version_of_one_record_is_its_highest_numbered(media, call):
    app = factories.resubmit(factories.submitted_application(), {"cluster_name": "新名称"})
    assert app.latest_version.number == 2 and app.latest_version.data["cluster_name"] == "新名称"
    assert factories.application().latest_version is None


def test_the_querysets_filter_by_the_groups_of_states(media, call):
    draft = factories.application()
    submitted = factories.submitted_application()
    returned = factories.submitted_application("150600")
    Application.objects.filter(pk=returned.pk).update(status=Status.RETURNED)
    recommended = factories.submitted_application("150800")
    Application.objects.filter(pk=recommended.pk).update(status=Status.RECOMMENDED)

    assert set(Application.objects.editable()) == {draft, returned}
    assert set(Application.objects.exclude_drafts()) == {submitted, returned, recommended}
    assert set(Application.objects.recommended()) == {recommended}
