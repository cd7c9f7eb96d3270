"""`make diff`: the agreement text, article by article, on a fixture git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import NANTES, SAMPLES, coop, edit
from coop.authoring import AuthoringError
from coop.authoring.revisions import text_diff

ID = "nantes-coloration-mspc-navale"
REL = "conventions/nantes/coloration-mspc-maintenance-navale.md"
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env=GIT_ENV, timeout=60)


@pytest.fixture
def gitrepo(tmp_path: Path) -> Path:
    """The samples, committed in a fresh git repository."""
    shutil.copytree(SAMPLES, tmp_path / "conventions")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "échantillons")
    return tmp_path


def change(repo: Path, old: str, new: str) -> None:
    path = repo / REL
    path.write_text(edit(path.read_text("utf-8"), old, new), "utf-8")


def test_no_change(gitrepo: Path) -> None:
    report = text_diff(gitrepo, ID)
    assert report == (f"# Convention « {ID} » ({REL}) : texte HEAD → copie de travail\n\n"
                      "Aucun changement dans le texte de la convention.\n")


def test_changed_added_and_renumbered_articles(gitrepo: Path) -> None:
    change(gitrepo, "preavis_mois: 6", "preavis_mois: 3")
    change(gitrepo, "## Préambule : stratégie", "## Précisions : objet\n\nLe lycée accueille "
           "aussi des apprentis.\n\n## Article ajouté après objet : Calendrier\n\nLe calendrier "
           "est arrêté en juin.\n\n## Préambule : stratégie")
    report = text_diff(gitrepo, ID)
    sections = report.split("\n\n## ")
    titles = [s.split("\n", 1)[0] for s in sections[1:]]
    assert titles == [
        "Article 1 – Objet de la convention — modifié",
        "Article 2 – Calendrier — ajouté",
        "Article 9 – Engagements de la collectivité — modifié",  # « article 4 » -> 5
        "Article 11 – Durée — modifié",  # « article 2 » -> 3
        "Article 13 – Litiges et résiliations — modifié",
        "Écarts par rapport au modèle national — modifié",  # the added article is listed
        "Numérotation"]
    assert "L’article 2 « Calendrier » est ajouté par les parties" in sections[6].replace(
        "\u00a0", " ").replace("\u202f", " ")
    assert "+Le lycée accueille aussi des apprentis." in sections[1]
    assert sections[2].endswith("+Le calendrier est arrêté en juin.")
    assert "-l’article 4.\n+l’article 5." in sections[3].replace("\u00a0", " ")
    litiges = sections[5].replace("\u00a0", " ")
    assert "--- HEAD\n+++ copie de travail\n" in litiges
    assert "-accusé de réception, sous réserve du respect d’un préavis de 6 mois." in litiges
    assert "+accusé de réception, sous réserve du respect d’un préavis de 3 mois." in litiges
    assert "- l’article 2 « Publics ciblés par la coloration et durée » devient l’article 3" \
           in sections[7]
    assert report.endswith("\n\n6 articles ou sections modifiés.\n")
    assert "preavis_mois" not in report  # the text, not the YAML


def test_removed_article_and_signature_against_an_older_revision(gitrepo: Path) -> None:
    change(gitrepo, "## Article ajouté après communication : Engagements de la collectivité",
           "## Précisions : communication")
    change(gitrepo, "statut: en_signature", "statut: signee")
    change(gitrepo, "  date:\n", "  date: 2026-06-15\n")
    git(gitrepo, "commit", "-q", "-am", "signature")
    assert "Aucun changement" in text_diff(gitrepo, ID)
    report = text_diff(gitrepo, ID, "HEAD~1")
    assert "texte HEAD~1 → copie de travail" in report
    titles = [line for line in report.splitlines() if line.startswith("## ")]
    assert titles == ["## Article 7 – Communication — modifié",
                      "## Écarts par rapport au modèle national — modifié",
                      "## Fonction et signature des parties — modifié",
                      "## Article 8 – Engagements de la collectivité — supprimé",
                      "## Numérotation"]
    spaced = report.replace("\u00a0", " ").replace("\u202f", " ")  # French typography aside
    assert "-Fait à Saint-Nazaire, le ……………………, en 3 exemplaires originaux." in spaced
    assert "+Fait à Saint-Nazaire, le 15 juin 2026, en 3 exemplaires originaux." in spaced


def test_new_and_deleted_conventions(gitrepo: Path) -> None:
    text = NANTES.read_text("utf-8").replace(f"id: {ID}", "id: nouvelle-convention")
    (gitrepo / "conventions" / "nouvelle.md").write_text(text, "utf-8")
    report = text_diff(gitrepo, "nouvelle-convention")
    assert "Convention absente de HEAD : tout son texte est nouveau." in report
    assert "## Article 12 – Litiges et résiliations — ajouté" in report
    (gitrepo / REL).unlink()
    report = text_diff(gitrepo, ID)
    assert "Convention supprimée de la copie de travail." in report
    assert "## Article 1 – Objet de la convention — supprimé" in report


def test_errors_in_french(gitrepo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with pytest.raises(AuthoringError, match="révision git inconnue « v9 »"):
        text_diff(gitrepo, ID, "v9")
    with pytest.raises(AuthoringError, match="aucune convention d’identifiant « inconnue »"):
        text_diff(gitrepo, "inconnue")
    change(gitrepo, "preavis_mois: 6", "preavis_mois: 0")
    with pytest.raises(AuthoringError, match=r"(?s)la version « copie de travail » de .* "
                       r"n’est pas valide.*preavis_mois: doit être supérieur ou égal à 1"):
        text_diff(gitrepo, ID)
    plain = tmp_path_factory.mktemp("sans-git")
    shutil.copytree(SAMPLES, plain / "conventions")
    with pytest.raises(AuthoringError, match="n’est pas un dépôt git"):
        text_diff(plain, ID)


def test_command_line(gitrepo: Path) -> None:
    change(gitrepo, "preavis_mois: 6", "preavis_mois: 3")
    done = coop("diff", "--racine", str(gitrepo), "--id", ID)
    assert done.returncode == 0, done.stderr
    assert "## Article 12 – Litiges et résiliations — modifié" in done.stdout
    bad = coop("diff", "--racine", str(gitrepo), "--id", ID, "--rev", "nulle-part")
    assert bad.returncode == 1
    assert bad.stderr.startswith("ÉCHEC : révision git inconnue « nulle-part »")
