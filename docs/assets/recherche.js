/* Page « Rechercher » : interroge l'index Pagefind du site (dossier pagefind/, écrit par
 * coop.site.search après la construction). Tout vient du site lui-même, rien n'est envoyé
 * à un tiers ; une requête ne télécharge que les morceaux d'index de ses mots et les
 * extraits des résultats affichés (10 à la fois). L'adresse garde la requête (?q=…), ce
 * qui permet à un simple formulaire d'une autre page d'ouvrir cette page sur ses
 * résultats. Les extraits sont du texte des conventions : jamais insérés comme HTML.
 * Un grand catalogue est indexé en plusieurs lots (pagefind/, pagefind/lot-2/, …, listés
 * dans pagefind/lots.json) : le premier fournit la bibliothèque, les autres lui sont
 * ajoutés (mergeIndex), et une requête les interroge tous, résultats classés ensemble. */
(function () {
  "use strict";
  var root = document.querySelector(".coop-recherche");
  if (!root || !window.URL || !window.Promise) return;

  var form = root.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var status = root.querySelector(".coop-recherche__etat");
  var list = root.querySelector(".coop-recherche__resultats");
  var more = root.querySelector(".coop-recherche__plus");
  var noScript = document.querySelector(".coop-recherche__sans-js");

  var bundle = new URL(root.getAttribute("data-index") || "../pagefind/", document.baseURI);
  var siteRoot = new URL("../", bundle);  // the index sits at the root of the site
  var PAGE = 10;  // results whose extract is fetched at a time
  var DELAY = 300;  // ms of quiet typing before a search
  var engine = null;  // Promise of the Pagefind module
  var current = null;  // {term, results, shown}
  var serial = 0;  // the latest query wins
  var timer = 0;

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

  /* The bundles after the first one, as paths (« /pagefind/lot-2/ »); none when the
   * manifest is absent (an index written in one run). */
  function otherBundles() {
    // Revalidated: a rebuild may change the number of bundles.
    return fetch(new URL("lots.json", bundle).href, { cache: "no-cache" }).then(function (response) {
      return response.ok ? response.json() : { lots: [""] };
    }).then(function (manifest) {
      return (manifest.lots || []).filter(Boolean).map(function (name) {
        return new URL(name, bundle).pathname;
      });
    });
  }

  function load() {
    if (!engine) {
      var settings = { baseUrl: siteRoot.pathname, excerptLength: 30 };
      engine = Promise.all([import(new URL("pagefind.js", bundle).href), otherBundles()])
        .then(function (loaded) {
          var pf = loaded[0];
          return pf.options(settings)
            .then(function () { return pf.init(); })
            .then(function () {  // the same settings: scores compare across bundles
              return Promise.all(loaded[1].map(function (path) {
                return pf.mergeIndex(path, settings);
              }));
            })
            .then(function () { return pf; });
        });
    }
    return engine;
  }

  /* Pagefind's excerpt: the page's words with <mark> around the matches. Only the <mark>
   * elements are kept as such; everything else becomes text (an inert parse: no script
   * runs, no image loads). */
  function excerpt(html) {
    var doc = new DOMParser().parseFromString("<body>" + html, "text/html");
    var out = document.createDocumentFragment();
    Array.prototype.forEach.call(doc.body.childNodes, function (node) {
      var text = node.textContent;
      out.appendChild(node.nodeName === "MARK" ? h("mark", { text: text })
        : document.createTextNode(text));
    });
    return out;
  }

  function plural(n, one, many) {
    return n === 1 ? one : n + "\u00a0" + many;
  }

  function sections(data) {
    var title = (data.meta && data.meta.title) || "";
    return (data.sub_results || []).filter(function (s) {
      var heading = s.anchor ? s.anchor.element : "";
      return heading !== "h1" && s.url !== data.url && s.url.indexOf("#") > 0 &&
        s.title && s.title !== title &&
        s.excerpt !== data.excerpt;  // the page's own extract is already shown
    }).slice(0, 3);
  }

  function item(data) {
    var meta = data.meta || {};
    var subs = sections(data);
    return h("li", { "class": "coop-recherche__resultat" }, [
      h("p", { "class": "coop-recherche__titre" }, [
        h("a", { href: data.url, text: meta.title || data.url }),
        meta.genre ? " " : null,
        meta.genre ? h("span", { "class": "coop-recherche__genre", text: meta.genre }) : null
      ]),
      h("p", { "class": "coop-recherche__extrait" }, [excerpt(data.excerpt || "")]),
      subs.length ? h("ul", { "class": "coop-recherche__sections", "aria-label": "Passages" },
        subs.map(function (s) {
          return h("li", {}, [h("a", { href: s.url, text: s.title }), " — ",
            h("span", { "class": "coop-recherche__extrait" }, [excerpt(s.excerpt || "")])]);
        })) : null
    ]);
  }

  function keepInAddress(term) {
    var url = new URL(window.location.href);
    if (term) url.searchParams.set("q", term);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  function showMore(mine, focusFirst) {
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (all) {
      if (mine !== serial) return;
      var first = null;
      all.forEach(function (data) {
        var li = item(data);
        first = first || li;
        list.appendChild(li);
      });
      current.shown += batch.length;
      more.hidden = current.shown >= current.results.length;
      if (focusFirst && first) first.querySelector("a").focus();
    });
  }

  function failed(mine) {
    if (mine !== serial) return;
    status.textContent = "La recherche est indisponible : l’index de recherche du site est " +
      "introuvable. Les listes du catalogue restent accessibles ci-dessus.";
    if (noScript) noScript.hidden = false;
  }

  function run(raw) {
    var term = raw.trim();
    var mine = ++serial;
    keepInAddress(term);
    if (!term) {
      current = null;
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return Promise.resolve();
    }
    return load().then(function (pf) { return pf.search(term); }).then(function (found) {
      if (mine !== serial) return;
      var n = found.results.length;
      current = { term: term, results: found.results, shown: 0 };
      list.textContent = "";
      more.hidden = true;
      status.textContent = n === 0
        ? "Aucun résultat pour « " + term + " ». Essayez un autre mot, ou parcourez le catalogue."
        : plural(n, "1\u00a0résultat", "résultats") + " pour « " + term + " ».";
      return showMore(mine, false);
    }).catch(function () { failed(mine); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run(input.value);
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { run(input.value); }, DELAY);
  });
  more.addEventListener("click", function () {
    if (current) showMore(serial, true).catch(function () { failed(serial); });
  });

  if (noScript) noScript.hidden = true;
  form.hidden = false;
  var asked = new URL(window.location.href).searchParams.get("q") || "";
  if (asked) {
    input.value = asked;
    run(asked);
  } else {
    load().catch(function () { failed(serial); });  // ready before the first word
  }
})();
