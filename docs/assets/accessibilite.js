/* Corrections d'accessibilité du thème : la boîte de recherche de Material est un
 * dialogue sans nom accessible (règle axe « aria-dialog-name »). */
(function () {
  "use strict";
  var dialog = document.querySelector(".md-search[role='dialog']");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", "Recherche dans le catalogue");
  }
})();
