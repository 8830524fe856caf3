import pytest

from regions.models import Region

GB_T_2260 = {
    "150100": "呼和浩特市",
    "150200": "包头市",
    "150300": "乌海市",
    "150400": "赤峰市",
    "150500": "通辽市",
    "150600": "鄂尔多斯市",
    "150700": "呼伦贝尔市",
    "150800": "巴彦淖尔市",
    "150900": "乌兰察布市",
    "152200": "兴安盟",
    "152500": "锡林郭勒盟",
    "152900": "阿拉善盟",
    "150781": "满洲里市",
    "152501": "二连浩特市",
}


@pytest.mark.django_db
def test_the_twelve_leagues_and_cities_and_two_recommending_cities_exist_with_their_codes():
    assert dict(Region.objects.values_list("code", "name")) == GB_T_2260
    assert Region.objects.filter(kind=Region.Kind.LEAGUE_CITY).count() == 12


@pytest.mark.django_db
def test_manzhouli_and_erenhot_recommend_on_their_own_within_their_league():
    manzhouli = Region.objects.get(code="150781")
    erenhot = Region.objects.get(code="152501")
    assert manzhouli.kind == erenhot.kind == Region.Kind.DIRECT_CITY
    assert manzhouli.parent.name == "呼伦贝尔市"
    assert erenhot.parent.name == "锡林郭勒盟"
    assert erenhot.bureau_name == "二连浩特市工业和信息化局"


@pytest.mark.django_db
def test_region_list_counts_registrations_by_status(client, make_user, make_organisation):
    make_organisation("150200")
    make_organisation("150200", status="pending")
    client.force_login(make_user("department"))
    regions = {r.code: r for r in client.get("/regions/").context["regions"]}
    assert (regions["150200"].approved, regions["150200"].pending, regions["150500"].approved) == (1, 1, 0)
