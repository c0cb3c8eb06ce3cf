// The item list's search as one types: the GET form is sent a moment after the last key,
// and only its results are swapped in (the same address with fragment=1, rendered on the
// server); the address bar follows, so that a reload or a shared link shows the same list.
// Without this script the form still works with its button.
(function () {
  "use strict";
  var form = document.querySelector("form[data-item-search]");
  var results = document.getElementById("item-results");
  var status = document.getElementById("item-status"); // read out: how many items now match
  if (!form || !results || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var timer = null;
  var latest = 0;

  function address() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "") {
        params.append(name, value);
      }
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function refresh() {
    var url = address();
    var ticket = ++latest;
    var fragment = url + (url.indexOf("?") < 0 ? "?" : "&") + "fragment=1";
    fetch(fragment, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) {
        if (!answer.ok || answer.redirected) {
          window.location.assign(url); // signed out, or a refusal: the whole page says why
          return null;
        }
        return answer.text();
      })
      .then(function (html) {
        if (html === null || ticket !== latest) {
          return; // a later search is on its way
        }
        results.innerHTML = html;
        window.history.replaceState(null, "", url);
        var count = results.querySelector(".result-count");
        if (status && count) {
          status.textContent = count.textContent;
        }
      })
      .catch(function () {
        window.location.assign(url);
      });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  form.addEventListener("input", function (event) {
    if (event.target.type === "search" || event.target.type === "text") {
      soon();
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" || event.target.type === "checkbox") {
      window.clearTimeout(timer);
      refresh();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    refresh();
  });
})();
