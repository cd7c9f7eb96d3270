"""The command line: exit codes and messages, run as a user runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import LYON, ROOT, coop
from coop.catalog import load_catalog
from coop.cli import export
from coop.cli.french import translate
from coop.export.pipeline import FORMATS

COMMANDS = ("check", "expand", "export", "new", "statut", "diff", "echeances")
ENGLISH = ("usage:", "show this help", "positional arguments", "optional arguments",
           "options:", "error:", "required", "invalid choice", "expected")


def test_check_ok_on_samples() -> None:
    # a fixed day on which no sample has a deadline warning (see tests/test_echeances.py)
    result = coop("--date", "2026-08-15", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK : 7 conventions valides."


def test_check_fails_with_every_problem(repo: Path) -> None:
    text = LYON.read_text("utf-8").replace("uai: 0690026D", "uai: 0690026E").replace(
        '"732 829 320 00074"', '"732 829 320 00075"')
    (repo / "conventions" / "faux.md").write_text(text, "utf-8")
    result = coop("--racine", str(repo), "check")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "conventions/faux.md:15:5: etablissements[1].uai: lettre clé de l’UAI incorrecte : "
        "« E », attendu « D »",
        "conventions/faux.md:26:5: partenaires[1].siret: clé de contrôle du SIRET incorrecte "
        "(algorithme de Luhn)",
        "ÉCHEC : 2 erreurs, 0 avertissement."]
    assert "Traceback" not in result.stderr


def test_check_one_file_and_warning_only(repo: Path) -> None:
    text = LYON.read_text("utf-8").replace("  preavis_mois: 3", "  tacite_reconduction: true\n"
                                           "  preavis_mois: 3")
    path = repo / "conventions" / "a.md"
    path.write_text(text, "utf-8")
    result = coop("--racine", str(repo), "--date", "2026-08-15", "check", str(path))
    assert result.returncode == 0
    assert result.stdout.strip() == "OK : 1 convention valide, 1 avertissement."
    assert "(avertissement) la tacite reconduction concerne les colorations" in result.stderr


def test_expand_writes_one_file_per_convention(tmp_path: Path) -> None:
    result = coop("expand", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{c.id}.md" for c in load_catalog(ROOT).conventions)
    assert len(names) == 7
    assert (tmp_path / "bts-mhr-gastronomie-durable.md").read_text("utf-8").startswith(
        "# Convention de coopération entre le lycée des métiers de l’hôtellerie Jean-Drouant et ")


def test_expand_unknown_id() -> None:
    result = coop("expand", "--out", "-", "--id", "inconnue")
    assert result.returncode == 1
    assert result.stderr.strip() == "ÉCHEC : aucune convention d’identifiant « inconnue »."


def test_expand_refuses_invalid_catalog(repo: Path) -> None:
    shutil.copy(LYON, repo / "conventions" / "a.md")
    (repo / "conventions" / "b.md").write_text("sans en-tête\n", "utf-8")
    result = coop("--racine", str(repo), "expand", "--out", str(repo / "out"))
    assert result.returncode == 1
    assert not (repo / "out").exists()  # nothing written when anything is invalid


def test_help_is_french() -> None:
    result = coop("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("utilisation : coop [-h] [--racine DOSSIER]")
    assert "\ncommandes :\n" in result.stdout and "valide les conventions" in result.stdout
    for command in COMMANDS:
        assert f"\n    {command} " in result.stdout
    assert not [word for word in ENGLISH if word in result.stdout]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_each_command_is_french(command: str) -> None:
    result = coop(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"utilisation : coop {command} [-h] [--racine DOSSIER]")
    assert "\noptions :\n  -h, --help" in result.stdout
    assert "affiche cette aide et quitte" in result.stdout
    assert "racine du dépôt (défaut : dossier courant)" in result.stdout
    assert not [word for word in ENGLISH if word in result.stdout]


def test_missing_required_option_is_a_french_usage_error() -> None:
    result = coop("statut", "--id", "lyon-fcil-maintenance-aeronautique")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("utilisation : coop statut [-h]")
    assert result.stderr.strip().splitlines()[-1] == (
        "coop statut : erreur : arguments obligatoires manquants : --statut")


@pytest.mark.parametrize(("args", "error"), [
    ((), "coop : erreur : arguments obligatoires manquants : COMMANDE"),
    (("exporte",), "coop : erreur : argument COMMANDE : choix invalide « exporte » (choix "
     "possibles : « check », « expand », « export », « new », « statut », « signee », "
     "« diff », « revue », « reprise », « echeances », « site », « serve »)"),
    (("export", "--format", "odt"), "coop export : erreur : argument --format : choix "
     "invalide « odt » (choix possibles : « pdf », « docx », « all »)"),
    (("export", "--jobs", "deux"), "coop export : erreur : argument --jobs : nombre entier "
     "attendu, pas « deux »"),
    (("check", "--inconnue"), "coop : erreur : arguments non reconnus : --inconnue"),
    (("new", "--partenaire"), "coop new : erreur : argument --partenaire : au moins une "
     "valeur est attendue"),
    (("diff", "--id"), "coop diff : erreur : argument --id : une valeur est attendue"),
    (("echeances", "--mois", "0"), "coop echeances : erreur : argument --mois : nombre de "
     "mois invalide « 0 » (1 à 120)"),
])
def test_usage_errors_in_french(args: tuple[str, ...], error: str) -> None:
    result = coop(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("utilisation : coop")
    assert result.stderr.strip().splitlines()[-1] == error


def test_translate_keeps_french_and_unknown_messages() -> None:
    assert translate("argument --x: expected 2 arguments") == "argument --x : 2 valeurs attendues"
    assert translate("ambiguous option: --f could match --fin, --fichier") == (
        "option ambiguë : --f peut désigner --fin, --fichier")
    assert translate("date invalide « demain »") == "date invalide « demain »"


def test_export_offers_every_format_of_the_pipeline() -> None:
    assert (*FORMATS, "all") == export.CHOICES


def test_options_after_the_command_name(repo: Path) -> None:
    shutil.copy(LYON, repo / "conventions" / "a.md")
    result = coop("check", "--racine", str(repo), "--date", "2026-08-15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK : 1 convention valide."


def test_expand_consolidated_text() -> None:
    result = coop("expand", "--out", "-", "--id", "lyon-fcil-maintenance-aeronautique",
                  "--consolide")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("*Article modifié par l’avenant n°\u00a01 du 4\u00a0janvier"
                               "\u00a02027.*") == 2
    assert "fixé à 18\u00a0semaines" in result.stdout



def test_scripts_hold_only_the_benchmark() -> None:
    """`python -m coop` is the one command surface; scripts/ is tooling."""
    assert {p.name for p in (ROOT / "scripts").glob("*.py")} <= {
        "bench.py", "benchgen.py", "search_bench.py"}
