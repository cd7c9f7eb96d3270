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
      if (c != null && c !== "") el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
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
  var endInput = root.querySelector("#coop-fin");
  var schoolYearButton = root.querySelector("button.coop-annee-scolaire");
  var details = root.querySelector("details.coop-facettes-bloc");
  var activeNote = root.querySelector(".coop-facettes-actives");
  var csvButton = root.querySelector("button.coop-csv");
  var csvHelp = root.querySelector("#coop-csv-aide");
  var csvColumns = (root.getAttribute("data-colonnes-csv") || "").split(" ").filter(Boolean);
  var groups = {};  // facet -> its <fieldset>
  var serverOptions = {};  // facet -> the checkboxes written by the server (whole catalogue)
  C.FACETS.forEach(function (f) {
    var group = root.querySelector("#coop-f-" + f.key);
    groups[f.key] = group;
    serverOptions[f.key] = Array.prototype.map.call(
      group.querySelectorAll("input[type=checkbox]"), function (box) {
        var li = box.closest("li");
        return { value: box.value,
          label: li.querySelector(".coop-facette__libelle").textContent,
          count: Number(li.querySelector(".coop-facette__nombre").textContent.replace(/\D/g, "")) };
      });
    canonicalize(f);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  /* « ?academie=lyon » -> « Lyon », as the page (or, for the large facets, the loaded
   * rows) spells it. */
  function canonicalize(f, rows) {
    var wanted = state.facets[f.key];
    if (!wanted) return;
    var values = rows ? knownValues(f, rows) : serverOptions[f.key].map(function (o) { return o.value; });
    state.facets[f.key] = wanted.map(function (v) { return C.canonicalValue(v, values); });
  }

  function knownValues(f, rows) {
    var seen = {};
    rows.forEach(function (r) {
      if (r) [].concat(r[f.field] || []).forEach(function (v) { seen[v] = true; });
    });
    return Object.keys(seen);
  }

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
      }).then(function () {
        complete = true;
        C.FACETS.forEach(function (f) { if (f.large) canonicalize(f, byRank); });
      });
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

  /* A cell, labelled for the card layout of narrow screens (catalogue.css). */
  function cell(children, index, cls) {
    var attrs = { "data-label": C.COLUMNS[index].label };
    if (cls) attrs["class"] = cls;
    return h("td", attrs, children);
  }

  function renderRow(r) {
    var link = h("a", { href: new URL(r.url, base).href, text: r.titre });
    var formation = [r.formation || ""];
    if (r.secteur && r.secteur !== r.formation) {
      formation.push(h("br"), h("span", { "class": "coop-muted", text: r.secteur }));
    }
    return h("tr", {}, [
      h("th", { scope: "row", "class": "coop-titre" }, [link]),
      cell([badge(r.type, C.TYPE_LABELS[r.type] || r.type)], 1),
      cell([r.academie], 2),
      cell([(r.etablissements || []).join(", ")], 3),
      cell([(r.partenaires || []).join(", ")], 4),
      cell(formation, 5),
      cell(statusCell(r), 6),
      cell([fmtDate(r.date_signature) || "—"], 7, "coop-date"),
      cell(endCell(r), 8, "coop-date")
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

  var lastOptions = null;  // facet -> options, from the last complete rendering
  var LARGE_SHOWN = 12;  // values a large facet lists for what is typed

  function isChecked(f, value) {
    var n = C.normalize(value);
    return (state.facets[f.key] || []).some(function (v) { return C.normalize(v) === n; });
  }

  function choice(f, o) {
    var box = h("input", { type: "checkbox", name: f.key, value: o.value });
    return h("li", { "data-valeur": o.value }, [h("label", {}, [box, " ",
      h("span", { "class": "coop-facette__libelle", text: o.label }), " ",
      h("span", { "class": "coop-facette__nombre" })])]);
  }

  /* The checkboxes of a facet: updated in place when the same values are shown (a
   * checkbox being used keeps the focus), rebuilt otherwise. */
  function syncChoices(f, list) {
    var ul = groups[f.key].querySelector(".coop-facette__choix");
    var current = Array.prototype.map.call(ul.children, function (li) {
      return li.getAttribute("data-valeur");
    });
    var same = current.length === list.length &&
      list.every(function (o, i) { return o.value === current[i]; });
    if (!same) {
      var focused = document.activeElement && ul.contains(document.activeElement)
        ? document.activeElement.value : null;
      ul.textContent = "";
      list.forEach(function (o) { ul.appendChild(choice(f, o)); });
      if (focused != null) {
        var again = ul.querySelector("li[data-valeur='" + CSS.escape(focused) + "'] input");
        if (again) again.focus();
      }
    }
    list.forEach(function (o, i) {
      var li = ul.children[i];
      var box = li.querySelector("input");
      box.checked = isChecked(f, o.value);
      li.querySelector(".coop-facette__nombre").textContent = o.count == null ? "" : "(" + o.count + ")";
      li.classList.toggle("coop-facette--vide", o.count === 0 && !box.checked);
    });
  }

  function typed(f) {
    var box = groups[f.key].querySelector(".coop-facette__filtre");
    return box ? C.normalize(box.value) : "";
  }

  function shownLarge(f, options) {
    var words = typed(f);
    var checked = (state.facets[f.key] || []).map(function (v) {
      var o = options && options.filter(function (x) { return C.normalize(x.value) === C.normalize(v); })[0];
      return o || { value: v, label: v, count: null };
    });
    var help = groups[f.key].querySelector(".coop-facette__aide");
    if (!words) {
      help.textContent = "Saisissez quelques lettres du nom.";
      return checked;
    }
    if (!options) {
      help.textContent = "Chargement de la liste…";
      return checked;
    }
    var found = options.filter(function (o) {
      return !isChecked(f, o.value) && o.count > 0 && C.normalize(o.label).indexOf(words) !== -1;
    }).sort(function (a, b) { return b.count - a.count || a.label.localeCompare(b.label, "fr"); });
    help.textContent = found.length === 0 ? "Aucun nom ne correspond." : found.length > LARGE_SHOWN
      ? LARGE_SHOWN + " premiers sur " + found.length + " : précisez le nom." : "";
    return checked.concat(found.slice(0, LARGE_SHOWN));
  }

  function renderFacet(f) {
    var options = lastOptions ? lastOptions[f.key] : null;
    if (f.large) {
      syncChoices(f, shownLarge(f, options));
      return;
    }
    syncChoices(f, options || serverOptions[f.key]);
    var words = typed(f);
    Array.prototype.forEach.call(groups[f.key].querySelectorAll("li"), function (li) {
      var label = C.normalize(li.querySelector(".coop-facette__libelle").textContent);
      li.hidden = !!words && label.indexOf(words) === -1 && !li.querySelector("input").checked;
    });
  }

  /* Counts of the other filters applied once everything is loaded; until then, the
   * server's counts (the whole catalogue). */
  function renderFacets(rows) {
    lastOptions = rows ? C.facetOptions(rows, state) : null;
    C.FACETS.forEach(renderFacet);
    var active = C.FACETS.reduce(function (n, f) {
      return n + (state.facets[f.key] || []).length;
    }, 0);
    activeNote.textContent = active ? " — " + active + " choix coché" + (active > 1 ? "s" : "") : "";
    var bounds = C.endBounds(state);
    endInput.value = bounds ? bounds.max : "";
    schoolYearButton.setAttribute("aria-pressed", state.fin === C.SCHOOL_YEAR ? "true" : "false");
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
      var filtered = selection();
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
    renderFacets(null);
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

  /* The rows the filters retain, in the table's order (everything loaded). */
  function selection() {
    return C.sortRows(C.filterRows(byRank, state), state.sort, state.dir);
  }

  function downloadSelection() {
    csvButton.disabled = true;
    loadAll().then(function () {
      var csv = C.toCsv(selection(), csvColumns, function (url) {
        return new URL(url, base).href;
      });
      var blob = new Blob(["\ufeff" + csv], { type: "text/csv;charset=utf-8" });
      var a = h("a", { href: URL.createObjectURL(blob), download: "conventions-selection.csv" });
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
    }, failed).then(function () { csvButton.disabled = false; });
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
    var group = groups[f.key];
    group.addEventListener("change", function (e) {
      if (e.target.type !== "checkbox") return;
      var values = Array.prototype.filter.call(group.querySelectorAll("input[type=checkbox]"),
        function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (values.length) state.facets[f.key] = values;
      else delete state.facets[f.key];
      state.page = 1;
      update();
    });
    var filter = group.querySelector(".coop-facette__filtre");
    if (filter) {
      filter.addEventListener("input", function () {
        renderFacet(f);
        /* A large facet lists its values from the rows: all of them, counted. */
        if (f.large && !lastOptions) loadAll().then(function () { update(); }, failed);
      });
      filter.addEventListener("keydown", function (e) {
        if (e.key === "Enter") e.preventDefault();  // not a submit
      });
    }
  });
  endInput.addEventListener("change", function () {
    state.fin = /^\d{4}-\d{2}-\d{2}$/.test(endInput.value) ? endInput.value : "";
    state.page = 1;
    update();
  });
  schoolYearButton.addEventListener("click", function () {
    state.fin = state.fin === C.SCHOOL_YEAR ? "" : C.SCHOOL_YEAR;
    state.page = 1;
    update();
  });
  csvButton.addEventListener("click", downloadSelection);
  reset.addEventListener("click", function () {
    state = C.emptyState();
    search.value = "";
    Array.prototype.forEach.call(root.querySelectorAll(".coop-facette__filtre"), function (b) {
      b.value = "";
    });
    update();
  });
  /* Someone who reaches for the filters will filter: start loading the rows then. */
  form.addEventListener("focusin", function () { loadAll().catch(function () {}); });

  /* --- enhance: the server's first page stays as it is when the address asks for it --- */
  form.hidden = false;
  csvButton.hidden = false;
  csvHelp.hidden = false;
  if (Object.keys(state.facets).length) details.open = true;
  if (C.isDefaultOrder(state) && state.dir === "asc" && state.page <= 1) {
    state = C.emptyState();
    renderHead();
    renderPager(1, C.pageRanks(state, total).pages);
    setReady(true);
  } else {
    update();
  }
})();
