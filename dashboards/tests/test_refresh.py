"""After a submission or a review step the dashboard answers at once with the figures it last computed for the
same scope, saying when they were computed, and computes them afresh once the page is sent; downloads and
the live counts never wait for that."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from applications.models import Application, Status
from dashboards import figures
from dashboards.tests.conftest import OUTPUT
from dashboards.tests.test_views import footer_values, page, sheet_rows, table_numbers, workbook
from documents.tests.submitted import submitted

NOTICE = "正在重新统计"


def output_mean(html):
    return footer_values(html, "group-1", "平均值")[2]


@pytest.fixture
def seen(client, department, spread):
    """The 自治区 has opened its dashboard once: 4 applications, 3 with an output, averaging 200.58."""
    client.force_login(department)
    html = page(client)
    assert output_mean(html) == "200.58" and NOTICE not in html
    return spread


def test_after_a_submission_the_next_view_shows_the_last_figures_with_their_time(client, seen, call):
    submitted(call, "150600", cluster_name="鄂尔多斯新集群", **{OUTPUT: "598.25"})
    html = page(client)
    assert output_mean(html) == "200.58"  # as last computed …
    assert NOTICE in html and "统计于" in html  # … and said to be so
    assert "共 5 份申报" in html  # the counts above are live


def test_the_figures_are_computed_afresh_once_that_page_is_sent(client, seen, call):
    submitted(call, "150600", cluster_name="鄂尔多斯新集群", **{OUTPUT: "598.25"})
    page(client)  # the test client closes the response as a WSGI server does, which runs the refresh
    html = page(client)
    assert output_mean(html) == "300.00" and NOTICE not in html


def test_a_review_step_shows_the_last_rows_then_the_new_states(client, seen):
    Application.objects.filter(pk=seen["baotou"].pk).update(status=Status.RECOMMENDED)
    assert NOTICE in page(client)
    html = page(client)
    assert NOTICE not in html and html.count("待自治区受理") >= 3  # both 包头 rows and 鄂尔多斯 recommended


def test_a_download_after_a_submission_has_the_new_figures_at_once(client, seen, call):
    new = submitted(call, "150600", cluster_name="鄂尔多斯新集群", **{OUTPUT: "598.25"})
    response = client.get(reverse("dashboards:download", args=["group-1"]), {"sort": "number"})
    _, rows = sheet_rows(workbook(response))
    assert new.number in [row[0] for row in rows]


def test_a_scope_seen_for_the_first_time_is_computed_before_it_is_shown(client, seen, call):
    submitted(call, "150600", cluster_name="鄂尔多斯新集群", **{OUTPUT: "598.25"})
    ordos = seen["ordos"].lead_region
    html = page(client, region=ordos.pk)  # this filter was never computed: nothing older to show
    assert NOTICE not in html and len(table_numbers(html, "group-1")) == 2


def test_figures_another_process_is_computing_are_not_computed_twice(client, seen, call, monkeypatch):
    submitted(call, "150600", cluster_name="鄂尔多斯新集群", **{OUTPUT: "598.25"})
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)  # every claim is someone else's
    page(client)
    assert NOTICE in page(client)  # nobody here computed them
    monkeypatch.undo()
    page(client)
    assert NOTICE not in page(client)


def test_a_refresh_that_fails_is_logged_and_the_page_was_still_sent(client, seen, call, monkeypatch, caplog):
    submitted(call, "150600", cluster_name="鄂尔多斯新集群", **{OUTPUT: "598.25"})

    def broken(self):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(figures.FigureTable, "refresh", broken)
    with caplog.at_level(logging.ERROR, logger="dashboards.views"):
        html = page(client)
    assert output_mean(html) == "200.58" and NOTICE in html
    assert "refreshing the dashboard's figures after the response failed" in caplog.text
