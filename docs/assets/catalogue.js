/* Catalogue des conventions : tableau filtrable, triable et paginé, construit à partir
 * de donnees/conventions.json. L'état (filtres, tri, page) est gardé dans l'adresse. */
(function () {
  "use strict";
  var C = window.CoopCatalogue;
  var root = document.getElementById("coop-catalogue");
  if (!root || !C) return;

  function siteBase() {
    var el = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(el.textContent).base || "."; } catch (e) { /* défaut */ }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") el.textContent = attrs[k];
      else el.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c != null) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return el;
  }

  var base = siteBase();
  var rows = [];
  var state = C.parseState(window.location.search);
  var dateFormat = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "short", year: "numeric" });

  /* --- static structure --- */
  var search = h("input", { type: "search", id: "coop-q", name: "q", autocomplete: "off",
    placeholder: "Établissement, partenaire, diplôme, UAI…" });
  var selects = {};
  var facetBoxes = C.FACETS.map(function (f) {
    var sel = h("select", { id: "coop-f-" + f.key, name: f.key });
    selects[f.key] = sel;
    return h("div", { "class": "coop-filtre" }, [
      h("label", { "for": sel.id, text: f.label }), sel]);
  });
  var reset = h("button", { type: "button", "class": "md-button coop-reinitialiser",
    text: "Réinitialiser les filtres" });
  var form = h("form", { "class": "coop-filtres", role: "search",
    "aria-label": "Filtrer les conventions" }, [
    h("div", { "class": "coop-filtre coop-filtre--texte" }, [
      h("label", { "for": "coop-q", text: "Recherche libre" }), search]),
    h("div", { "class": "coop-facettes" }, facetBoxes),
    h("div", { "class": "coop-actions" }, [reset])
  ]);
  var count = h("p", { id: "coop-compte", "class": "coop-compte", role: "status",
    "aria-live": "polite" });
  var thead = h("thead");
  var tbody = h("tbody");
  var table = h("table", { "class": "coop-table", id: "coop-table" }, [
    h("caption", { "class": "coop-sr", text: "Conventions de coopération ; les en-têtes de colonne permettent de trier." }),
    thead, tbody]);
  var scroller = h("div", { "class": "coop-defilement", tabindex: "0", role: "region",
    "aria-label": "Tableau des conventions" }, [table]);
  var pager = h("nav", { "class": "coop-pagination", "aria-label": "Pagination du tableau" });
  root.appendChild(form);
  root.appendChild(count);
  root.appendChild(scroller);
  root.appendChild(pager);
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  /* --- rendering --- */
  function fmtDate(iso) {
    if (!iso) return null;
    var d = new Date(iso + "T00:00:00");
    return h("time", { datetime: iso, text: dateFormat.format(d) });
  }

  function badge(kind, value, label) {
    return h("span", { "class": "coop-badge coop-badge--" + value, text: label });
  }

  /* Effective status; the declared one beside it when they differ. */
  function statusCell(r) {
    var s = r.statut_effectif;
    var out = [badge("statut", s, C.STATUT_LABELS[s] || s)];
    if (r.statut && r.statut !== s) {
      var declared = (C.STATUT_LABELS[r.statut] || r.statut).toLowerCase();
      out.push(h("br"), h("span", { "class": "coop-muted coop-statut-declare",
        text: "(déclarée " + declared + ")" }));
    }
    return out;
  }

  /* End of the current term; a tacitly renewed coloration says so. */
  function endCell(r) {
    var out = [fmtDate(r.date_fin) || "—"];
    if (r.date_fin && r.reconduction_tacite) {
      out.push(h("br"), h("span", { "class": "coop-muted coop-petit",
        text: "reconduction tacite" }));
    }
    return out;
  }

  function renderHead() {
    thead.textContent = "";
    var tr = h("tr");
    C.COLUMNS.forEach(function (col) {
      var active = (state.sort || "titre") === col.key;
      var dir = active ? state.dir : null;
      var th = h("th", { scope: "col" });
      if (dir) th.setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
      var btn = h("button", { type: "button", "class": "coop-tri", "data-col": col.key }, [
        col.label,
        h("span", { "class": "coop-tri__icone", "aria-hidden": "true",
          text: dir === "desc" ? " ▼" : dir === "asc" ? " ▲" : " ↕" })]);
      btn.addEventListener("click", function () {
        if ((state.sort || "titre") === col.key) state.dir = state.dir === "asc" ? "desc" : "asc";
        else { state.sort = col.key; state.dir = "asc"; }
        state.page = 1;
        update();
      });
      th.appendChild(btn);
      tr.appendChild(th);
    });
    thead.appendChild(tr);
  }

  function cell(children, cls) {
    return h("td", cls ? { "class": cls } : {}, children);
  }

  function renderRow(r) {
    var link = h("a", { href: new URL(r.url, base).href, text: r.titre });
    var formation = [r.formation || ""];
    if (r.secteur && r.secteur !== r.formation) {
      formation.push(h("br"), h("span", { "class": "coop-muted", text: r.secteur }));
    }
    return h("tr", {}, [
      h("th", { scope: "row", "class": "coop-titre" }, [link]),
      cell([badge("type", r.type, C.TYPE_LABELS[r.type] || r.type)]),
      cell([r.academie]),
      cell([(r.etablissements || []).join(", ")]),
      cell([(r.partenaires || []).join(", ")]),
      cell(formation),
      cell(statusCell(r)),
      cell([fmtDate(r.date_signature) || "—"], "coop-date"),
      cell(endCell(r), "coop-date")
    ]);
  }

  function renderFacets() {
    var options = C.facetOptions(rows, state);
    C.FACETS.forEach(function (f) {
      var sel = selects[f.key];
      sel.textContent = "";
      sel.appendChild(h("option", { value: "", text: "Tous" }));
      options[f.key].forEach(function (o) {
        var opt = h("option", { value: o.value, text: o.label + " (" + o.count + ")" });
        if (state.facets[f.key] === o.value) opt.selected = true;
        sel.appendChild(opt);
      });
    });
  }

  function pageButton(label, page, disabled, current) {
    var b = h("button", { type: "button", "class": "coop-page" + (current ? " coop-page--courante" : ""),
      text: label });
    if (disabled) b.disabled = true;
    if (current) b.setAttribute("aria-current", "page");
    b.addEventListener("click", function () {
      state.page = page;
      update();
      count.scrollIntoView({ block: "nearest" });
    });
    return b;
  }

  function renderPager(slice) {
    pager.textContent = "";
    if (slice.pages <= 1) return;
    pager.appendChild(pageButton("‹ Précédente", slice.page - 1, slice.page === 1));
    pager.appendChild(h("span", { "class": "coop-page-info",
      text: "Page " + slice.page + " sur " + slice.pages }));
    pager.appendChild(pageButton("Suivante ›", slice.page + 1, slice.page === slice.pages));
  }

  function update() {
    var filtered = C.sortRows(C.filterRows(rows, state), state.sort, state.dir);
    var slice = C.pageSlice(filtered, state.page);
    state.page = slice.page;
    renderHead();
    renderFacets();
    tbody.textContent = "";
    var frag = document.createDocumentFragment();
    slice.rows.forEach(function (r) { frag.appendChild(renderRow(r)); });
    if (!slice.rows.length) {
      frag.appendChild(h("tr", {}, [h("td", { colspan: String(C.COLUMNS.length),
        "class": "coop-vide", text: "Aucune convention ne correspond à ces critères." })]));
    }
    tbody.appendChild(frag);
    count.textContent = C.countLabel(filtered.length, rows.length);
    renderPager(slice);
    var url = window.location.pathname + C.serializeState(state) + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  /* --- events --- */
  var timer = null;
  search.value = state.q;
  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      state.q = search.value.trim();
      state.page = 1;
      update();
    }, 120);
  });
  C.FACETS.forEach(function (f) {
    selects[f.key].addEventListener("change", function () {
      if (selects[f.key].value) state.facets[f.key] = selects[f.key].value;
      else delete state.facets[f.key];
      state.page = 1;
      update();
    });
  });
  reset.addEventListener("click", function () {
    state = C.emptyState();
    search.value = "";
    update();
  });

  /* --- data --- */
  count.textContent = "Chargement du catalogue…";
  fetch(new URL(root.getAttribute("data-source"), base).href)
    .then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then(function (data) {
      rows = C.prepare(data);
      root.setAttribute("data-pret", "true");
      update();
    })
    .catch(function () {
      count.textContent = "Le catalogue n’a pas pu être chargé. Les données restent disponibles en CSV et en JSON (liens ci-dessous).";
    });
})();
