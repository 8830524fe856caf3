"""An application's own figures on its review pages: three-year trends and its rank among the call's submissions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications import submission
from applications.models import Application, Status
from dashboards.application_figures import figures_for
from reviews import experts, initial_review
from reviews.models import ExpertReview
from tests import factories

pytestmark = pytest.mark.usefixtures("steady_query_counts")  # counted queries

CARD = "主要指标趋势与排名"
OUTPUT = {"output__2021": "1056.30", "output__2022": "1263.80", "output__2023": "1402.60"}


def trend(figures, key):
    return next(t for t in figures.trends if t.id == f"trend-{key}")


def standing_of(figures, key):
    return next(s for s in figures.standing if s.figure.key == key)


def expert_page(review):
    return reverse("reviews:expert_review", args=[review.pk])


def page_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def three(media, call):
    """Three submitted applications of the call, 集群总产值 2023 of 1500.00, 1402.60 (包头) and 900.00 亿元."""
    higher = factories.submitted_application("150100", data={"output__2023": "1500.00"})
    baotou = factories.submitted_application("150200", data=OUTPUT)
    lower = factories.submitted_application("150500", data={"output__2023": "900.00"})
    return higher, baotou, lower


def test_the_trends_are_the_latest_versions_figures_not_the_draft(bureau, media, call):
    app = factories.submitted_application("150200", data=OUTPUT)
    initial_review.return_for_revision(app, bureau, "请核实产值。")
    app = Application.objects.get(pk=app.pk)
    app.data = {**app.data, "output__2022": "1300.00", "output__2023": "1450.00"}
    app.save()
    submission.submit(app, app.organisation.users.get(role=Role.APPLICANT), revision_note="已按退回意见修改。")
    Application.objects.filter(pk=app.pk).update(data={**app.data, "output__2023": "9999.00"})

    figures = figures_for(app, app.latest_version)

    assert figures.version_number == 2
    output = trend(figures, "output")
    assert output.config["labels"] == ["2021年", "2022年", "2023年"]
    assert output.config["datasets"][0]["data"] == [1056.3, 1300.0, 1450.0]
    assert output.config["unit"] == "亿元" and output.title == "集群总产值（亿元）"
    assert standing_of(figures, "output").value == Decimal("1450.00")


def test_a_figure_answered_with_none_is_a_gap_in_its_chart_and_has_no_rank(media, call):
    app = factories.submitted_application("150200", data={"fdi_growth__2022": "无", "export_growth__2023": "无"})

    figures = figures_for(app, app.latest_version)

    assert trend(figures, "fdi_growth").config["datasets"][0]["data"] == [5.2, None, 7.8]
    assert trend(figures, "fdi_growth").config["type"] == "line"
    assert standing_of(figures, "export_growth").rank is None


def test_only_per_year_figures_get_a_trend_and_each_chart_id_is_unique(media, call):
    app = factories.submitted_application("150200")
    figures = figures_for(app, app.latest_version)
    ids = [t.id for t in figures.trends]
    assert len(ids) == len(set(ids)) == sum(1 for s in figures.standing if s.figure.per_year)
    assert "trend-output" in ids and "trend-patents_per_10k" not in ids


def test_the_card_ranks_the_application_among_the_calls_submitted_applications(client, bureau, three):
    _, baotou, _ = three
    factories.application(data={**baotou.data, "output__2023": "8000.00"})  # a draft never counts

    figures = figures_for(baotou, baotou.latest_version)
    output = standing_of(figures, "output")
    assert (output.rank, output.count, output.percentile) == (2, 3, 50)

    page = page_of(client, bureau, reverse("reviews:detail", args=[baotou.pk]))
    card = page[page.index(CARD) : page.index('id="section-')]
    assert "2023年数值" in card and "在本批次已提交申报中的排名" in card
    row = card[card.index("集群总产值") :]
    assert row.index("1402.60") < row.index("第 <strong>2</strong> / 3 名") < row.index("不低于 50% 的其他申报")
    values = card[card.index('class="trend-values"', card.index('id="trend-output"')) :]
    values = values[: values.index("</table>")]
    assert values.index("2021年") < values.index("1056.30") < values.index("1263.80") < values.index("1402.60")


def test_a_bureau_reviewer_sees_the_card_with_its_charts_and_the_chart_scripts(client, bureau, three):
    _, baotou, _ = three
    page = page_of(client, bureau, reverse("reviews:detail", args=[baotou.pk]))
    assert CARD in page
    assert 'data-chart="trend-output"' in page and '<script id="trend-output" type="application/json">' in page
    assert "js/charts.js" in page and "vendor/chart-" in page
    # The card sits in the version's card, after its documents and before its sections.
    assert page.index("申请报告 PDF") < page.index(CARD) < page.index('id="section-')


def test_a_participating_bureau_sees_the_rank_of_an_application_it_reads(client, three):
    higher, _, _ = three
    participant = factories.user(Role.BUREAU, region_code="150100")
    page = page_of(client, participant, reverse("reviews:detail", args=[higher.pk]))
    assert CARD in page and "第 <strong>1</strong> / 3 名" in page


@pytest.fixture
def recommended(media, call, bureau):
    """A complete 包头 application, site-visited and recommended by its 盟市: ready for experts."""
    app = factories.submitted_application("150200")
    photos = [factories.upload("现场.png")]
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟", "核实无误。", photos)
    initial_review.recommend(app, bureau, "同意推荐。", factories.upload("推荐文件.pdf"))
    return app


def test_an_expert_who_declared_sees_the_card_and_an_undeclared_expert_sees_nothing(client, recommended):
    department = factories.user(Role.DEPARTMENT)
    expert = factories.user(Role.EXPERT, region_code="150100", affiliation="内蒙古工业大学")
    other = factories.user(Role.EXPERT, region_code="150300", affiliation="内蒙古大学")
    experts.assign(recommended, department, [expert, other])
    declared = ExpertReview.objects.get(application=recommended, expert=expert)
    undeclared = ExpertReview.objects.get(application=recommended, expert=other)

    before = page_of(client, other, expert_page(undeclared))
    assert "利益冲突声明" in before
    assert CARD not in before and "trend-output" not in before and "1402.60" not in before
    assert "js/charts.js" not in before
    client.force_login(expert)
    assert client.get(expert_page(undeclared)).status_code == 404  # another expert's task

    client.post(reverse("reviews:expert_declare", args=[declared.pk]), {"choice": "none", "statement": ""})
    page = page_of(client, expert, expert_page(declared))
    assert CARD in page and 'data-chart="trend-output"' in page and "js/charts.js" in page
    assert 'href="#figures"' in page
    assert "第 <strong>1</strong> / 1 名" in page and "暂无其他申报填报此项" in page


def test_the_review_page_costs_the_same_queries_for_10_or_40_submitted_applications(client, bureau, media, generate):
    _, ids = generate(40)
    app = factories.submitted_application("150200")
    extra = Application.objects.filter(pk__in=ids[10:])
    statuses = dict(extra.values_list("pk", "status"))
    url = reverse("reviews:detail", args=[app.pk])
    client.force_login(bureau)
    client.get(url)  # warm the session and the schema cache

    extra.update(status=Status.DRAFT)  # drafts never count: 10 others
    with CaptureQueriesContext(connection) as small:
        page = client.get(url).content.decode()
    assert "/ 11 名" in page
    for pk, status in statuses.items():
        Application.objects.filter(pk=pk).update(status=status)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "/ 41 名" in page

    assert len(large) == len(small)
