"""Autosave fuzzed: whatever body arrives, the stored record is unchanged or every value in it is in stored form.

"Stored form" is what calls.schema.values.normalise makes of a value: normalising it again gives it
back unchanged, so every later reader (the rules, the documents, the workbook) sees a value shaped
as the schema says. The record check (calls.schema.report.validate) must run on the result, and the
endpoint must answer 200, 400 or 409, never a server error.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.autosave import saveable_cells
from applications.models import Application
from applications.records import report_of
from calls.schema import load_schema
from calls.schema.values import normalise
from tests.hostile.support import post_autosave, stored

settings.register_profile(
    "hostile",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile("hostile")

CELL_NAMES = sorted(saveable_cells(load_schema("cluster_2024", 2024)))  # the call the `draft` fixture uses
HOSTILE_TEXT = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0", "无", "1e400", "-0", "１２．５", "\x00\ufeff", ""]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
cell_values = (
    json_values
    | st.sampled_from(HOSTILE_TEXT)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str)
    | st.lists(st.text(max_size=10) | st.dictionaries(st.sampled_from(["level1", "name", "x"]), st.text(max_size=5)))
)
well_formed = st.fixed_dictionaries(
    {
        "version": st.integers(min_value=-1, max_value=3),
        "changes": st.dictionaries(st.sampled_from(CELL_NAMES), cell_values, max_size=5),
    },
    optional={"force": st.lists(st.sampled_from(CELL_NAMES), max_size=2)},
)
bodies = well_formed | json_values | st.binary(max_size=40)


@pytest.fixture
def fuzzed(signed_in, draft):
    return signed_in, draft, Application.objects.filter(pk=draft.pk).values("data", "cell_versions").get()


@FUZZ
@given(body=bodies)
def test_whatever_autosave_receives_the_stored_record_stays_in_schema_form(fuzzed, body):
    client, draft, start = fuzzed
    Application.objects.filter(pk=draft.pk).update(edit_version=0, **start)  # each example starts afresh
    before = stored(draft)
    response = post_autosave(client, draft, body if isinstance(body, bytes) else json.dumps(body))
    assert response.status_code in {200, 400, 409}, response.content[:300]
    if stored(draft) == before:
        return
    assert response.status_code == 200
    app = Application.objects.select_related("call").get(pk=draft.pk)
    cells = app.call.schema.cells
    for name, value in app.data.items():
        if name in cells and value != start["data"].get(name):
            assert normalise(cells[name], value) == value, name
    report_of(app)  # the record check runs on whatever was stored
