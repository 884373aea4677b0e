// Draw each chart from the JSON spec the server put beside it. The data table
// next to each chart carries the same figures for people who cannot see it.
(function () {
  "use strict";
  if (typeof window.Plotly === "undefined") return;
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, spec.data, spec.layout, {
      displayModeBar: false,
      responsive: true,
    });
  });
})();
