"""The live 字数 counter shows the count the server stores and reports (issue 19): an emoji sequence is
one 字, zero-width and other invisible characters are none, and the server strips them on save."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from applications.models import Application
from applications.records import start_application
from calls.schema.values import count_chars
from tests import factories
from tests.browser.conftest import sign_in

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦
# What the counter and the server must agree on, beyond the typed text below.
SAMPLES = [
    "\u200b" * 300 + "字",
    "集群\U0001f3f3\ufe0f\u200d\U0001f308发展",  # rainbow flag
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # tag sequence flag
    "\U0001f44d\U0001f3fd\U0001f44d",  # skin tone, then without
    "e\u0301\u0323 字\ufe00 葛\U000e0100",  # combining marks, variation selectors
    "ᠬᠠᠳ\u180bᠠ\u180eᠠ ᠮ\u200d",  # Mongolian: selector, vowel separator, joiner
    "集群名称\u202etxt.exe\u202c \u2066说明\u2069\u200e\u061c",  # bidirectional controls
    "\u3164\u115f\u1160\uffa0\u00ad\u034f\u2060\ufeff\x7f\u0085",  # fillers, soft hyphen, joiners, controls
    " 第一段\n\n第二段\t\u3000\u00a0\u2028结尾 ",  # whitespace never counts
    "\u1100\u1161\u11a8\uac00",  # Hangul from jamo, and a syllable
    "\u200d\u200d字\u200c",  # joiners alone are no 字
]


@pytest.fixture
def draft(page):
    # Depends on `page` so the reference rows are back and the database is the live server's.
    call = factories.open_call()
    user = factories.user(Role.APPLICANT)
    return start_application(user, call), user


def shown(counter):
    """The number the counter shows (已输入 N / 200 字)."""
    return int(re.match(r"已输入 (\d+) /", counter.inner_text()).group(1))


def wait_saved(page):
    page.evaluate("window.shenbaoAutosave.flush()")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^已保存"), timeout=10_000)


def test_the_live_counter_shows_what_the_server_counts_and_stores(page, draft):
    app, user = draft
    sign_in(page, user.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/applications/{app.pk}/section/industry/")
    field = page.locator('[name="industry_chain"]')
    counter = page.locator('.char-counter[data-counter-for="industry_chain"]')

    # Typed key by key: two 字, zero-width spaces, a family, a flag, a keycap and a word joiner.
    field.press_sequentially("集\u200b\u200b群" + FAMILY + "\U0001f1e8\U0001f1f3" + "1\ufe0f\u20e3" + "\u2060")
    expect(counter).to_have_text("已输入 5 / 200 字")
    wait_saved(page)
    app.refresh_from_db()
    assert app.data["industry_chain"] == "集群" + FAMILY + "\U0001f1e8\U0001f1f31\ufe0f\u20e3"
    assert count_chars(app.data["industry_chain"]) == 5
    expect(field).to_have_value(app.data["industry_chain"])  # the stored form is written back

    # 201 sequences with zero-width spaces between them: the counter and the server's message agree.
    field.fill("\u200b".join([FAMILY] * 201))
    expect(counter).to_have_text("已输入 201 / 200 字，超出 1 字")
    wait_saved(page)
    expect(page.locator('[data-error-for="industry_chain"]')).to_have_text("限200字以内，现有201字，超出1字。")
    assert Application.objects.get(pk=app.pk).data["industry_chain"] == FAMILY * 201

    differences = []
    for sample in SAMPLES:
        field.fill(sample)
        if shown(counter) != count_chars(sample):
            differences.append((sample, shown(counter), count_chars(sample)))
    assert differences == []
    wait_saved(page)
