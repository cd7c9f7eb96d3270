/* Catalogue des conventions : le tableau écrit par le serveur (premières conventions par
 * ordre alphabétique) devient filtrable, triable et paginé. Les lignes ne sont chargées
 * qu'à la demande : un lot (500 conventions) pour une page de l'ordre par défaut, tous les
 * lots dès qu'un filtre, une recherche ou un autre tri porte sur tout le catalogue.
 * L'état (filtres, tri, page) est gardé dans l'adresse. */
(function () {
  "use strict";
  var C = window.CoopCatalogue;
  var root = document.getElementById("coop-catalogue");
  if (!root || !C || !root.getAttribute("data-manifeste")) return;

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

  var base = new URL(root.getAttribute("data-racine") || "./", window.location.href);
  var manifestUrl = new URL(root.getAttribute("data-manifeste"), window.location.href);
  var total = Number(root.getAttribute("data-total")) || 0;
  var byRank = new Array(total);  // prepared rows by rank in the default order, as loaded
  var loadedCount = 0;
  var complete = total === 0;
  var state = C.parseState(window.location.search);

  var form = root.querySelector("form.coop-filtres");
  var search = root.querySelector("#coop-q");
  var reset = root.querySelector("button.coop-reinitialiser");
  var count = root.querySelector("#coop-compte");
  var table = root.querySelector("#coop-table");
  var thead = table.querySelector("thead");
  var tbody = table.querySelector("tbody");
  var pager = root.querySelector("nav.coop-pagination");
  var selects = {};
  var serverOptions = {};  // facet -> the <option>s written by the server (whole catalogue)
  C.FACETS.forEach(function (f) {
    var sel = root.querySelector("#coop-f-" + f.key);
    selects[f.key] = sel;
    serverOptions[f.key] = Array.prototype.slice.call(sel.options, 1).map(function (o) {
      return { value: o.value, text: o.textContent };
    });
    if (state.facets[f.key]) {
      state.facets[f.key] = C.canonicalValue(state.facets[f.key],
        serverOptions[f.key].map(function (o) { return o.value; }));
    }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  /* --- data, on demand --- */
  var manifestPromise = null;
  var shardPromises = {};
  var allPromise = null;

  function getJson(url) {
    return fetch(url.href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function loadManifest() {
    manifestPromise = manifestPromise || getJson(manifestUrl);
    return manifestPromise;
  }

  function loadShard(i) {
    if (!shardPromises[i]) {
      shardPromises[i] = loadManifest().then(function (m) {
        var lot = m.lots[i];
        var url = new URL(lot.fichier + "?v=" + m.version, manifestUrl);
        return getJson(url).then(function (lines) {
          C.prepare(C.fromShard(m.colonnes, lines), lot.debut).forEach(function (r) {
            if (!byRank[r._rang]) loadedCount++;
            byRank[r._rang] = r;
          });
        });
      });
      shardPromises[i].catch(function () { delete shardPromises[i]; });
    }
    return shardPromises[i];
  }

  function loadAll() {
    if (!allPromise) {
      allPromise = loadManifest().then(function (m) {
        return Promise.all(m.lots.map(function (_, i) { return loadShard(i); }));
      }).then(function () { complete = true; });
      allPromise.catch(function () { allPromise = null; });
    }
    return allPromise;
  }

  /* --- rendering --- */
  function fmtDate(iso) {
    if (!iso) return null;
    return h("time", { datetime: iso, text: C.formatDate(iso) });
  }

  function badge(value, label) {
    return h("span", { "class": "coop-badge coop-badge--" + value, text: label });
  }

  /* Effective status; the declared one beside it when they differ. */
  function statusCell(r) {
    var s = r.statut_effectif;
    var out = [badge(s, C.STATUT_LABELS[s] || s)];
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
      cell([badge(r.type, C.TYPE_LABELS[r.type] || r.type)]),
      cell([r.academie]),
      cell([(r.etablissements || []).join(", ")]),
      cell([(r.partenaires || []).join(", ")]),
      cell(formation),
      cell(statusCell(r)),
      cell([fmtDate(r.date_signature) || "—"], "coop-date"),
      cell(endCell(r), "coop-date")
    ]);
  }

  function renderRows(list) {
    tbody.textContent = "";
    var frag = document.createDocumentFragment();
    list.forEach(function (r) { frag.appendChild(renderRow(r)); });
    if (!list.length) {
      frag.appendChild(h("tr", {}, [h("td", { colspan: String(C.COLUMNS.length),
        "class": "coop-vide", text: "Aucune convention ne correspond à ces critères." })]));
    }
    tbody.appendChild(frag);
  }

  /* Counts of the other filters applied once everything is loaded; until then, the
   * server's counts (the whole catalogue). */
  function renderFacets(rows) {
    var options = rows ? C.facetOptions(rows, state) : null;
    C.FACETS.forEach(function (f) {
      var sel = selects[f.key];
      sel.textContent = "";
      sel.appendChild(h("option", { value: "", text: "Tous" }));
      var list = options ? options[f.key].map(function (o) {
        return { value: o.value, text: o.label + " (" + o.count + ")" };
      }) : serverOptions[f.key];
      list.forEach(function (o) {
        var opt = h("option", { value: o.value, text: o.text });
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

  function renderPager(page, pages) {
    pager.textContent = "";
    if (pages <= 1) return;
    pager.appendChild(pageButton("‹ Précédente", page - 1, page === 1));
    pager.appendChild(h("span", { "class": "coop-page-info",
      text: "Page " + page + " sur " + pages }));
    pager.appendChild(pageButton("Suivante ›", page + 1, page === pages));
  }

  function saveUrl() {
    var url = window.location.pathname + C.serializeState(state) + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function setReady(ready) {
    root.setAttribute("data-pret", ready ? "true" : "false");
    table.setAttribute("aria-busy", ready ? "false" : "true");
  }

  function failed() {
    count.textContent = "Le catalogue n’a pas pu être chargé. Les données restent " +
      "disponibles en CSV et en JSON (liens ci-dessous).";
    setReady(true);
  }

  var generation = 0;  // a newer update makes an older pending one moot

  function update() {
    var mine = ++generation;
    renderHead();
    if (C.isDefaultOrder(state)) {
      var ranks = C.pageRanks(state, total);
      state.page = ranks.page;
      saveUrl();
      renderPager(ranks.page, ranks.pages);
      var slice = [];
      var missing = false;
      for (var i = ranks.start; i < ranks.end; i++) {
        if (!byRank[i]) missing = true;  // a hole: `some` and `filter` skip them
        slice.push(byRank[i]);
      }
      if (state.dir === "desc") slice.reverse();
      if (!missing) {
        renderFacets(complete ? byRank : null);
        renderRows(slice);
        count.textContent = C.countLabel(total, total);
        setReady(true);
        return;
      }
      setReady(false);
      count.textContent = "Chargement de la page…";
      loadManifest().then(function (m) {
        return Promise.all(C.shardsFor(ranks.start, ranks.end, m.taille_lot).map(loadShard));
      }).then(function () { if (mine === generation) update(); }, failed);
      return;
    }
    if (complete) {
      var filtered = C.sortRows(C.filterRows(byRank, state), state.sort, state.dir);
      var page = C.pageSlice(filtered, state.page);
      state.page = page.page;
      saveUrl();
      renderFacets(byRank);
      renderRows(page.rows);
      renderPager(page.page, page.pages);
      count.textContent = C.countLabel(filtered.length, total);
      setReady(true);
      return;
    }
    /* Instant answer from the rows already loaded, then the whole catalogue. */
    saveUrl();
    setReady(false);
    var known = byRank.filter(Boolean);
    if (known.length) {
      var partial = C.sortRows(C.filterRows(known, state), state.sort, state.dir);
      renderRows(C.pageSlice(partial, 1).rows);
      renderPager(1, 1);
    }
    count.textContent = "Chargement du catalogue complet… " + (known.length
      ? partial.length + " résultat" + (partial.length > 1 ? "s" : "") + " parmi les " +
        loadedCount + " conventions déjà chargées sur " + total + "."
      : "");
    loadAll().then(function () { if (mine === generation) update(); }, failed);
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
  /* Someone who reaches for the filters will filter: start loading the rows then. */
  form.addEventListener("focusin", function () { loadAll().catch(function () {}); });

  /* --- enhance: the server's first page stays as it is when the address asks for it --- */
  form.hidden = false;
  if (C.isDefaultOrder(state) && state.dir === "asc" && state.page <= 1) {
    state = C.emptyState();
    renderHead();
    renderPager(1, C.pageRanks(state, total).pages);
    setReady(true);
  } else {
    update();
  }
})();
