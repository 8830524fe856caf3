"""Fixtures for the review workflow: the 自治区, an expert, and an application at each review stage."""

import pytest
from django.utils import timezone

from accounts.models import Role
from reviews import experts, initial_review
from tests import factories


@pytest.fixture
def department(db):
    return factories.user(Role.DEPARTMENT, full_name="自治区审核员")


@pytest.fixture
def expert(db):
    """An expert from 呼和浩特 (150100): not excluded by rule from a 包头 (150200) application."""
    return factories.user(Role.EXPERT, region_code="150100", affiliation="内蒙古工业大学", full_name="周明远")


@pytest.fixture
def recommended(media, call, bureau):
    """A complete 包头 application, site-visited and recommended by `bureau`: 待自治区受理."""
    app = factories.submitted_application("150200")
    findings = "集群企业生产经营正常，申报数据与现场核实一致。"
    photos = [factories.upload("现场.png")]
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟、刘芳", findings, photos)
    initial_review.recommend(app, bureau, "经初审和实地核实，同意推荐。", factories.upload("推荐文件.pdf"))
    app.refresh_from_db()
    return app


@pytest.fixture
def under_review(recommended, department, expert):
    """`recommended`, accepted by `department` with `expert` assigned: 专家评审中, the expert yet to declare."""
    experts.assign(recommended, department, [expert])
    recommended.refresh_from_db()
    return recommended
