/* Catalogue des conventions : logique pure (filtres, tri, état dans l'URL, pagination,
 * lots de données à charger). Sans dépendance ni accès au DOM : testée dans Chromium
 * (tests/browser/test_catalogue_browser.py) et utilisée par catalogue.js.
 *
 * Les lignes arrivent par lots (donnees/catalogue/lot-NNNN.json) dans l'ordre par défaut
 * (titre, puis identifiant : coop.site.catalogue.ordered) ; le rang d'une ligne dans cet
 * ordre sert de clé de tri du titre, si bien que la page 3 du tri par défaut ne demande
 * qu'un lot, et que l'ordre est celui de la première page écrite par le serveur. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.CoopCatalogue = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var STATUT_ORDER = ["brouillon", "en_signature", "signee", "resiliee", "expiree"];
  var STATUT_LABELS = {
    brouillon: "Brouillon", en_signature: "En signature", signee: "Signée",
    resiliee: "Résiliée", expiree: "Expirée"
  };
  var TYPE_LABELS = { coloration: "Coloration", fcil: "FCIL" };

  /* Facets: URL parameter, label, record field, how values are shown and ordered. */
  var FACETS = [
    { key: "type", label: "Type", field: "type", display: function (v) { return TYPE_LABELS[v] || v; } },
    { key: "region", label: "Région académique", field: "region_academique" },
    { key: "academie", label: "Académie", field: "academie" },
    { key: "statut", label: "Statut", field: "statut_effectif",
      display: function (v) { return STATUT_LABELS[v] || v; },
      order: function (a, b) { return STATUT_ORDER.indexOf(a) - STATUT_ORDER.indexOf(b); } },
    { key: "niveau", label: "Niveau de diplôme", field: "niveaux",
      display: function (v) { return "Niveau " + v; },
      order: function (a, b) { return Number(a) - Number(b); } },
    { key: "secteur", label: "Secteur ou thème", field: "secteur" },
    { key: "annee", label: "Année scolaire", field: "annee_scolaire",
      order: function (a, b) { return a < b ? 1 : a > b ? -1 : 0; } },
    /* Too many values to be written into the page: listed as the visitor types
     * (coop.site.catalogue.LARGE_FACETS). */
    { key: "etablissement", label: "Établissement", field: "etablissements", large: true },
    { key: "partenaire", label: "Partenaire", field: "partenaires", large: true }
  ];
  /* « ?fin=annee-scolaire »: ends within the current school year (1 Sept – 31 Aug). */
  var SCHOOL_YEAR = "annee-scolaire";

  /* Sortable columns: key (URL), header, how to sort. */
  var COLUMNS = [
    { key: "titre", label: "Titre" },
    { key: "type", label: "Type" },
    { key: "academie", label: "Académie" },
    { key: "etablissements", label: "Établissement" },
    { key: "partenaires", label: "Partenaires" },
    { key: "formation", label: "Diplôme ou secteur" },
    { key: "statut", label: "Statut" },
    { key: "date_signature", label: "Signature" },
    { key: "date_fin", label: "Fin" }
  ];
  var PAGE_SIZE = 50;
  var SHORT_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
    "sept.", "oct.", "nov.", "déc."];

  var collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

  function normalize(text) {
    return String(text == null ? "" : text)
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/[\s\u00a0\u202f]+/g, " ").trim();
  }

  function asList(value) {
    if (value == null || value === "") return [];
    return Array.isArray(value) ? value.map(String) : [String(value)];
  }

  var TEXT_FIELDS = ["id", "titre", "type", "academie", "region_academique", "territoire",
    "etablissements", "uai", "partenaires", "siret", "formation", "secteur", "annee_scolaire"];

  /* Adds the normalised search text and sort keys to each record (once); `offset`: the
   * rank of the first record in the default order. */
  function prepare(records, offset) {
    offset = offset || 0;
    return records.map(function (r, i) {
      var parts = [];
      TEXT_FIELDS.forEach(function (f) { parts = parts.concat(asList(r[f])); });
      var row = Object.assign({}, r);
      row._text = normalize(parts.join(" "));
      row._formation = r.formation || r.secteur || "";
      /* Effective status (a signed convention past its term is expired), else declared. */
      row.statut_effectif = r.statut_effectif || r.statut;
      row._rang = offset + i;
      return row;
    });
  }

  /* A shard (arrays of `columns`) -> records. */
  function fromShard(columns, lines) {
    return lines.map(function (line) {
      var r = {};
      columns.forEach(function (c, i) { r[c] = line[i]; });
      return r;
    });
  }

  /* « 2026-06-02 » -> « 2 juin 2026 » (as coop.site.catalogue.short_date). */
  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return "";
    return Number(m[3]) + "\u00a0" + SHORT_MONTHS[Number(m[2]) - 1] + "\u00a0" + m[1];
  }

  /* True when the view is the default order, unfiltered: any page of it is one shard. */
  function isDefaultOrder(state) {
    return !state.q && !state.fin && Object.keys(state.facets).length === 0 &&
      (!state.sort || state.sort === "titre");
  }

  /* The ranks [start, end) a page of the default order shows, and the page clamped. */
  function pageRanks(state, total) {
    var pages = pageCount(total);
    var p = Math.min(Math.max(1, state.page || 1), pages);
    var start = (p - 1) * PAGE_SIZE, end = Math.min(total, p * PAGE_SIZE);
    if (state.dir === "desc") {
      var s = total - end;
      end = total - start;
      start = s;
    }
    return { page: p, pages: pages, start: start, end: end };
  }

  /* Indexes of the shards holding ranks [start, end). */
  function shardsFor(start, end, shardSize) {
    var out = [];
    for (var i = Math.floor(start / shardSize); i * shardSize < end; i++) out.push(i);
    return out;
  }

  /* The facet value as the page spells it (« ?academie=lyon » -> « Lyon »). */
  function canonicalValue(value, values) {
    var n = normalize(value);
    for (var i = 0; i < values.length; i++) {
      if (normalize(values[i]) === n) return values[i];
    }
    return value;
  }

  function emptyState() {
    return { q: "", facets: {}, fin: "", sort: "", dir: "asc", page: 1 };
  }

  /* The school year holding `today` (a Date): { start, end } as ISO dates. */
  function schoolYear(today) {
    var y = today.getFullYear() - (today.getMonth() < 8 ? 1 : 0);
    return { start: y + "-09-01", end: (y + 1) + "-08-31" };
  }

  /* The end-date filter as bounds [min, max] on date_fin (ISO), or null. */
  function endBounds(state, today) {
    if (state.fin === SCHOOL_YEAR) {
      var sy = schoolYear(today || new Date());
      return { min: sy.start, max: sy.end };
    }
    return /^\d{4}-\d{2}-\d{2}$/.test(state.fin || "") ? { min: "", max: state.fin } : null;
  }

  /* The wanted values of each facet, normalised, with the end bounds: computed once per
   * filtering, not once per row. */
  function criteria(state, today) {
    var wanted = {};
    Object.keys(state.facets).forEach(function (k) {
      if (state.facets[k].length) wanted[k] = state.facets[k].map(normalize);
    });
    return { wanted: wanted, end: endBounds(state, today),
      words: state.q ? normalize(state.q).split(" ").filter(Boolean) : [] };
  }

  function anyIn(values, wanted) {
    for (var i = 0; i < values.length; i++) {
      if (wanted.indexOf(normalize(values[i])) !== -1) return true;
    }
    return false;
  }

  /* A row matches every facet (one of its values checked: or within a facet, and
   * between facets), the end date and every word of the free text. */
  function matches(row, crit, skipFacet) {
    for (var i = 0; i < FACETS.length; i++) {
      var f = FACETS[i];
      var wanted = crit.wanted[f.key];
      if (!wanted || f.key === skipFacet) continue;
      if (!anyIn(asList(row[f.field]), wanted)) return false;
    }
    if (crit.end) {
      var end = row.date_fin;
      if (!end || end > crit.end.max || (crit.end.min && end < crit.end.min)) return false;
    }
    for (var j = 0; j < crit.words.length; j++) {
      if (row._text.indexOf(crit.words[j]) === -1) return false;
    }
    return true;
  }

  function filterRows(rows, state, today) {
    var crit = criteria(state, today);
    return rows.filter(function (r) { return matches(r, crit, null); });
  }

  /* For each facet: [{value, label, count}] counted with the other filters applied. */
  function facetOptions(rows, state, today) {
    var out = {};
    var crit = criteria(state, today);
    FACETS.forEach(function (f) {
      var counts = {};
      var all = {};
      rows.forEach(function (r) {
        var values = asList(r[f.field]);
        var ok = matches(r, crit, f.key);
        values.forEach(function (v) {
          all[v] = true;
          if (ok) counts[v] = (counts[v] || 0) + 1;
        });
      });
      var known = {};
      Object.keys(all).forEach(function (v) { known[normalize(v)] = true; });
      (state.facets[f.key] || []).forEach(function (v) {
        if (!known[normalize(v)]) all[v] = true;  // checked, though no row has it
      });
      var values = Object.keys(all);
      values.sort(f.order || function (a, b) { return collator.compare(a, b); });
      out[f.key] = values.map(function (v) {
        return { value: v, label: f.display ? f.display(v) : v, count: counts[v] || 0 };
      });
    });
    return out;
  }

  function sortValue(row, key) {
    if (key === "titre" && row._rang != null) return row._rang;
    if (key === "formation") return row._formation;
    if (key === "statut") return STATUT_ORDER.indexOf(row.statut_effectif);
    if (key === "type") return TYPE_LABELS[row.type] || row.type;
    var v = row[key];
    return Array.isArray(v) ? v.join(", ") : v;
  }

  /* Stable sort; empty values always last. Default order: by title. */
  function sortRows(rows, key, dir) {
    key = key || "titre";
    var sign = dir === "desc" ? -1 : 1;
    return rows
      .map(function (r, i) { return { r: r, i: i, v: sortValue(r, key) }; })
      .sort(function (a, b) {
        var ea = a.v == null || a.v === "", eb = b.v == null || b.v === "";
        if (ea || eb) return ea === eb ? a.i - b.i : (ea ? 1 : -1);
        var c = typeof a.v === "number" && typeof b.v === "number"
          ? a.v - b.v : collator.compare(String(a.v), String(b.v));
        return c !== 0 ? sign * c : a.i - b.i;
      })
      .map(function (x) { return x.r; });
  }

  function pageCount(total) {
    return Math.max(1, Math.ceil(total / PAGE_SIZE));
  }

  function pageSlice(rows, page) {
    var p = Math.min(Math.max(1, page || 1), pageCount(rows.length));
    return { page: p, pages: pageCount(rows.length),
      rows: rows.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE) };
  }

  /* URL query <-> state. Unknown parameters are ignored; a facet may be repeated
   * (« ?academie=lyon&academie=nantes »). */
  function parseState(search) {
    var params = new URLSearchParams(search || "");
    var state = emptyState();
    state.q = params.get("texte") || "";
    FACETS.forEach(function (f) {
      var seen = {};
      var values = params.getAll(f.key).filter(function (v) {
        var n = normalize(v);
        if (!n || seen[n]) return false;
        seen[n] = true;
        return true;
      });
      if (values.length) state.facets[f.key] = values;
    });
    var fin = params.get("fin") || "";
    if (fin === SCHOOL_YEAR || /^\d{4}-\d{2}-\d{2}$/.test(fin)) state.fin = fin;
    var sort = params.get("tri") || "";
    if (COLUMNS.some(function (c) { return c.key === sort; })) state.sort = sort;
    state.dir = params.get("ordre") === "desc" ? "desc" : "asc";
    var page = parseInt(params.get("page") || "1", 10);
    state.page = isNaN(page) || page < 1 ? 1 : page;
    return state;
  }

  function serializeState(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("texte", state.q);
    FACETS.forEach(function (f) {
      (state.facets[f.key] || []).forEach(function (v) { params.append(f.key, v); });
    });
    if (state.fin) params.set("fin", state.fin);
    if (state.sort) {
      params.set("tri", state.sort);
      if (state.dir === "desc") params.set("ordre", "desc");
    }
    if (state.page > 1) params.set("page", String(state.page));
    var s = params.toString();
    return s ? "?" + s : "";
  }

  function countLabel(shown, total) {
    if (total === 0) return "Aucune convention au catalogue.";
    if (shown === 0) return "Aucune convention ne correspond aux critères (sur " + total + ").";
    var noun = shown > 1 ? " conventions" : " convention";
    if (shown === total) return shown + noun + " au catalogue.";
    return shown + noun + " sur " + total + " correspond" + (shown > 1 ? "ent" : "") +
      " aux critères.";
  }

  /* « Télécharger la sélection »: `rows` as CSV, the columns of donnees/conventions.csv
   * (coop.site.opendata: « ; », lists joined by « | », oui/non), CRLF, without the BOM;
   * `absolute` turns a site-relative url into a full address. */
  function toCsv(rows, columns, absolute) {
    function cell(v, c) {
      if (v == null) return "";
      if (typeof v === "boolean") return v ? "oui" : "non";
      if (Array.isArray(v)) v = v.join(" | ");
      v = String(v);
      if (c === "url" && absolute) v = absolute(v);
      return /[;"\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
    }
    var lines = [columns.join(";")];
    rows.forEach(function (r) {
      lines.push(columns.map(function (c) { return cell(r[c], c); }).join(";"));
    });
    return lines.join("\r\n") + "\r\n";
  }

  return {
    SCHOOL_YEAR: SCHOOL_YEAR, schoolYear: schoolYear, endBounds: endBounds,
    toCsv: toCsv, FACETS: FACETS, COLUMNS: COLUMNS, PAGE_SIZE: PAGE_SIZE, STATUT_LABELS: STATUT_LABELS,
    TYPE_LABELS: TYPE_LABELS, normalize: normalize, prepare: prepare, emptyState: emptyState,
    filterRows: filterRows, facetOptions: facetOptions, sortRows: sortRows,
    pageSlice: pageSlice, parseState: parseState, serializeState: serializeState,
    countLabel: countLabel, fromShard: fromShard, formatDate: formatDate,
    isDefaultOrder: isDefaultOrder, pageRanks: pageRanks, shardsFor: shardsFor,
    canonicalValue: canonicalValue
  };
});
