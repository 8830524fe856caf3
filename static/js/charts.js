// Draws every <canvas data-chart="ID"> from the JSON that {{ config|json_script:"ID" }} put in the page:
// {"type": "bar" | "line", "labels": [...], "datasets": [{"label", "data"}], "unit": "亿元",
//  "places": 2, "stacked": false, "horizontal": false, optional "from": N}. One unit per chart: the server never puts 亿元
// beside %. No inline script: the page's CSP is 'self'.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  var FONT =
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", ' +
    '"WenQuanYi Micro Hei", sans-serif';
  // The site's blue and red first, then colours that stay apart when printed in grey.
  var PALETTE = ["#1d4f91", "#b8292f", "#2e8b57", "#d98c1f", "#6a4c93", "#1f9bb4", "#8c564b", "#7f7f7f", "#bcbd22", "#e377c2"];
  var BAR_HEIGHT = 26; // px per bar of a horizontal chart, so 40 clusters stay readable

  Chart.defaults.font.family = FONT;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#1f2933";
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;

  function formatter(places) {
    var format = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: places, minimumFractionDigits: 0 });
    return function (value) {
      return value === null || value === undefined ? "无" : format.format(value);
    };
  }

  function axisTitle(unit) {
    return { display: Boolean(unit), text: unit ? "单位：" + unit : "" };
  }

  // Where the value axis starts. Counts and amounts are read against zero, lines as much as bars: an axis
  // cut at 800 makes 820 → 1400 look like a sevenfold rise. So every value axis includes zero (a falling
  // growth rate takes it below). A chart the server must start elsewhere names the start ("from": N), and
  // the chart says so above the plot: 纵轴自 N 起.
  function valueScale(config, format) {
    var from = typeof config.from === "number" ? config.from : null;
    if (from === null) return { beginAtZero: true, min: undefined, note: "" };
    return { beginAtZero: false, min: from, note: "纵轴自 " + (format || String)(from) + " 起" };
  }

  function build(config) {
    var unit = config.unit || "";
    var places = typeof config.places === "number" ? config.places : 2;
    var format = formatter(places);
    var horizontal = Boolean(config.horizontal);
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    var datasets = config.datasets.map(function (dataset, i) {
      var colour = PALETTE[i % PALETTE.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: config.type === "line" ? colour : colour + "cc",
        borderColor: colour,
        borderWidth: config.type === "line" ? 2 : 1,
        pointRadius: 4,
        spanGaps: true,
      };
    });

    var scales = {};
    scales[categoryAxis] = { stacked: Boolean(config.stacked), grid: { display: false }, ticks: { autoSkip: !horizontal } };
    var axis = valueScale(config, format);
    scales[valueAxis] = {
      stacked: Boolean(config.stacked),
      beginAtZero: axis.beginAtZero,
      min: axis.min,
      title: axisTitle(unit),
      // Counts step by whole numbers: no axis reading 0, 0, 1, 1, 2.
      ticks: { callback: format, precision: places === 0 ? 0 : undefined },
    };

    return {
      type: config.type,
      data: { labels: config.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          subtitle: { display: Boolean(axis.note), text: axis.note, align: "start", color: "#b3261e" },
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = horizontal ? item.parsed.x : item.parsed.y;
                var known = value !== null && value !== undefined;
                return item.dataset.label + "：" + format(value) + (known ? unit : "");
              },
            },
          },
        },
      },
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var config = JSON.parse(source.textContent);
    if (config.horizontal) {
      // A horizontal bar chart grows with its rows; the others keep the height the stylesheet gives them.
      canvas.parentNode.style.height = Math.max(160, config.labels.length * BAR_HEIGHT + 80) + "px";
    }
    new Chart(canvas, build(config));
    canvas.dataset.drawn = "true";
  }

  function resizeAll() {
    Object.keys(Chart.instances).forEach(function (key) {
      Chart.instances[key].resize();
    });
  }

  // For tests (tests/browser/test_chart_axes.py), which read the axis a config gets without drawing a page.
  window.shenbaoCharts = { valueScale: valueScale, build: build };

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
  // Printing lays the page out at A4 width: redraw each chart to fit it, and back afterwards.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
