"""The « Échéances » page, `coop echeances` and the deadline warnings of `coop check`."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from pathlib import Path

from test_deadlines import coloration, conv, fcil

from conftest import LYON, ROOT, edit
from conftest import coop as run_coop
from coop.catalog import load_catalog
from coop.site.echeances import echeances_page

TODAY = date(2026, 11, 29)


def coop(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m coop …` without the caller's COOP_AUJOURDHUI, unless `env` sets it."""
    environ = {k: v for k, v in os.environ.items() if k != "COOP_AUJOURDHUI"}
    return run_coop(*args, env={**environ, **(env or {})})


# --- page -------------------------------------------------------------------------------

def test_page_on_the_samples() -> None:
    page = echeances_page(load_catalog(ROOT), TODAY, link_prefix="../",
                          ics_url="../echeances.ics")
    assert "du 29\u00a0novembre\u00a02026 au 28\u00a0novembre\u00a02027" in page
    assert re.findall(r'<h2 id="echeances-([0-9-]+)">([^<]+)</h2>', page) == [
        ("2027-05", "Mai 2027"), ("2027-06", "Juin 2027")]
    rows = re.findall(r'<tr data-academie="([^"]+)" data-type="([a-z_]+)"><td><time '
                      r'datetime="([0-9-]+)">', page)
    assert rows == [("Aix-Marseille", "comite_suivi", "2027-05-28"),
                    ("Aix-Marseille", "fin_de_terme", "2027-05-28"),
                    ("Lille", "comite_suivi", "2027-06-20"),
                    ("Lyon", "fin_de_terme", "2027-06-30")]
    assert ('<a href="../conventions/lyon-fcil-maintenance-aeronautique/">FCIL Maintenance '
            "des hélicoptères – lycée Jean-Mermoz</a>") in page
    assert "<time datetime=\"2027-06-30\">30\u00a0juin\u00a02027</time>" in page
    assert re.findall(r'<option value="([^"]*)">', page) == ["", "Aix-Marseille", "Lille",
                                                             "Lyon"]
    assert '<a href="../echeances.ics" download>' in page
    # unsigned samples (Nantes, Paris, Rennes, Toulouse) have no deadline yet
    assert "nantes-coloration" not in page and "bts-mhr" not in page
    assert "31\u00a0mai moins 3\u00a0mois donne le 28\u00a0février (29 les années " \
        "bissextiles)" in page
    assert "http" not in page  # no external asset
    assert "\n\n" not in page[page.index("<div"):page.index("</div>")]  # one HTML block


def test_page_groups_by_month_soonest_first_with_every_kind() -> None:
    conventions = [
        conv(coloration(debut=date(2024, 9, 1), cycle=2, renews=True, preavis=6,
                        signed=date(2024, 6, 1)), "coloration-b"),
        conv(fcil(fin=date(2027, 5, 28)), "fcil-a"),
    ]
    page = echeances_page(conventions, date(2026, 1, 1))
    months = re.findall(r'<section class="coop-echeances-mois" data-mois="([0-9-]+)">', page)
    assert months == sorted(months) == ["2026-02", "2026-06", "2026-08"]
    assert "Date limite de préavis</span><br><small>préavis de 6\u00a0mois avant la fin de " \
        "cycle du 31\u00a0août\u00a02026</small>" in page
    assert "Fin de cycle (reconduction tacite)" in page
    assert "Comité de suivi" in page
    assert 'href="conventions/coloration-b/"' in page
    assert re.findall(r'<option value="([^"]*)">', page) == ["", "Nantes"]


def test_page_escapes_convention_text() -> None:
    data = fcil()
    data["titre"] = 'FCIL <script>alert(1)</script> {{ config }} {% if %} "x"'
    page = echeances_page([conv(data)], date(2027, 1, 1))
    assert "<script>alert" not in page
    assert "{{" not in page and "{%" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#123;&#123; config &#125;&#125;" in page


def test_page_without_events() -> None:
    page = echeances_page([conv(fcil(statut="brouillon", signed=None))], TODAY, heading="Échéances")
    assert page.startswith("# Échéances\n")
    assert "*Aucune échéance dans les 12\u00a0prochains mois.*" in page
    assert "<select" not in page and "<script>" not in page


def test_page_filter_script_is_inline_and_small() -> None:
    page = echeances_page(load_catalog(ROOT), TODAY)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert len(scripts) == 1 and scripts[0][0] == ""  # inline, no src
    assert 'select.coop-echeances-filtre' in scripts[0][1]
    assert 'data-academie' in scripts[0][1]


# --- command line -----------------------------------------------------------------------

