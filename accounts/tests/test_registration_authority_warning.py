"""The 盟市's registration review warns (never refuses) when the 统一社会信用代码 was registered elsewhere."""

import pytest
from django.urls import reverse

from accounts.models import Organisation, Role
from tests import factories

pytestmark = pytest.mark.django_db

HOHHOT_SENTENCE = "该统一社会信用代码的登记机关代码为 150100（呼和浩特市），与所选盟市包头市不一致，请核实。"


def pending(region_code, area):
    return factories.organisation(
        region_code, status=Organisation.Status.PENDING, credit_code=factories.credit_code(area)
    )


def test_the_reviewer_is_warned_of_a_code_registered_in_another_league(client, bureau):
    organisation = pending("150200", "150100")
    client.force_login(bureau)
    page = client.get(reverse("accounts:organisation_detail", args=[organisation.pk])).content.decode()
    assert HOHHOT_SENTENCE in page
    assert "仅为提示，不影响审核结论" in page


def test_the_warning_does_not_stop_the_approval(client, bureau):
    organisation = pending("150200", "150100")
    client.force_login(bureau)
    url = reverse("accounts:organisation_detail", args=[organisation.pk])
    assert client.post(url, {"decision": "approve", "reason": ""}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.APPROVED


def test_a_code_of_a_district_of_the_chosen_league_gives_no_warning(client, bureau):
    organisation = pending("150200", "150203")  # 昆都仑区
    client.force_login(bureau)
    page = client.get(reverse("accounts:organisation_detail", args=[organisation.pk])).content.decode()
    assert "登记机关代码" not in page


@pytest.mark.parametrize(
    ("chosen", "area", "warned"),
    [
        ("150781", "150781", False),  # 满洲里市 registered by its own authority
        ("150781", "150702", True),  # 满洲里市 chosen, registered in 海拉尔区 (呼伦贝尔)
        ("150700", "150781", True),  # 呼伦贝尔 chosen, registered in 满洲里市, which recommends on its own
        ("152501", "152501", False),  # 二连浩特市
        ("152500", "152501", True),
        ("152501", "152502", True),  # 二连浩特 chosen, registered in 锡林浩特市
    ],
)
def test_the_county_level_cities_that_recommend_on_their_own_are_their_own_unit(client, chosen, area, warned):
    organisation = pending(chosen, area)
    client.force_login(factories.user(Role.BUREAU, region_code=chosen))
    page = client.get(reverse("accounts:organisation_detail", args=[organisation.pk])).content.decode()
    assert ("登记机关代码为 " + area in page) is warned


def test_the_organisation_list_marks_the_code_to_check(client, bureau):
    elsewhere, here = pending("150200", "150100"), pending("150200", "150202")
    client.force_login(bureau)
    page = client.get(reverse("accounts:organisation_list")).content.decode()
    assert page.count("登记机关代码为") == 1
    assert HOHHOT_SENTENCE in page
    assert elsewhere.name in page and here.credit_code in page
