// Draw each chart from the JSON spec the server put beside it. The data table
// next to each chart carries the same figures for people who cannot see it.
(function () {
  "use strict";
  if (typeof window.Plotly === "undefined") return;
  var plots = [];
  var NARROW = 520; // pixels: a chart narrower than this is laid out for a phone
  var CHAR = 0.6; // a character's width in font sizes (indicators/charts.py LABEL_CHAR)
  var TICK_CHAR = 0.75; // a month name's letters are wider than the labels' digits (reports/chart_images.py)

  // Each chart is drawn as it comes within a screen of the window: a report of ten or
  // fifteen charts drawn at once kept the page busy for a second or two after the
  // server's tenth of one. Until then the plot is an empty box of its own height,
  // named by its alt text, and the data table beside it gives its figures.
  var waiting = Array.prototype.filter.call(document.querySelectorAll("[data-chart]"), function (element) {
    return document.getElementById(element.getAttribute("data-chart"));
  });
  var nearView = "IntersectionObserver" in window && new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) draw(entry.target);
      });
    },
    { rootMargin: "100% 0px" }
  );
  if (nearView) {
    waiting.forEach(function (element) { nearView.observe(element); });
  } else {
    waiting.slice().forEach(function (element) { draw(element); });
  }

  function draw(element, size) {
    var at = waiting.indexOf(element);
    if (at < 0) return;
    waiting.splice(at, 1);
    if (nearView) nearView.unobserve(element);
    var spec = JSON.parse(document.getElementById(element.getAttribute("data-chart")).textContent);
    var layout = narrowed(spec, (size && size.width) || element.clientWidth);
    var drawn = window.Plotly.newPlot(element, spec.data, size ? Object.assign({}, layout, size) : layout, {
      displayModeBar: false,
      responsive: true,
    });
    if (layout !== spec.layout) drawn.then(separate);
    element._screenHeight = spec.layout && spec.layout.height;
    plots.push(element);
    return element;
  }

  // On a phone the plot keeps the width: the axis title goes (the subtitle above the
  // chart names the measure), and the right margin is only what the line labels need
  // beyond the plot's edge (the server leaves room for the longest label in full, so
  // a label ending at October took a third of a phone's width for nothing).
  function narrowed(spec, width) {
    var layout = spec.layout || {};
    if (!width || width >= NARROW) return layout;
    var copy = JSON.parse(JSON.stringify(layout));
    if (copy.yaxis) copy.yaxis.title = { text: "" };
    copy.margin = Object.assign({}, copy.margin, { l: 45 });
    var categories = [];
    spec.data.forEach(function (trace) {
      (trace.x || []).forEach(function (x) {
        if (categories.indexOf(x) < 0) categories.push(x);
      });
    });
    var size = (copy.font && copy.font.size) || 14;
    var labels = copy.annotations || [];
    if (copy.showlegend === false && labels.length) {
      var last = Math.max(categories.length - 1, 1);
      var inner = width - copy.margin.l; // the plot's width plus the right margin
      var right = 10;
      copy.annotations = labels = labels.map(function (label) {
        // "Upper process limit" is "Upper limit" on a phone: the subtitle and table say more.
        var text = String(label.text).replace(" process limit", " limit");
        var shown = Object.assign({}, label, { text: text });
        if (categories.indexOf(label.x) === categories.length - 1) {
          // A label at the last point sits inside the plot, above its line's end, and
          // takes no margin from the plot.
          return Object.assign(shown, { xanchor: "right", xshift: -2, yshift: (label.yshift || 0) + Math.round(size * 0.8) });
        }
        return shown;
      });
      labels.forEach(function (label) {
        // Room after the label's point, as a share of the plot: r must make up the rest.
        var after = 1 - categories.indexOf(label.x) / last;
        if (label.xanchor === "right" || after >= 1) return;
        var needs = (label.xshift || 0) + String(label.text).length * CHAR * size + 4;
        right = Math.max(right, (needs - after * inner) / (1 - after));
      });
      copy.margin.r = Math.ceil(right);
    }
    var monthly = categories.length > 8 && categories.every(function (x) {
      return typeof x === "string" && /^[A-Z][a-z]{2}( \d{4})?$/.test(x);
    });
    if (monthly) {
      // As many month names as fit level, every other month at the least (plotly turned
      // them upright); "Apr 2016" is shortened to "Apr 16". The table below the chart
      // names every month.
      var plot = width - copy.margin.l - ((copy.margin && copy.margin.r) || 0);
      var longest = Math.max.apply(null, categories.map(function (x) { return x.length; }));
      var chars = longest > 3 ? 6 : 3;
      var perName = chars * TICK_CHAR * size + 14;
      var step = Math.max(2, Math.ceil((categories.length * perName) / Math.max(plot, 1)));
      // Counted back from the latest month, which is always named.
      var shownAt = categories.filter(function (x, i) {
        return (categories.length - 1 - i) % step === 0;
      });
      copy.xaxis = Object.assign({}, copy.xaxis, {
        tickangle: 0,
        tickmode: "array",
        tickvals: shownAt,
        ticktext: shownAt.map(function (x) { return x.replace(/ \d\d(\d\d)$/, " $1"); }),
      });
    }
    return copy;
  }
  // The server placed the line labels for a chart 700 pixels wide: on a phone a label
  // at November can run into one at March, and a label set above its line's last point
  // can cover the points before it. Once drawn, each label (the lowest first) moves up or
  // down by the least that clears the points and the labels already placed, measured as
  // drawn and staying within the chart, as indicators/charts.py label_lines does at the
  // width it knows. Where nothing within reach is clear, it clears the labels only.
  var REACH = 80; // pixels a label may move
  function separate(element) {
    var chart = element.getBoundingClientRect();
    var points = Array.prototype.map.call(
      element.querySelectorAll(".scatterlayer .point"),
      function (node) { return node.getBoundingClientRect(); }
    );
    var labels = Array.prototype.map.call(element.querySelectorAll(".annotation"), function (node) {
      return { index: Number(node.getAttribute("data-index")), box: node.getBoundingClientRect() };
    });
    labels.sort(function (a, b) { return b.box.bottom - a.box.bottom; }); // lowest first
    var placed = [];
    var changes = {};
    labels.forEach(function (one) {
      var up = leastMove(one.box, placed.concat(points), chart);
      if (up === null) up = leastMove(one.box, placed, null) || 0;
      placed.push(moved(one.box, up));
      if (up) {
        var label = element.layout.annotations[one.index];
        changes["annotations[" + one.index + "].yshift"] = (label.yshift || 0) + up;
      }
    });
    if (Object.keys(changes).length) window.Plotly.relayout(element, changes);
  }
  // The least move up (positive) or down that keeps a box off all the others (and within
  // the chart, when given), or null when no move within REACH does.
  function leastMove(box, others, chart) {
    for (var distance = 0; distance <= REACH; distance += 2) {
      var tries = distance ? [distance, -distance] : [0];
      for (var i = 0; i < tries.length; i++) {
        var there = moved(box, tries[i]);
        var inside = !chart || (there.top >= chart.top && there.bottom <= chart.bottom);
        if (inside && !others.some(function (other) { return meets(there, other); })) {
          return tries[i];
        }
      }
    }
    return null;
  }
  function moved(box, up) {
    return { left: box.left, right: box.right, top: box.top - up, bottom: box.bottom - up };
  }
  function meets(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom + 1 && b.top < a.bottom + 1;
  }

  // Paper is narrower than most screens: draw the charts at the printed text width
  // (170 mm on A4, print.css) before printing, and at the screen's width after. A
  // little shorter too, so a chart and its twelve-month table share a page. A chart
  // not yet scrolled to is drawn now, at once (the page prints as it stands when the
  // handler returns), and afterwards waits again to be drawn for the screen.
  var PRINT_WIDTH = 640;
  var PRINT_HEIGHT = 280;
  var forPrint = [];
  window.addEventListener("beforeprint", function () {
    plots.forEach(function (element) {
      window.Plotly.relayout(element, { width: PRINT_WIDTH, height: PRINT_HEIGHT });
    });
    forPrint = waiting.slice().map(function (element) {
      return draw(element, { width: PRINT_WIDTH, height: PRINT_HEIGHT });
    });
  });
  window.addEventListener("afterprint", function () {
    forPrint.forEach(function (element) {
      window.Plotly.purge(element);
      plots.splice(plots.indexOf(element), 1);
      waiting.push(element);
      if (nearView) nearView.observe(element);
    });
    forPrint = [];
    plots.forEach(function (element) {
      window.Plotly.relayout(element, { width: null, height: element._screenHeight, autosize: true });
    });
  });
})();
