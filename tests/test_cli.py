"""The command line: exit codes and messages, run as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import LYON, ROOT


def coop(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coop", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_check_ok_on_samples() -> None:
    # a fixed day on which no sample has a deadline warning (see tests/test_echeances.py)
    result = coop("--date", "2026-08-15", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK : 4 conventions valides."


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
    text = LYON.read_text("utf-8").replace("debut: 2026-09-01", "debut: 2026-11-02").replace(
        "fin: 2027-06-30", "fin: 2027-10-01")
    path = repo / "conventions" / "a.md"
    path.write_text(text, "utf-8")
    result = coop("--racine", str(repo), "--date", "2026-08-15", "check", str(path))
    assert result.returncode == 0
    assert result.stdout.strip() == "OK : 1 convention valide, 1 avertissement."
    assert "(avertissement) la FCIL déborde" in result.stderr


def test_expand_writes_one_file_per_convention(tmp_path: Path) -> None:
    result = coop("expand", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["aix-marseille-fcil-portuaire.md", "bts-mhr-gastronomie-durable.md",
                     "lyon-fcil-maintenance-aeronautique.md", "nantes-coloration-mspc-navale.md"]
    assert (tmp_path / "bts-mhr-gastronomie-durable.md").read_text("utf-8").startswith(
        "# Convention de coopération entre Lycée des métiers de l’hôtellerie Jean-Drouant et ")


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
    assert "valide les conventions" in result.stdout


def test_expand_consolidated_text() -> None:
    result = coop("expand", "--out", "-", "--id", "lyon-fcil-maintenance-aeronautique",
                  "--consolide")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("*Article modifié par l’avenant n°\u00a01 du 4\u00a0janvier"
                               "\u00a02027.*") == 2
    assert "fixé à 18\u00a0semaines" in result.stdout
