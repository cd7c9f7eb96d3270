"""`make new`: questions through stdin, the same answers as options, the written file, and
the « À COMPLÉTER » rule of the validator."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from io import StringIO
from pathlib import Path

import pytest

from conftest import LYON, CheckText, coop, edit
from coop import validate
from coop.authoring import AuthoringError
from coop.authoring.prompts import (
    Invalid,
    Prompter,
    collect,
    fcil_end_parser,
    parse_academie,
    parse_members,
    parse_person,
    region_parser,
)
from coop.authoring.skeleton import render
from coop.catalog import load_catalog
from coop.model import available_models
from coop.validate import PLACEHOLDER, latest_model

TODAY = date(2026, 3, 10)

# One answer per line, in the order of the questions; wrong answers are asked again.
INTERACTIVE = [
    "fcil",
    "Caen",  # ✗ merged into Normandie
    "lyon",
    "Île-de-France",  # ✗ Lyon is in Auvergne-Rhône-Alpes
    "",  # the suggested région académique
    "FCIL Maintenance des hélicoptères",
    "bassin d’emploi de l’Est lyonnais",
    "Lycée professionnel Jean-Mermoz",
    "0690026E",  # ✗ check letter
    "0690026D",
    "12 rue des Aviateurs, 69500 Bron",
    "Claire Dupont",  # ✗ no civilité
    "Mme Claire Dupont",
    "",  # fonction [proviseure]
    "",  # désignation [le lycée]
    "Rhône Hélicoptères Maintenance SAS",
    "",  # nature [entreprise]
    "732 829 320 00075",  # ✗ Luhn key
    "732 829 320 00074",
    "Aéroport de Lyon-Bron, 69500 Bron",
    "Monsieur Paul Martin",
    "directeur des ressources humaines",
    "RHM",
    "",  # no second partner
    "Maintenance des hélicoptères",
    "Aéronautique",
    "Baccalauréat professionnel",
    "Aéronautique option systèmes",
    "",  # niveau [4], guessed from the diploma
    "40025005",
    "scolaire, apprenti",
    "2026-09-01",
    "2026-10-15",  # ✗ less than 3 months
    "",  # fin [2027-06-30]
    "",  # comité de suivi, académie [le recteur ou son représentant]
    "",  # lieu [Bron]
    "",  # id
]


def run_new(repo: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return coop("new", "--racine", str(repo), *args, stdin=stdin)


def fill(text: str) -> str:
    """What a user does next: replace every placeholder with a real value."""
    values = {
        "libelle": "bassin d’emploi de l’Est lyonnais", "adresse": "1 rue de la Paix, 69000 Lyon",
        "civilite": "Madame", "nom": "Anne Martin", "fonction": "directrice",
        "intitule": "Baccalauréat professionnel", "specialite": "Aviation générale",
        "secteur": "Aéronautique", "niveau": "4", "theme": "maintenance navale",
        "complement": "la maintenance des hélicoptères légers et la documentation en anglais.",
        "fin": "2027-06-30", "debut": "2026-09-01", "annees_cycle": "3",
        "duree_semaines": "16", "modalites": "quatre périodes de quatre semaines en atelier.",
        "cosignataires": "[recteur_academie]", "membres": "[le directeur technique]",
        "preavis_mois": "3", "lieu": "Bron", "delivree": "true",
        "tacite_reconduction": "false", "partie": "RHM",
    }
    out = []
    for line in text.split("\n"):
        if PLACEHOLDER in line:
            m = re.match(r"^(\s*(?:- )?)(\w+): \[?" + PLACEHOLDER + r"\]?$", line)
            if m:
                line = f"{m.group(1)}{m.group(2)}: {values[m.group(2)]}"
            elif re.match(r"^\s*- " + PLACEHOLDER + "$", line):
                line = line.replace(PLACEHOLDER, "la proviseure")
            else:
                line = line.replace(PLACEHOLDER + " :", "Texte rédigé :")
        out.append(line)
    return "\n".join(out)


def test_interactive_answers_are_checked_as_typed(repo: Path) -> None:
    result = run_new(repo, stdin="\n".join(INTERACTIVE) + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "l’académie de Caen n’existe plus : depuis 2020, elle fait partie de l’académie " \
           "de Normandie" in out
    assert "Région académique [Auvergne-Rhône-Alpes]" in out
    assert "l’académie « Lyon » appartient à la région académique « Auvergne-Rhône-Alpes », " \
           "pas à « Île-de-France »" in out
    assert "✗ lettre clé de l’UAI incorrecte : « E », attendu « D »" in out
    assert "✗ commencez par « Madame » ou « Monsieur »" in out
    assert "✗ clé de contrôle du SIRET incorrecte (algorithme de Luhn)" in out
    assert "✗ une FCIL dure au moins 3 mois" in out
    assert "Créé : conventions/lyon/fcil-maintenance-des-helicopteres.md" in out
    path = repo / "conventions" / "lyon" / "fcil-maintenance-des-helicopteres.md"
    text = path.read_text("utf-8")
    for line in ("id: lyon-fcil-maintenance-des-helicopteres", "statut: brouillon",
                 "  region_academique: Auvergne-Rhône-Alpes", "    uai: 0690026D",
                 '    siret: "73282932000074"', "      civilite: Madame",
                 "      fonction: proviseure", "    designation: RHM", "      niveau: 4",
                 '      cfd: "40025005"', "  publics: [scolaire, apprenti]",
                 "    fin: 2027-06-30", "  lieu: Bron", "  date:", "  exemplaires: 2",
                 "      nom: Madame Claire Dupont", "      fonction: Directeur des ressources "
                 "humaines", f"modele: {latest_model()}",
                 "  academie:\n    - le recteur ou son représentant"):
        assert f"\n{line}\n" in text, line
    assert "— Comité de suivi —" in out
    assert "membre(s) du comité de suivi (plusieurs : séparés par « ; ») [le recteur ou son " \
           "représentant]" in out


def test_new_file_fails_check_until_placeholders_are_filled(repo: Path) -> None:
    run_new(repo, stdin="\n".join(INTERACTIVE) + "\n")
    path = repo / "conventions" / "lyon" / "fcil-maintenance-des-helicopteres.md"
    check = coop("check", "--racine", str(repo))
    assert check.returncode == 1
    lines = check.stderr.splitlines()
    rel = "conventions/lyon/fcil-maintenance-des-helicopteres.md"
    assert any(re.fullmatch(rf"{rel}:\d+:5: cooperation\.pfmp\.duree_semaines: à compléter : "
                            r"Durée totale des PFMP, en semaines\.", ln) for ln in lines), lines
    assert any(re.fullmatch(rf"{rel}:\d+:1: corps: texte à compléter : remplacez « À COMPLÉTER "
                            r"» par le texte de la convention", ln) for ln in lines)
    assert not any("nombre entier est attendu" in ln for ln in lines)  # one message per field
    assert all("à compléter" in ln for ln in lines[:-1]), lines
    path.write_text(fill(path.read_text("utf-8")), "utf-8")
    check = coop("check", "--racine", str(repo))
    assert check.returncode == 0, check.stderr


def test_options_make_it_non_interactive(repo: Path) -> None:
    result = run_new(repo, "--type", "coloration", "--academie", "Nantes", "--titre",
                     "Bac pro MSPC coloré maintenance navale", "--etablissement",
                     "Lycée professionnel Brossaud-Blancho", "--uai", "0440030U",
                     "--partenaire", "Chantiers de l’Atlantique", "38301556100020",
                     "--partenaire", "CARENE", "-", "collectivite_territoriale",
                     "--diplome", "Bac pro", "--debut", "2026-09-01", "--comite-academie",
                     "l’IEN économie-gestion ; la DAFPIC ou son représentant")
    assert result.returncode == 0, result.stderr
    assert "?" not in result.stdout and " : " not in result.stdout.split("Créé")[0]
    path = repo / "conventions" / "nantes" / "coloration-bac-pro-mspc-colore-maintenance-navale.md"
    text = path.read_text("utf-8")
    assert "\nid: nantes-coloration-bac-pro-mspc-colore-maintenance-navale\n" in text
    assert "  region_academique: Pays de la Loire\n" in text
    assert "  - nature: collectivite_territoriale\n    nom: CARENE\n" in text  # 2nd item
    assert "    niveau: 4\n" in text and "    annees_cycle: 3\n" in text  # guessed
    assert "  tacite_reconduction: À COMPLÉTER\n" in text
    assert "  exemplaires: 3\n" in text
    assert "  academie:\n    - l’IEN économie-gestion\n    - la DAFPIC ou son représentant\n" \
           in text
    path.write_text(fill(text), "utf-8")
    assert load_catalog(repo).errors == []


def test_every_field_has_its_description_above(repo: Path) -> None:
    run_new(repo, "--type", "fcil", "--academie", "Lyon", "--titre", "FCIL Essai complet",
            "--etablissement", "Lycée Jean-Mermoz", "--uai", "0690026D", "--partenaire", "RHM")
    text = next((repo / "conventions").rglob("*.md")).read_text("utf-8")
    header = text.split("---\n")[1].split("\n")
    assert header[0].startswith("# Convention créée par « make new »")
    keys = [i for i, ln in enumerate(header) if re.match(r"^\s*(- )?[a-z_]+:", ln)]
    signers = header.index("  signataires:")
    commented = [i for i in keys if header[i - 1].lstrip().startswith("#")]
    uncommented = [header[i] for i in keys if i not in commented]
    # only the second and later items of a list go without (the first one has them)
    assert all(i > signers or header[i].startswith("    ") for i in keys if i not in commented)
    assert "    # Code UAI de l’établissement (7 chiffres + lettre clé), obligatoire pour un" \
           in header
    assert "  # etablissement, academie ou region_academique." in header
    assert len(uncommented) <= 4, uncommented  # 2nd signer (3 lines) + nothing else


def test_refuses_to_overwrite(repo: Path) -> None:
    args = ("--type", "fcil", "--academie", "Lyon", "--titre", "FCIL Essai", "--etablissement",
            "Lycée Jean-Mermoz", "--uai", "0690026D", "--partenaire", "RHM")
    assert run_new(repo, *args).returncode == 0
    path = repo / "conventions" / "lyon" / "fcil-essai.md"
    path.write_text(path.read_text("utf-8") + "\nmodifié à la main\n", "utf-8")
    before = path.read_bytes()
    again = run_new(repo, *args, "--id", "autre-identifiant", "--fichier", str(path))
    assert again.returncode == 1
    assert "existe déjà : rien n’a été écrit" in again.stderr
    assert path.read_bytes() == before
    same_id = run_new(repo, *args)
    assert same_id.returncode == 1
    assert "identifiant « lyon-fcil-essai » déjà utilisé par conventions/lyon/fcil-essai.md" \
           in same_id.stderr


def test_wrong_options_and_missing_ones(repo: Path) -> None:
    bad = run_new(repo, "--type", "fcil", "--academie", "Lyon", "--titre", "FCIL Essai",
                  "--etablissement", "Lycée", "--uai", "0690026D", "--partenaire", "RHM",
                  "73282932000075")
    assert bad.returncode == 1
    assert "ÉCHEC : --partenaire « RHM 73282932000075 » : clé de contrôle du SIRET " \
           "incorrecte" in bad.stderr
    missing = run_new(repo, "--non-interactif", "--type", "fcil")
    assert missing.returncode == 1
    assert "réponses manquantes pour une création sans questions : --academie, --titre, " \
           "--etablissement, --uai, --partenaire" in missing.stderr
    stopped = run_new(repo, stdin="fcil\nLyon\n")  # the user gives up (end of input)
    assert stopped.returncode == 1 and "saisie interrompue" in stopped.stderr
    assert not list((repo / "conventions").rglob("*.md"))


def test_parsers() -> None:
    assert parse_academie("orleans tours") == "Orléans-Tours"
    with pytest.raises(Invalid, match="vouliez-vous dire « Grenoble »"):
        parse_academie("Grenobl")
    assert region_parser("Nice")("provence-alpes-cote d'azur") == "Provence-Alpes-Côte d'Azur"
    assert parse_person("M. Paul  Martin") == ("Monsieur", "Paul Martin")
    assert parse_person("madame Anne Roy") == ("Madame", "Anne Roy")
    end = fcil_end_parser(date(2026, 9, 1))
    assert end("2026-11-30") == date(2026, 11, 30)
    with pytest.raises(Invalid, match="dans l’année scolaire 2026-2027, elle finit au plus "
                       "tard le 2027-08-31"):
        end("2027-09-01")
    assert end("2027-08-31") == date(2027, 8, 31)
    with pytest.raises(Invalid, match="ne tient pas dans l’année scolaire 2026-2027"):
        fcil_end_parser(date(2027, 7, 1))("2027-10-01")
    assert parse_members(" le recteur ou son représentant ;; l’IEN ") == [
        "le recteur ou son représentant", "l’IEN"]
    with pytest.raises(Invalid, match="au moins un membre"):
        parse_members(" ; ")


def test_new_file_follows_the_newest_model(monkeypatch: pytest.MonkeyPatch) -> None:
    assert latest_model() == max(available_models(), key=lambda n: int(n.rpartition("/v")[2]))
    monkeypatch.setattr(validate, "available_models", lambda: [
        "adaptation-offre-formation/v1", "adaptation-offre-formation/v10",
        "adaptation-offre-formation/v9"])
    assert latest_model() == "adaptation-offre-formation/v10"  # by number, not by text


def test_collect_from_a_prompter_in_memory() -> None:
    answers = "\n".join([*INTERACTIVE[:2], "Lyon", *INTERACTIVE[3:]]) + "\n"
    out = StringIO()
    got = collect({}, Prompter(StringIO(answers), out), TODAY)
    assert (got.type, got.academie, got.region_academique) == ("fcil", "Lyon",
                                                                 "Auvergne-Rhône-Alpes")
    assert got.partenaires[0].siret == "73282932000074"
    assert got.fin == date(2027, 6, 30)
    assert "— Partenaires —" in out.getvalue()
    with pytest.raises(AuthoringError, match="--uai « 123 »"):
        collect({"type": "fcil", "academie": "Lyon", "titre": "FCIL Essai",
                 "etablissement": "Lycée", "uai": "123", "partenaires": [["RHM"]]}, None, TODAY)
    skeleton = render(collect({"type": "fcil", "academie": "Lyon", "titre": "FCIL Essai",
                               "etablissement": "Lycée", "uai": "0690026D",
                               "partenaires": [["RHM"]]}, None, TODAY))
    assert "\n    debut: 2026-09-01\n" in skeleton  # the next school year
    assert "\n    fin: 2027-06-30\n" in skeleton
    assert "\n  academie:\n    - le recteur ou son représentant\n" in skeleton  # the default
    assert got.comite_academie == ["le recteur ou son représentant"]


# The validator's rule for placeholders (macros/coop/validate.py).

def test_placeholder_replaces_the_schema_message(check_text: CheckText) -> None:
    text = edit(LYON.read_text("utf-8"), "  exemplaires: 2", f"  exemplaires: {PLACEHOLDER}")
    problems = check_text(text)
    assert problems == [
        "conventions/essai.md:89:3: signature.exemplaires: à compléter : Nombre d’exemplaires "
        "originaux."]


def test_placeholder_in_a_list_and_in_the_body(check_text: CheckText) -> None:
    text = edit(LYON.read_text("utf-8"), "cosignataires: [recteur_academie]",
                f"cosignataires: [{PLACEHOLDER}]")
    text = edit(text, "## Préambule : stratégie\n\n", f"## Préambule : stratégie\n\n{PLACEHOLDER}"
                " : la stratégie.\n")
    problems = check_text(text, errors_only=True)
    assert len(problems) == 2
    assert problems[0].startswith("conventions/essai.md:")
    assert ": attestation.cosignataires[1]: à compléter : Qui co-signe l’attestation" \
           in problems[0]
    assert re.fullmatch(r"conventions/essai\.md:\d+:1: corps: texte à compléter : remplacez « "
                        r"À COMPLÉTER » par le texte de la convention", problems[1])


def test_lowercase_words_are_not_placeholders(check_text: CheckText) -> None:
    text = edit(LYON.read_text("utf-8"), "libelle: bassin d’emploi de l’Est lyonnais",
                "libelle: bassin à compléter plus tard")
    assert check_text(text, errors_only=True) == []