def test_echeances_command() -> None:
    result = coop("--date", "2026-11-29", "echeances")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Échéances du 29 novembre 2026 au 28 novembre 2027 : 4 événements.",
        "",
        "Mai 2027",
        "  28 mai 2027        Comité de suivi                     FCIL Maintenance des "
        "équipements portuaires – Grand Port de Marseille",
        "                                                         aix-marseille-fcil-portuaire "
        "– Aix-Marseille",
        "  28 mai 2027        Fin de la convention                FCIL Maintenance des "
        "équipements portuaires – Grand Port de Marseille",
        "                                                         aix-marseille-fcil-portuaire "
        "– Aix-Marseille",
        "",
        "Juin 2027",
        "  20 juin 2027       Comité de suivi                     BTS Maintenance des systèmes "
        "coloré « matériel ferroviaire » – Valenciennes",
        "                                                         lille-bts-ms-ferroviaire – Lille",
        "  30 juin 2027       Fin de la convention                FCIL Maintenance des "
        "hélicoptères – lycée Jean-Mermoz",
        "                                                         "
        "lyon-fcil-maintenance-aeronautique – Lyon",
    ]


def test_echeances_environment_date_academie_and_months() -> None:
    result = coop("echeances", "--academie", "Lyon", "--mois", "6",
                  env={"COOP_AUJOURDHUI": "2027-01-01"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Échéances du 1er janvier 2027 au 30 juin 2027 (académie : Lyon) : 1 événement.")
    none = coop("--date", "2027-07-01", "echeances", "--academie", "Lyon")
    assert none.stdout.strip() == ("Aucune échéance du 1er juillet 2027 au 30 juin 2028 "
                                   "(académie : Lyon).")


def test_invalid_today() -> None:
    bad_env = coop("echeances", env={"COOP_AUJOURDHUI": "2027-02-30"})
    assert bad_env.returncode == 2
    assert bad_env.stderr.strip() == ("ÉCHEC : COOP_AUJOURDHUI : date invalide « 2027-02-30 », "
                                      "attendu AAAA-MM-JJ (par exemple 2026-09-01)")
    bad_option = coop("--date", "demain", "check")
    assert bad_option.returncode == 2
    assert "date invalide « demain »" in bad_option.stderr


def test_check_prints_deadline_warnings(repo: Path) -> None:
    text = LYON.read_text("utf-8")
    path = repo / "conventions" / "a.md"
    path.write_text(text, "utf-8")
    fin_line = text.splitlines().index("    fin: 2027-06-30") + 1
    result = coop("--racine", str(repo), "--date", "2027-05-01", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK : 1 convention valide, 1 avertissement."
    assert result.stderr.strip() == (
        f"conventions/a.md:{fin_line}:5: formation.duree.fin: (avertissement) la convention "
        "arrive à son terme le 30\u00a0juin\u00a02027 (dans 60 jours) : préparez son "
        "renouvellement ou sa clôture")
    expired = coop("--racine", str(repo), "--date", "2027-07-01", "check")
    assert expired.returncode == 0
    assert re.fullmatch(r"conventions/a\.md:\d+:1: statut: \(avertissement\) la convention est "
                        r"arrivée à son terme le 30\xa0juin\xa02027, sans reconduction tacite : "
                        r"elle est affichée comme expirée ; passez son statut à « expiree »",
                        expired.stderr.strip())


def test_check_warns_when_comite_overdue(repo: Path) -> None:
    text = edit(LYON.read_text("utf-8"), "  derniere_reunion: 2026-10-15\n", "")
    text = edit(text, "fin: 2027-06-30", "fin: 2027-07-30")
    text = edit(text, "date: 2026-06-15", "date: 2026-06-01")
    text = edit(text, "debut: 2026-09-01", "debut: 2026-09-14")
    (repo / "conventions" / "a.md").write_text(text, "utf-8")
    result = coop("--racine", str(repo), "--date", "2027-06-02", "check")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert any("comite_suivi: (avertissement) comité de suivi en retard : attendu au plus "
               "tard le 1er\u00a0juin\u00a02027" in line for line in lines), lines


def test_samples_have_no_warning_on_the_reference_day() -> None:
    """The day test_cli uses: keep it warning-free when editing the samples."""
    result = coop("--date", "2026-08-15", "check")
    assert result.returncode == 0
    assert result.stdout.strip() == "OK : 7 conventions valides."
    assert result.stderr == ""


def test_page_lists_overdue_comites_first() -> None:
    late = coloration(debut=date(2024, 9, 1), cycle=2, renews=True, preavis=6,
                      signed=date(2024, 6, 1))
    page = echeances_page([conv(late, "coloration-b"), conv(fcil(fin=date(2027, 5, 28)))],
                          date(2026, 1, 1))
    sections = re.findall(r'<section class="coop-echeances-mois" data-mois="([0-9a-z-]+)">',
                          page)
    assert sections[0] == "retard" and sections[1:] == sorted(sections[1:])
    retard = page.split('data-mois="retard"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="echeances-retard">En retard</h2>' in retard
    assert '<time datetime="2025-06-01">' in retard  # a year after the signature
    assert 'coop-badge--retard">en retard<' in retard
    assert 'href="conventions/coloration-b/"' in retard
