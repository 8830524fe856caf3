"""Honest axes: static/js/charts.js starts every value axis at zero — lines of amounts too — and a chart
that starts elsewhere says so on the chart (纵轴自 N 起). The charts are drawn in a blank page from the
vendored Chart.js and the site's charts.js; no server is needed."""

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static"
OUTPUT = {"label": "集群总产值", "data": [820.4, 1203.15, 1402.6]}  # 亿元, 2021–2023


@pytest.fixture
def charts(browser):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    page.set_content('<div style="height:300px"><canvas id="c"></canvas></div>')
    page.add_script_tag(path=STATIC / "vendor" / "chart-4.6.1.umd.min.js")
    page.add_script_tag(path=STATIC / "js" / "charts.js")
    yield page
    context.close()


def drawn(page, config):
    """The value axis Chart.js draws for `config`: its min, max and the text above the plot."""
    return page.evaluate(
        """config => {
            const chart = new Chart(document.getElementById('c'), shenbaoCharts.build(config));
            const axis = chart.scales[config.horizontal ? 'x' : 'y'];
            const result = {min: axis.min, max: axis.max, subtitle: chart.options.plugins.subtitle.display
                ? chart.options.plugins.subtitle.text : ''};
            chart.destroy();
            return result;
        }""",
        config,
    )


def config(**fields):
    return {"labels": ["2021年", "2022年", "2023年"], "datasets": [OUTPUT], "unit": "亿元", "places": 2, **fields}


def test_a_line_of_amounts_is_drawn_from_zero_not_from_near_its_lowest_value(charts):
    axis = drawn(charts, config(type="line"))
    assert axis["min"] == 0 and axis["max"] >= 1402.6
    assert axis["subtitle"] == ""


def test_bars_of_counts_stacked_or_horizontal_are_drawn_from_zero(charts):
    counts = {"labels": ["包头市", "鄂尔多斯市"], "unit": "份", "places": 0}
    stacked = [{"label": "已提交", "data": [3, 5]}, {"label": "已推荐", "data": [4, 2]}]
    assert drawn(charts, {**counts, "type": "bar", "datasets": stacked, "stacked": True})["min"] == 0
    one = [{"label": "申报份数", "data": [7, 9]}]
    assert drawn(charts, {**counts, "type": "bar", "datasets": one, "horizontal": True})["min"] == 0


def test_a_falling_growth_rate_takes_the_axis_below_zero_and_zero_stays_on_it(charts):
    growth = {"label": "产值增速", "data": [-6.5, -2.0, -1.2]}
    axis = drawn(charts, config(type="line", datasets=[growth], unit="%"))
    assert axis["min"] <= -6.5 and axis["max"] == 0


def test_an_axis_starting_above_zero_says_so_on_the_chart(charts):
    axis = drawn(charts, config(type="line", **{"from": 800}))
    assert axis["min"] == 800
    assert axis["subtitle"] == "纵轴自 800 起"
    assert charts.evaluate("shenbaoCharts.valueScale({from: 800})")["note"] == "纵轴自 800 起"
    assert charts.evaluate("shenbaoCharts.valueScale({type: 'line'})") == {"beginAtZero": True, "min": None, "note": ""}
