// The floor's scan forms (a count, receiving a purchase order): each scan is sent as the form
// would send it, asking for the scan box alone (fragment=1), which is swapped in; the focus
// stays in the scan field, so a keyboard-wedge scanner scans on without a dialog. Scans made
// while one is on its way wait their turn (sent with the hidden fields of the box then
// shown: a receipt's scans so far), and each answer is kept in the list of scans. A button
// marked data-scan-finish (receive the scans) sends the form as it is.
// Without this script the form still posts and the whole page answers.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !document.querySelector("[data-scan]")) {
    return;
  }
  var waiting = [];
  var sending = false;
  var counted = false; // a scan counted since the lines were last asked for

  function box() {
    return document.querySelector("[data-scan]");
  }

  // the field the answer asks for; a refused code selected, so the next scan replaces it
  function focusField(typing) {
    var code = box().querySelector("input[name=code]");
    var field = typing ? code : box().querySelector("[autofocus]") || code;
    if (!field) {
      return;
    }
    field.focus();
    if (typing) {
      field.setSelectionRange(field.value.length, field.value.length); // typing goes on
    } else {
      field.select();
    }
  }

  function logAnswer() {
    var result = box().querySelector("[data-scan-result]");
    var log = document.getElementById("scan-log");
    if (!result || !log) {
      return;
    }
    var entry = document.createElement("li");
    entry.className = result.className;
    entry.innerHTML = result.innerHTML;
    log.insertBefore(entry, log.firstChild);
    while (log.children.length > 20) {
      log.removeChild(log.lastChild);
    }
  }

  function show(html) {
    var code = box().querySelector("input[name=code]");
    var typed = code ? code.value : ""; // scanned while the answer was on its way
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("[data-scan]");
    if (!fresh) {
      return false;
    }
    box().replaceWith(fresh);
    logAnswer();
    var next = fresh.querySelector("input[name=code]");
    var typing = Boolean(next && typed); // the next scan goes on, even after a refusal
    if (typing) {
      next.value = typed;
    }
    focusField(typing);
    return true;
  }

  // the lines under the scan field (a count's review), asked for again once the scans sent
  // so far are all answered, so that they show what was counted; not while lines are
  // ticked to be counted again, and only the answer to the latest ask is shown
  var asked = 0;
  function refreshLines() {
    var lines = document.querySelector("[data-scan-refresh]");
    if (!lines || sending || waiting.length || lines.querySelector("input:checked")) {
      return;
    }
    var ask = ++asked;
    fetch(lines.getAttribute("data-scan-refresh"), { credentials: "same-origin" })
      .then(function (answer) {
        return answer.ok && !answer.redirected ? answer.text() : null;
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html || "";
        var fresh = holder.querySelector("[data-scan-refresh]");
        var current = document.querySelector("[data-scan-refresh]");
        var untouched = current && !current.querySelector("input:checked");
        if (fresh && untouched && ask === asked && !sending && !waiting.length) {
          current.replaceWith(fresh);
        }
      })
      .catch(function () {}); // the next scan asks again
  }

  function send() {
    if (sending || !waiting.length) {
      return;
    }
    sending = true;
    var scan = waiting.shift();
    var url = scan.action + (scan.action.indexOf("?") < 0 ? "?" : "&") + "fragment=1";
    fetch(url, { method: "POST", body: bodyOf(scan.typed), credentials: "same-origin" })
      .then(function (answer) {
        var known = answer.ok || answer.status === 409 || answer.status === 422;
        if (!known || answer.redirected) {
          window.location.reload(); // signed out, or gone: the whole page says why
          return null;
        }
        return answer.text().then(function (html) {
          var shown = show(html) || window.location.reload();
          if (answer.ok) {
            counted = true;
          }
          return shown;
        });
      })
      .catch(function () {
        window.location.reload();
      })
      .then(function () {
        sending = false;
        send();
        if (counted && !sending) {
          counted = false;
          refreshLines();
        }
      });
  }

  // the fields a person filled in (not the hidden ones, which are read when the scan is sent),
  // and the button pressed (taking back the last scan), if it has a name
  function typedIn(form, button) {
    var typed = button && button.name ? [[button.name, button.value]] : [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.tagName === "INPUT" && field.type !== "hidden") {
        typed.push([field.name, field.value]);
      }
    });
    return typed;
  }

  function bodyOf(typed) {
    var body = new FormData();
    var hidden = box().querySelectorAll("form[data-scan-form] input[type=hidden]");
    Array.prototype.forEach.call(hidden, function (field) {
      body.append(field.name, field.value);
    });
    typed.forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    return body;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-scan-form]")) {
      return;
    }
    if (event.submitter && event.submitter.hasAttribute("data-scan-finish")) {
      if (sending || waiting.length) {
        event.preventDefault(); // not before every scan is in the form
      }
      return;
    }
    event.preventDefault();
    waiting.push({ action: form.getAttribute("action"), typed: typedIn(form, event.submitter) });
    var code = form.querySelector("input[name=code]");
    if (code) {
      code.value = ""; // ready for the next scan at once
    }
    send();
  });
  focusField(false);
  document.documentElement.setAttribute("data-scan-ready", ""); // scans go by fetch from now
})();
