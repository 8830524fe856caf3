// Draws every <canvas data-chart="ID"> from the JSON that {{ config|json_script:"ID" }} put in the page:
// {"type": "bar" | "line", "labels": [...], "datasets": [{"label", "data"}], "unit": "亿元",
//  "places": 2, "stacked": false, "horizontal": false}. One unit per chart: the server never puts 亿元
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
    scales[valueAxis] = {
      stacked: Boolean(config.stacked),
      beginAtZero: config.type !== "line",
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

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
  // Printing lays the page out at A4 width: redraw each chart to fit it, and back afterwards.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
