// Draws every chart of the page: its ECharts option sits in <script type="application/json"
// id="chart-NAME"> beside a <div data-chart="NAME">. An option with "$map" names a region
// whose outlines (GeoJSON from `make assets`) are registered first. SVG, so that a chart is
// something a test can find and a screen reader can skip.
(function () {
  "use strict";
  var maps = document.currentScript.dataset.maps;
  var charts = [];

  function draw(element) {
    var name = element.dataset.chart;
    var source = document.getElementById("chart-" + name);
    if (!source) { return; }
    var option = JSON.parse(source.textContent);
    var region = option.$map;
    delete option.$map;
    var ready = region
      ? fetch(maps + region + ".json").then(function (answer) {
          if (!answer.ok) { throw new Error("no outlines for " + region); }
          return answer.json();
        }).then(function (outlines) { echarts.registerMap(region, outlines); })
      : Promise.resolve();
    ready.then(function () {
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.on("finished", function () { element.dataset.drawn = "true"; });  // animations too
      chart.setOption(option);
      charts.push(chart);
    }).catch(function (error) {
      element.textContent = "图表无法显示：" + error.message;
      element.dataset.drawn = "failed";
    });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
