// Draw every chart on the page: a div[data-chart] names the <script type="application/json">
// block holding its Vega-Lite spec (data is never placed in HTML or in executable script).
(function () {
  function draw() {
    var nodes = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source || typeof vegaEmbed === "undefined") continue;
      var spec = JSON.parse(source.textContent);
      vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function (result) {
        result.view.container().setAttribute("data-rendered", "true");
      }).catch(function (err) { el.textContent = "chart could not be drawn: " + err.message; });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
