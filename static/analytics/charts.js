// The analytics pages' trend charts (templates/analytics/_charts.html). Each <canvas
// data-chart="ID"> draws the numbers of <script type="application/json" id="ID">:
// {labels: ["2026-11-01", …], datasets: [{key, label, values: [number | null, …]}], bar: [keys]}.
// Numbers arrive unlocalised; dates and numbers are written in the page's language. A null is
// a figure the network does not give: a gap in the line, never 0.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  const lang = document.documentElement.lang || "fr";
  const dayFormat = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short" });
  const numberFormat = new Intl.NumberFormat(lang);
  const colours = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1"];

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const bars = new Set(data.bar || []);
    const hasBar = data.datasets.some(function (d) { return bars.has(d.key); });
    new Chart(canvas, {
      data: {
        labels: data.labels.map(function (iso) { return dayFormat.format(new Date(iso + "T12:00:00")); }),
        datasets: data.datasets.map(function (d, i) {
          const bar = bars.has(d.key);
          return {
            type: bar ? "bar" : "line",
            label: d.label,
            data: d.values,
            yAxisID: bar ? "y1" : "y",
            borderColor: colours[i % colours.length],
            backgroundColor: colours[i % colours.length] + (bar ? "55" : "22"),
            spanGaps: false,
            pointRadius: data.labels.length > 45 ? 0 : 2,
            tension: 0.2,
          };
        }),
      },
      options: {
        locale: lang,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (item) {
                const value = item.raw === null ? "—" : numberFormat.format(item.raw);
                return item.dataset.label + (lang.startsWith("fr") ? " : " : ": ") + value;
              },
            },
          },
        },
        scales: Object.assign(
          { y: { beginAtZero: true, ticks: { callback: function (v) { return numberFormat.format(v); } } } },
          hasBar ? { y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } } } : {}
        ),
      },
    });
  });
})();
