// Small enhancements only: every page is complete without this script.
(function () {
  "use strict";
  var today = document.getElementById("hom-nay");
  if (today) {
    var lang = document.documentElement.lang || "vi";
    try {
      var text = new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : lang, {
        weekday: "long", day: "2-digit", month: "2-digit", year: "numeric"
      }).format(new Date());
      today.textContent = text.charAt(0).toUpperCase() + text.slice(1);
      today.hidden = false;
    } catch (e) { /* leave the line hidden */ }
  }
  // The phone menu is a <details> that works without this; here Escape closes it (the focus goes
  // back to its button) and so does a click anywhere else on the page.
  var menu = document.querySelector(".nav-menu");
  if (menu) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) { menu.open = false; }
    });
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-copy]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard) { return; }
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(function () {
        link.textContent = link.getAttribute("data-copied");
      });
    });
  });
})();
