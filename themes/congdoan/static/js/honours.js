// Live filtering and ordering of an honour roll across all its pages (no framework). The page
// works without it: the roll is split into pages and into groups by unit, locality and award.
// This script loads the roll's JSON index once, then filters by name (diacritics optional:
// "nguyen van an" finds "Nguyễn Văn An", "d" finds "đ") and by the facet selects, and orders the
// list by name (the default), unit or award.
//
// The orders are computed here rather than built as pages: built orders would be two more copies
// of every page of every roll (22 more pages, about 2 MB, for the 2,140-name roll alone), for a
// choice few readers make, with numbers and anchors unlike the name order's. The JSON index the
// filter loads anyway already carries the server's collation (generator/honours/pages.py):
// entries come in the roll's order (sections in file order, then Vietnamese name order, as
// vietnamese.name_sort_key sorts: given name, family name, middle names) and each facet lists its
// values in Vietnamese alphabetical order (text_sort_key), entries pointing at them by index. So
// every order is a sort on integers (section, value index, entry number): no Intl.Collator, whose
// "vi" rules vary between browsers and differ from the server's, and "by name" is the file's order.
(function () {
  "use strict";
  var STEP = 200;  // entries shown at a time
  var FACETS = ["unit", "locality", "award"];
  var lang = document.documentElement.lang || "vi";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function entryUrl(base, pageSize, number) {
    var page = Math.ceil(number / pageSize);
    return base + (page > 1 ? "trang-" + page + "/" : "") + "#muc-" + number;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function setup(form) {
    var output = document.querySelector("[data-honour-results]");
    var staticList = document.querySelector("[data-honour-static]");
    var results = output.querySelector(".filter-results");
    var more = output.querySelector(".filter-more");
    var status = form.querySelector(".filter-status");
    var input = form.querySelector("input[name=q]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var jump = document.querySelector("[data-roll-jump]");
    var data = null, block = [], matches = [], shown = 0, pending = null;
    var order = null, counts = {}, list = null, group = null;

    function message(name, count, what) {
      return (form.getAttribute("data-msg-" + name) || "").replace("{n}", count.toLocaleString(lang))
        .replace("{order}", what || "");
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
          // Sections are runs of the roll's order; an entry's run number keeps them in file order.
          var run = 0, of = data.sectionOf || [];
          block = data.entries.map(function (entry, i) { return i && of[i] !== of[i - 1] ? ++run : run; });
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

    // The heading an entry goes under: its section, and the unit or award it is ordered by.
    function groupOf(entry) {
      var parts = [];
      var section = data.sections ? data.sectionOf[entry[0] - 1] : -1;
      if (section >= 0) { parts.push(data.sections[section]); }
      if (order) {
        var index = entry[3 + FACETS.indexOf(order.value)];
        parts.push(index >= 0 ? data.facets[order.value][index] : order.getAttribute("data-none"));
      }
      return parts.join(" – ");
    }

    function renderEntry(entry) {
      var item = element("li", "honour-entry");
      item.value = entry[0];
      var link = element("a", "honour-title", entry[1]);
      link.href = entryUrl(form.getAttribute("data-base"), data.pageSize, entry[0]);
      item.appendChild(link);
      var meta = element("p", "honour-meta", entry[2]);
      ["unit", "locality"].forEach(function (facet) {
        var index = entry[3 + FACETS.indexOf(facet)];
        if (index < 0) { return; }
        if (meta.textContent) { meta.appendChild(document.createTextNode(" · ")); }
        meta.appendChild(element("span", "honour-" + facet, data.facets[facet][index]));
      });
      item.appendChild(meta);
      if (entry[5] >= 0) { item.appendChild(element("p", "honour-award", data.facets.award[entry[5]])); }
      return item;
    }

    function renderMore() {
      matches.slice(shown, shown + STEP).forEach(function (entry) {
        var name = groupOf(entry);
        if (!list || name !== group) {
          group = name;
          if (name) { results.appendChild(element("h3", "filter-group", name + " (" + counts[name].toLocaleString(lang) + ")")); }
          list = results.appendChild(element("ol", "honour-list"));
        }
        list.appendChild(renderEntry(entry));
      });
      shown = Math.min(matches.length, shown + STEP);
      more.hidden = shown >= matches.length;
    }

    function apply() {
      if (!data) { load().then(function (ok) { if (ok) { apply(); } }); return; }
      var query = fold(input.value);
      var chosen = selects.map(function (select) {
        return { at: 3 + FACETS.indexOf(select.getAttribute("data-facet")), value: select.value === "" ? null : Number(select.value) };
      }).filter(function (c) { return c.value !== null; });
      order = form.querySelector("input[name=order]:checked");
      order = order && order.value ? order : null;
      var filtered = query !== "" || chosen.length > 0;
      staticList.hidden = filtered || order !== null;
      output.hidden = !staticList.hidden;
      results.textContent = "";
      list = group = null;
      shown = 0;
      if (output.hidden) { status.textContent = ""; more.hidden = true; return; }
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
      if (order) {
        var at = 3 + FACETS.indexOf(order.value);
        var rank = function (entry) { return entry[at] < 0 ? Infinity : entry[at]; };
        matches.sort(function (a, b) {
          return block[a[0] - 1] - block[b[0] - 1] || rank(a) - rank(b) || a[0] - b[0];
        });
      }
      counts = {};
      matches.forEach(function (entry) { var name = groupOf(entry); counts[name] = (counts[name] || 0) + 1; });
      status.textContent = !matches.length ? message("none", 0)
        : filtered ? message("results", matches.length)
        : message("sorted", matches.length, order.parentNode.textContent.trim().toLocaleLowerCase(lang));
      renderMore();
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 120);
    });
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("change", function (event) { if (event.target.name === "order") { apply(); } });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    more.addEventListener("click", renderMore);
    input.addEventListener("focus", load, { once: true });
    selects.forEach(function (select) { select.addEventListener("focus", load, { once: true }); });
    form.hidden = false;
    // The facet menus are filled from the roll's JSON once the page has loaded and painted: on a
    // phone, loading it at once delayed the first paint of the title (Lighthouse LCP 1.5 -> 2.8 s).
    if (selects.length) {
      if (document.readyState === "complete") { load(); }
      else { window.addEventListener("load", function () { setTimeout(load, 0); }, { once: true }); }
    }
    // A browser that restores the form on "back" gets the list that goes with it.
    if (input.value.trim() || form.querySelector("input[name=order]:checked:not([value=''])")) { apply(); }

    // The button in the screen's corner: to the filter, focused on the name. It steps aside while
    // the name field, page links or the footer are on screen, so it never sits on a link to the
    // next page or on the footer's text.
    if (jump) {
      jump.addEventListener("click", function () {
        form.scrollIntoView({ block: "start" });
        input.focus({ preventScroll: true });
      });
      if (!window.IntersectionObserver) { jump.hidden = false; return; }
      var onScreen = [];
      var observer = new IntersectionObserver(function (changes) {
        changes.forEach(function (change) {
          var at = onScreen.indexOf(change.target);
          var on = change.target === input ? change.intersectionRatio > 0.99 : change.isIntersecting;
          if (on && at < 0) { onScreen.push(change.target); }
          if (!on && at >= 0) { onScreen.splice(at, 1); }
        });
        jump.hidden = onScreen.length > 0;
      }, { threshold: [0, 1] });
      [input].concat(Array.prototype.slice.call(document.querySelectorAll(".honour-pages, .site-footer")))
        .forEach(function (target) { observer.observe(target); });
    }
  }

  document.querySelectorAll("[data-honour-filter]").forEach(setup);
})();
