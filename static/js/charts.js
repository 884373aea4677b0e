// Draw each chart from the JSON spec the server put beside it. The data table
// next to each chart carries the same figures for people who cannot see it.
(function () {
  "use strict";
  if (typeof window.Plotly === "undefined") return;
  var plots = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, spec.data, spec.layout, {
      displayModeBar: false,
      responsive: true,
    });
    element._screenHeight = spec.layout && spec.layout.height;
    plots.push(element);
  });
  // Paper is narrower than most screens: draw the charts at the printed text width
  // (170 mm on A4, print.css) before printing, and at the screen's width after. A
  // little shorter too, so a chart and its twelve-month table share a page.
  var PRINT_WIDTH = 640;
  var PRINT_HEIGHT = 280;
  window.addEventListener("beforeprint", function () {
    plots.forEach(function (element) {
      window.Plotly.relayout(element, { width: PRINT_WIDTH, height: PRINT_HEIGHT });
    });
  });
  window.addEventListener("afterprint", function () {
    plots.forEach(function (element) {
      window.Plotly.relayout(element, { width: null, height: element._screenHeight, autosize: true });
    });
  });
})();
