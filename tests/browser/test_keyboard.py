"""An applicant fills and saves part of a section with the keyboard alone — Tab, Shift+Tab, typing, Enter —
and each element it lands on shows the focus ring (static/css/shenbao.css: 3px solid, ink on the page,
yellow on the blue header)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from applications.models import Application
from tests import factories
from tests.browser.conftest import as_user

NAME = "包头稀土新材料集群"
FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '', href: e.getAttribute('href') || '',
          text: e.textContent.trim(), outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`}; }"""
RING = "solid 3px rgb(31, 41, 51)"  # #1f2933, the ring on the light page


@pytest.fixture
def draft(page):
    factories.open_call()
    applicant = factories.user(Role.APPLICANT)
    return factories.application(applicant), applicant


def tab_to(page, matches, key="Tab", limit=80):
    """Press Tab (or Shift+Tab) until the focused element matches; what is focused then."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            return focused
    raise AssertionError(f"{key} {limit} times never reached the element; last focused: {focused}")


def test_an_applicant_fills_and_saves_a_field_with_the_keyboard_alone_seeing_where_the_focus_is(page, draft):
    app, applicant = draft
    as_user(page, applicant)
    page.goto(f"{page.base_url}{reverse('applications:overview', args=[app.pk])}")

    link = tab_to(page, lambda f: f["href"].endswith("/section/cover/"))
    assert link["outline"] == RING
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/section/cover/")

    field = tab_to(page, lambda f: f["name"] == "cluster_name")
    assert field["outline"] == RING
    page.keyboard.type(NAME)
    # Past the field and back: Shift+Tab returns to it, and leaving it loses nothing typed.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] != "cluster_name"
    tab_to(page, lambda f: f["name"] == "cluster_name", key="Shift+Tab")
    page.keyboard.press("Enter")  # Enter in a field saves the section (autosave.js), it never posts the form
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^已保存"), timeout=10_000)

    page.reload()
    expect(page.locator('input[name="cluster_name"]')).to_have_value(NAME)
    assert Application.objects.get(pk=app.pk).data["cluster_name"] == NAME


def test_the_skip_link_is_the_first_stop_and_the_header_shows_a_yellow_ring(page, draft):
    app, applicant = draft
    as_user(page, applicant)
    page.goto(f"{page.base_url}{reverse('applications:section', args=[app.pk, 'cover'])}")
    first = tab_to(page, lambda f: True, limit=1)
    assert first["text"] == "跳到正文" and first["outline"] == RING
    # On the blue header an ink ring would not show: yellow, #ffbf47.
    assert tab_to(page, lambda f: f["text"] == "修改密码")["outline"] == "solid 3px rgb(255, 191, 71)"
    tab_to(page, lambda f: f["text"] == "跳到正文", key="Shift+Tab")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
