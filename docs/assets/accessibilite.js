/* Corrections d'accessibilité du thème : la boîte de recherche de Material est un
 * dialogue sans nom accessible (règle axe « aria-dialog-name ») ; un tableau plus large
 * que l'écran, que Material fait défiler dans un cadre, doit pouvoir l'être au clavier
 * (règle axe « scrollable-region-focusable »). */
(function () {
  "use strict";
  var dialog = document.querySelector(".md-search[role='dialog']");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", "Recherche dans le catalogue");
  }

  /* A table wider than the screen scrolls in its frame: the frame takes the focus (the
   * arrow keys then scroll it) and is named after the table. */
  function scrollable() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      if (wide && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim()
          : "Tableau (faire défiler horizontalement)");
      } else if (!wide && wrap.getAttribute("role") === "region") {
        ["tabindex", "role", "aria-label"].forEach(function (a) { wrap.removeAttribute(a); });
      }
    });
  }
  scrollable();
  window.addEventListener("resize", scrollable);
})();
