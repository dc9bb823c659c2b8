// The creator page's "similar creators" panel: fetched after the page (the lookalike model reads
// every creator's profile, which the page itself need not wait for). The fragment is rendered
// and escaped by the server (templates/_similar.html).
(function () {
  var panel = document.getElementById("similar-creators");
  if (!panel || !panel.dataset.src) return;
  fetch(panel.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
    .then(function (html) {
      var loading = document.getElementById("similar-loading");
      var box = document.createElement("div");
      box.className = "scroll";
      box.innerHTML = html;
      if (loading) loading.replaceWith(box); else panel.appendChild(box);
    })
    .catch(function () {
      var loading = document.getElementById("similar-loading");
      if (loading) loading.textContent = "—";
    });
})();
