// Live filtering of an honour roll across all its pages (no framework). The page works without
// it: the roll is split into pages and into groups by unit, locality and award. This script
// loads the roll's JSON index once, then filters by name (diacritics optional: "nguyen van an"
// finds "Nguyễn Văn An", "d" finds "đ") and by the facet selects.
(function () {
  "use strict";
  var STEP = 200;  // results shown at a time

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function entryUrl(base, pageSize, number) {
    var page = Math.ceil(number / pageSize);
    return base + (page > 1 ? "trang-" + page + "/" : "") + "#muc-" + number;
  }

  function setup(form) {
    var output = document.querySelector("[data-honour-results]");
    var staticList = document.querySelector("[data-honour-static]");
    var list = output.querySelector(".filter-results");
    var more = output.querySelector(".filter-more");
    var status = form.querySelector(".filter-status");
    var input = form.querySelector("input[name=q]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var FACETS = ["unit", "locality", "award"];
    var data = null, matches = [], shown = 0, pending = null;

    function message(name, count) {
      return (form.getAttribute("data-msg-" + name) || "").replace("{n}", count.toLocaleString(document.documentElement.lang || "vi"));
    }

    function fillSelects() {
      selects.forEach(function (select) {
        var names = data.facets[select.getAttribute("data-facet")] || [];
        names.forEach(function (name, index) {
          var option = document.createElement("option");
          option.value = String(index);
          option.textContent = name;
          select.appendChild(option);
        });
      });
    }

    function load() {
      if (pending) { return pending; }
      status.textContent = message("loading", 0);
      pending = fetch(form.getAttribute("data-src"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (json) {
          data = json;
          fillSelects();
          status.textContent = "";
          return data;
        })
        .catch(function () {
          status.textContent = message("error", 0);
          pending = null;
        });
      return pending;
    }

    function renderMore() {
      var base = form.getAttribute("data-base");
      var fragment = document.createDocumentFragment();
      matches.slice(shown, shown + STEP).forEach(function (entry) {
        var item = document.createElement("li");
        item.value = entry[0];
        var link = document.createElement("a");
        link.href = entryUrl(base, data.pageSize, entry[0]);
        link.textContent = entry[1];
        link.className = "honour-title";
        item.appendChild(link);
        var parts = [entry[2]];
        FACETS.forEach(function (facet, i) {
          var index = entry[3 + i];
          if (index >= 0) { parts.push(data.facets[facet][index]); }
        });
        var meta = document.createElement("p");
        meta.className = "honour-meta";
        meta.textContent = parts.filter(Boolean).join(" · ");
        item.appendChild(meta);
        fragment.appendChild(item);
      });
      list.appendChild(fragment);
      shown = Math.min(matches.length, shown + STEP);
      more.hidden = shown >= matches.length;
    }

    function apply() {
      if (!data) { load().then(function (ok) { if (ok) { apply(); } }); return; }
      var query = fold(input.value);
      var chosen = selects.map(function (select) {
        return { at: 3 + FACETS.indexOf(select.getAttribute("data-facet")), value: select.value === "" ? null : Number(select.value) };
      }).filter(function (c) { return c.value !== null; });
      var active = query !== "" || chosen.length > 0;
      staticList.hidden = active;
      output.hidden = !active;
      list.textContent = "";
      shown = 0;
      if (!active) { status.textContent = ""; more.hidden = true; return; }
      var words = query.split(" ");
      matches = data.entries.filter(function (entry) {
        for (var i = 0; i < chosen.length; i++) {
          if (entry[chosen[i].at] !== chosen[i].value) { return false; }
        }
        var text = " " + entry[6] + " ";
        for (var j = 0; j < words.length; j++) {
          if (words[j] && text.indexOf(" " + words[j]) < 0) { return false; }
        }
        return true;
      });
      status.textContent = matches.length ? message("results", matches.length) : message("none", 0);
      renderMore();
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 120);
    });
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    more.addEventListener("click", renderMore);
    input.addEventListener("focus", load, { once: true });
    selects.forEach(function (select) { select.addEventListener("focus", load, { once: true }); });
    form.hidden = false;
    if (selects.length) { load(); }
  }

  document.querySelectorAll("[data-honour-filter]").forEach(setup);
})();
