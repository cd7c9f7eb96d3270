"""`coop site` and `coop serve`: the catalogue site, built by the core then assembled by
the chosen engine (thin layer over `coop.site.engine`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .options import Subcommands, add_command, add_today, root, today


def _build(args: argparse.Namespace, *, strict: bool = True) -> int:
    """`strict`: missing publisher settings stop the build (a published site); otherwise
    (« coop serve », on one's own machine) they are warnings."""
    from ..site import engine  # the site stack (Jinja, templates) only when asked

    day = today(args)  # an invalid $COOP_AUJOURDHUI stops before any loading
    try:
        report = engine.build(root(args), engine=args.moteur, site=args.sortie, today=day,
                              strict=strict)
    except engine.SiteError as exc:
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 1
    for line in report.warnings:
        print(f"avertissement : {line}", file=sys.stderr)
    steps = ", ".join(f"{name} {s:.1f} s" for name, s in report.seconds.items())
    if report.unchanged:
        print(f"site inchangé : les {report.files} fichiers générés, les réglages et le "
              f"moteur sont ceux du site publié, gardé tel quel ({steps}) → {report.site}")
    else:
        print(f"site construit avec {engine.ENGINES[report.engine].label} : {report.files} "
              f"fichiers générés ({steps}) → {report.site}")
    return 0


def run_site(args: argparse.Namespace) -> int:
    return _build(args)


def run_serve(args: argparse.Namespace) -> int:
    code = _build(args, strict=False)
    if code:
        return code
    from ..site.engine import DEFAULT_SITE
    from ..site.serving import serving

    folder = (args.sortie or root(args) / DEFAULT_SITE).resolve()
    with serving(folder, args.port) as url:
        print(f"catalogue servi sur {url} (Ctrl+C pour arrêter) ; une modification des "
              "conventions, de docs/ ou de mkdocs.yml le reconstruit")
        _rebuild_on_change(args)
    return 0


def _rebuild_on_change(args: argparse.Namespace, period: float = 2.0) -> None:
    """Poll the sources; rebuild after a change (the site is swapped in whole)."""
    from ..site.watch import fingerprint

    seen = fingerprint(root(args))
    while True:
        time.sleep(period)
        now = fingerprint(root(args))
        if now != seen:
            seen = now
            print("modification détectée : reconstruction…", flush=True)
            _build(args, strict=False)  # an error is printed; the previous site stays
            sys.stdout.flush()


# The names of `coop.site.engine.ENGINES` (tests/test_site_engines.py checks it), kept here
# so that building the parser of every command does not import the site stack.
ENGINE_NAMES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"


def _options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--moteur", choices=ENGINE_NAMES, default=DEFAULT_ENGINE,
                   help=f"moteur qui assemble le site (défaut : {DEFAULT_ENGINE})")
    p.add_argument("--sortie", type=Path, metavar="DOSSIER",
                   help="dossier du site (défaut : build/site/ sous la racine)")
    add_today(p, argparse.SUPPRESS)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"port invalide « {text} » (1 à 65535)")
    return int(text)


def register(sub: Subcommands) -> None:
    p = add_command(sub, "site", "construit le catalogue (site statique) dans build/site/",
                    run_site, description="Valide les conventions, génère toutes les pages du "
                    "catalogue, puis les fait assembler par le moteur choisi (MkDocs + "
                    "Material par défaut, ou Zensical) ; le site publié est remplacé d’un coup, "
                    "jamais à moitié. Un réglage manquant de l’éditeur (section extra.editeur "
                    "de mkdocs.yml) arrête la construction.")
    _options(p)
    s = add_command(sub, "serve", "construit puis sert le catalogue sur 127.0.0.1", run_serve,
                    description="Comme « coop site », mais pour son poste : un réglage "
                    "manquant de l’éditeur (extra.editeur de mkdocs.yml) n’est qu’un "
                    "avertissement, et les pages légales l’affichent « à compléter ».")
    _options(s)
    s.add_argument("--port", type=_port, default=8000, help="port local (défaut : 8000)")
