"""The dashboards' fixtures: a few submitted applications to check by hand, and many made in bulk (bench/summary.py)."""

import pytest

from applications.models import Status
from documents.tests.submitted import submitted

OUTPUT = "output__2023"  # 集群总产值 in the call's last year: the first group's third column


@pytest.fixture
def spread(call):
    """Four applications in three 盟市 and three states, with outputs chosen to check by hand."""
    return {
        "baotou": submitted(call, status=Status.SUBMITTED, cluster_name="包头稀土新材料集群", **{OUTPUT: "100.25"}),
        "baotou_2": submitted(
            call,
            status=Status.RECOMMENDED,
            cluster_name="包头装备制造集群",
            industry_type="第三产业",
            **{OUTPUT: "200.50"},
        ),
        "ordos": submitted(
            call, "150600", status=Status.RECOMMENDED, cluster_name="鄂尔多斯煤化工集群", **{OUTPUT: "301.00"}
        ),
        "tongliao": submitted(
            call, "150500", status=Status.UNDER_REVIEW, cluster_name="通辽铝基新材料集群", **{OUTPUT: "无"}
        ),
    }


@pytest.fixture
def generate(monkeypatch):
    """generate(n) -> (call, ids): bulk_create skips the signal that indexes a new version's figures, so rebuild."""
    # bench/summary.py points SHENBAO_VAR_DIR at a throwaway folder when imported: undone after the test.
    monkeypatch.delenv("SHENBAO_VAR_DIR", raising=False)
    from applications.models import Version
    from bench.summary import generate as bulk_generate
    from dashboards import store

    def generate(n):
        call, ids = bulk_generate(n)
        store.rebuild(Version.objects.filter(application_id__in=ids))
        return call, ids

    return generate
