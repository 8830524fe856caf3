"""盟市初审 through the pages: the 实地核实 record and 推荐, with bad input answered next to the form."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import Application, Status
from regions.models import Region
from reviews.models import Recommendation, SiteVisit
from tests import factories


@pytest.fixture
def app(media, call):
    return factories.submitted_application("150200")


@pytest.fixture
def signed_in(client, bureau):
    client.force_login(bureau)
    return client


def visit(client, app, **fields):
    data = {"visited_on": timezone.localdate().isoformat(), "people": "张伟、刘芳", "findings": "现场数据属实。"}
    data.update(fields)
    return client.post(reverse("reviews:site_visit", args=[app.pk]), data)


def recommend(client, app, sealed=None, opinion="经初审和实地核实，同意推荐。"):
    data = {"opinion": opinion}
    if sealed is not None:
        data["sealed_file"] = sealed
    return client.post(reverse("reviews:recommend", args=[app.pk]), data)


def test_the_lead_bureau_records_a_site_visit_with_photos(signed_in, app):
    photos = [factories.upload("现场1.png"), factories.upload("现场2.png")]
    response = visit(signed_in, app, photos=photos)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:detail", args=[app.pk])
    record = SiteVisit.objects.get(application=app)
    assert record.version == app.latest_version and record.people == "张伟、刘芳"
    assert sorted(p.original_name for p in record.photos.all()) == ["现场1.png", "现场2.png"]
    page = signed_in.get(response["Location"]).content.decode()
    assert "已记录实地核实情况" in page and "现场1.png" in page
    assert "已记录对本版（第1版）申报材料的实地核实，可以推荐" in page


def test_a_site_visit_without_findings_is_refused_and_keeps_what_was_typed(signed_in, app):
    response = visit(signed_in, app, findings="", people="王五（调研组）")
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写核实情况" in page and "王五（调研组）" in page
    assert not SiteVisit.objects.exists()


def test_a_site_visit_dated_in_the_future_is_refused_with_the_reason(signed_in, app):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = visit(signed_in, app, visited_on=tomorrow, findings="提前写好的核实情况")
    page = response.content.decode()
    assert response.status_code == 400
    assert "核实日期不能晚于今天" in page and "提前写好的核实情况" in page
    assert not SiteVisit.objects.exists()


def test_a_text_file_is_refused_as_a_site_visit_photo(signed_in, app):
    text = SimpleUploadedFile("现场.jpg", "不是照片".encode())
    response = visit(signed_in, app, photos=[text])
    assert response.status_code == 400
    assert "纯文本文件" in response.content.decode()
    assert not SiteVisit.objects.exists()


def test_recommending_without_a_site_visit_is_refused_with_the_message(signed_in, app):
    response = recommend(signed_in, app, factories.upload("推荐文件.pdf"), opinion="同意推荐，材料齐全。")
    page = response.content.decode()
    assert response.status_code == 400
    assert "推荐前须先记录对本版申报材料的实地核实情况" in page
    assert "同意推荐，材料齐全。" in page
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED
    assert not Recommendation.objects.exists()


def test_recommending_after_a_site_visit_with_a_sealed_pdf_moves_the_application_on(signed_in, app):
    visit(signed_in, app)
    response = recommend(signed_in, app, factories.upload("推荐文件（盖章）.pdf"))
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).status == Status.RECOMMENDED
    sealed = Recommendation.objects.get(application=app)
    assert sealed.original_name == "推荐文件（盖章）.pdf" and sealed.version == app.latest_version
    page = signed_in.get(response["Location"]).content.decode()
    assert "已推荐至自治区工业和信息化厅" in page
    assert reverse("reviews:recommend", args=[app.pk]) not in page


def test_a_sealed_scan_as_png_is_accepted(signed_in, app):
    visit(signed_in, app)
    assert recommend(signed_in, app, factories.upload("推荐文件.png")).status_code == 302
    assert Application.objects.get(pk=app.pk).status == Status.RECOMMENDED


@pytest.mark.parametrize(
    "sealed, message",
    [
        (SimpleUploadedFile("推荐文件.pdf", factories.PNG_1PX), "内容实际是PNG 图片"),
        (SimpleUploadedFile("推荐文件.pdf", "这不是PDF".encode()), "纯文本文件"),
    ],
)
def test_a_renamed_or_fake_sealed_file_is_refused(signed_in, app, sealed, message):
    visit(signed_in, app)
    response = recommend(signed_in, app, sealed, opinion="同意推荐。")
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "同意推荐。" in page
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED
    assert not Recommendation.objects.exists()


def test_recommending_without_the_sealed_file_is_refused(signed_in, app):
    visit(signed_in, app)
    response = recommend(signed_in, app)
    assert response.status_code == 400
    assert "请上传盖章的推荐文件" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_after_the_deadline_recommending_is_refused_with_the_deadline(signed_in, app, call):
    visit(signed_in, app)
    call.recommend_deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    response = recommend(signed_in, app, factories.upload("推荐文件.pdf"))
    assert response.status_code == 400
    assert "推荐截止时间" in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["participating", "department"])
def test_only_the_lead_bureau_may_record_a_visit_or_recommend(client, app, who):
    if who == "participating":
        tongliao = factories.submitted_application("150500")
        tongliao.participating_regions.add(Region.objects.get(code="150200"))
        target, user = tongliao, factories.user(Role.BUREAU, region_code="150200")
    else:
        target, user = app, factories.user(Role.DEPARTMENT)
    client.force_login(user)
    assert visit(client, target).status_code == 403
    assert recommend(client, target, factories.upload("推荐文件.pdf")).status_code == 403
    assert not SiteVisit.objects.exists() and not Recommendation.objects.exists()


def test_another_regions_bureau_gets_not_found(client, app):
    client.force_login(factories.user(Role.BUREAU, region_code="150500"))
    assert visit(client, app).status_code == 404
    assert recommend(client, app, factories.upload("推荐文件.pdf")).status_code == 404
    assert not SiteVisit.objects.filter(application=app).exists()
    assert not Recommendation.objects.filter(application=app).exists()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_the_pages_only_accept_posts(signed_in, app):
    assert signed_in.get(reverse("reviews:site_visit", args=[app.pk])).status_code == 405
    assert signed_in.get(reverse("reviews:recommend", args=[app.pk])).status_code == 405
