"""One failing fixture per validation rule, with its exact French message."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import LYON, NANTES, CheckText, edit
from coop.catalog import load_catalog
from coop.model import load_model

FCIL = LYON.read_text("utf-8")
COLO = NANTES.read_text("utf-8")
F = "conventions/essai.md"
MODEL = "adaptation-offre-formation/v1"


def test_samples_are_valid() -> None:
    from conftest import ROOT

    catalog = load_catalog(ROOT)
    assert catalog.problems == []
    assert len(catalog.conventions) >= 4
    types = {c.type for c in catalog.conventions}
    statuses = {c.statut for c in catalog.conventions}
    assert types == {"coloration", "fcil"}
    assert {"brouillon", "signee"} <= statuses
    assert len({c.academie for c in catalog.conventions}) >= 3


def test_valid_file_has_no_problem(check_text: CheckText) -> None:
    assert check_text(FCIL) == []


# --- schema rules -------------------------------------------------------------------------

def test_unknown_key_suggests(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "titre:", "tittre:"))
    assert out[1].startswith(f"{F}:4:1: tittre: champ inconnu « tittre » "
                          "(vouliez-vous dire « titre » ?) ; champs possibles : ")
    assert out[0] == f"{F}:1:1: titre: champ obligatoire manquant"


def test_unknown_nested_key(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "    adresse: 12 rue", "    adrese: 12 rue"))
    assert out[0] == f"{F}:13:5: etablissements[1].adresse: champ obligatoire manquant"
    assert out[1].startswith(f"{F}:16:5: etablissements[1].adrese: champ inconnu « adrese » "
                             "(vouliez-vous dire « adresse » ?)")


def test_missing_required(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  libelle: bassin d’emploi de l’Est lyonnais\n", ""))
    assert out == [f"{F}:8:1: territoire.libelle: champ obligatoire manquant"]


def test_enum_with_suggestion(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "type: fcil", "type: FCIL"))
    assert out[0] == (f"{F}:6:1: type: valeur « FCIL » inconnue (vouliez-vous dire « fcil » ?) ; "
                      "valeurs possibles : « coloration », « fcil »")


def test_wrong_type_list_for_string(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  libelle: bassin d’emploi de l’Est lyonnais",
                          "  libelle: [bassin, Est]"))
    assert out == [f"{F}:11:3: territoire.libelle: un texte est attendu, pas une liste"]


def test_empty_required_string(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  libelle: bassin d’emploi de l’Est lyonnais", '  libelle: ""'))
    assert out == [f"{F}:11:3: territoire.libelle: ne doit pas être vide"]


def test_impossible_date(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  date: 2026-06-15", "  date: 2026-02-30"))
    assert f"{F}:88:3: signature.date: date impossible : « 2026-02-30 » n’existe pas dans le " \
           "calendrier" in out


def test_date_format(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "    debut: 2026-09-01", "    debut: 01/09/2026"))
    assert out == [f"{F}:53:5: formation.duree.debut: date attendue au format AAAA-MM-JJ, "
                   "pas « 01/09/2026 »"]


# --- identifiers and territory --------------------------------------------------------------

def test_academie_region_mismatch(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  academie: Lyon", "  academie: Grenoble").replace(
        "  region_academique: Auvergne-Rhône-Alpes", "  region_academique: Occitanie"))
    assert out == [f"{F}:10:3: territoire.academie: l’académie « Grenoble » appartient à la "
                   "région académique « Auvergne-Rhône-Alpes », pas à « Occitanie »"]


def test_former_academie(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  academie: Lyon", "  academie: Caen"))
    assert f"{F}:10:3: territoire.academie: l’académie de Caen n’existe plus : depuis 2020, " \
           "elle fait partie de l’académie de Normandie" in out


def test_uai_check_letter(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "uai: 0690026D", "uai: 0690026E"))
    assert out == [f"{F}:15:5: etablissements[1].uai: lettre clé de l’UAI incorrecte : « E », "
                   "attendu « D »"]


def test_uai_shape(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "uai: 0690026D", "uai: 690026D"))
    assert out == [f"{F}:15:5: etablissements[1].uai: un UAI s’écrit avec 7 chiffres suivis "
                   "d’une lettre majuscule (ex. 0750654D)"]


def test_uai_required_for_school(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "    uai: 0690026D\n", ""))
    assert out == [f"{F}:13:5: etablissements[1].uai: champ obligatoire pour un établissement : "
                   "son code UAI"]


def test_siret_luhn(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, '"732 829 320 00074"', '"732 829 320 00075"'))
    assert out == [f"{F}:26:5: partenaires[1].siret: clé de contrôle du SIRET incorrecte "
                   "(algorithme de Luhn)"]


def test_cfd_level(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, 'cfd: "40025005"', 'cfd: "50025005"'))
    assert out == [f"{F}:42:7: formation.diplomes_socles[1].cfd: le CFD 50025005 désigne un "
                   "diplôme de niveau 3, pas 4"]


def test_diploma_level_is_a_warning(check_text: CheckText, repo: Path) -> None:
    out = check_text(edit(COLO, "    niveau: 4\n    cfd: \"40025214\"", "    niveau: 5"))
    assert out == [f"{F}:46:5: formation.diplome.niveau: (avertissement) un diplôme "
                   "« Baccalauréat professionnel » est en principe de niveau 4, pas 5 "
                   "(à confirmer)"]
    assert len(load_catalog(repo).conventions) == 1  # warnings do not fail


# --- training rules -------------------------------------------------------------------------

def test_fcil_too_short(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "fin: 2027-06-30", "fin: 2026-11-15"))
    assert f"{F}:54:5: formation.duree.fin: une FCIL dure au moins 3 mois (arrêté du 14 " \
           "février 1985) ; fin au plus tôt le 2026-11-30" in out


def test_fcil_too_long(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "fin: 2027-06-30", "fin: 2027-09-15"))
    assert out == [f"{F}:54:5: formation.duree.fin: une FCIL commence et finit dans la même "
                   "année scolaire (du 1er septembre au 31 août) : commencée le 2026-09-01, "
                   "dans l’année scolaire 2026-2027, elle finit au plus tard le 2027-08-31"]


def test_fcil_end_before_start(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "fin: 2027-06-30", "fin: 2026-08-01"))
    assert f"{F}:54:5: formation.duree.fin: la fin de la formation doit être postérieure à " \
           "son début" in out


@pytest.mark.parametrize("statut", ["signee", "brouillon"])
def test_fcil_crossing_school_year_is_an_error(check_text: CheckText, statut: str) -> None:
    """Less than 12 months but over two school years: article 2 would say « sans excéder
    une année scolaire », which the dates contradict; signed or not, it is refused."""
    text = edit(FCIL, "debut: 2026-09-01", "debut: 2026-11-02")
    text = edit(text, "fin: 2027-06-30", "fin: 2027-10-01")
    if statut == "brouillon":
        text = edit(edit(text, "statut: signee", "statut: brouillon"), "  date: 2026-06-15",
                    "  date:")
    out = check_text(text)
    assert out == [f"{F}:54:5: formation.duree.fin: une FCIL commence et finit dans la même "
                   "année scolaire (du 1er septembre au 31 août) : commencée le 2026-11-02, "
                   "dans l’année scolaire 2026-2027, elle finit au plus tard le 2027-08-31"]


def test_fcil_school_year_bounds(check_text: CheckText) -> None:
    text = edit(FCIL, "fin: 2027-06-30", "fin: 2027-08-31")  # the last day of the year
    assert check_text(text) == []
    text = edit(FCIL, "debut: 2026-09-01", "debut: 2027-06-15")
    text = edit(text, "fin: 2027-06-30", "fin: 2027-09-30")
    assert check_text(text, errors_only=True) == [
        f"{F}:54:5: formation.duree.fin: une FCIL dure au moins 3 mois (arrêté du 14 février "
        "1985) et finit dans l’année scolaire où elle commence : commencée le 2027-06-15, elle "
        "ne tient pas dans l’année scolaire 2026-2027 (fin le 2027-08-31) ; commencez-la au "
        "plus tard le 2027-06-01, ou à la rentrée suivante"]


def test_coloration_field_in_fcil(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  secteur: Aéronautique", "  secteur: Aéronautique\n"
                          "  theme: hélicoptères"))
    assert out == [f"{F}:38:3: formation.theme: champ réservé aux colorations"]


def test_coloured_years_outside_cycle(check_text: CheckText) -> None:
    out = check_text(edit(COLO, "annees_cycle: 3", "annees_cycle: 2"))
    assert out == [f"{F}:56:26: formation.duree.annees_colorees[2]: année 3 hors du cycle de "
                   "formation (2 ans)"]


def test_coloration_requires_theme(check_text: CheckText) -> None:
    out = check_text(edit(COLO, "  theme: maintenance navale\n", ""))
    assert out == [f"{F}:42:1: formation.theme: champ obligatoire manquant"]


# --- attestation, parties, signature ----------------------------------------------------------

def test_fcil_attestation_not_signed_by_school_head(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "cosignataires: [recteur_academie]",
                          "cosignataires: [chef_etablissement]"))
    assert out == [f"{F}:69:19: attestation.cosignataires[1]: pour une FCIL, l’attestation est "
                   "signée par le recteur de région académique ou le recteur d’académie, sur "
                   "proposition du chef d’établissement : celui-ci ne peut pas la co-signer"]


@pytest.mark.parametrize(("region", "academie", "of"), [
    ("Pays de la Loire", "Nantes", "de Nantes"),
    ("Centre-Val de Loire", "Orléans-Tours", "d’Orléans-Tours")])
def test_one_recteur_where_one_academie(check_text: CheckText, region: str, academie: str,
                                        of: str) -> None:
    text = edit(COLO, "cosignataires: [chef_etablissement]",
                "cosignataires: [recteur_academie, recteur_region_academique]")
    text = edit(text, "  region_academique: Pays de la Loire\n  academie: Nantes\n",
                f"  region_academique: {region}\n  academie: {academie}\n")
    assert check_text(text) == [
        f"{F}:73:37: attestation.cosignataires[2]: la région académique {region} ne compte que "
        f"l’académie {of} : le recteur de région académique et le recteur d’académie y sont "
        "une seule personne ; le modèle fait co-signer l’attestation par l’un ou l’autre "
        "(« soit … soit ») : n’en gardez qu’un"]


def test_two_recteurs_where_two_people(check_text: CheckText) -> None:
    """Lyon is one of three académies of its région: two recteurs, two people."""
    assert check_text(edit(FCIL, "cosignataires: [recteur_academie]",
                           "cosignataires: [recteur_region_academique, recteur_academie]")) == []


def test_attestation_needs_cosigners(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  cosignataires: [recteur_academie]\n", ""))
    assert out == [f"{F}:67:1: attestation.cosignataires: champ obligatoire quand une "
                   "attestation est délivrée : qui la co-signe"]


def with_model(text: str, version: str) -> str:
    """`text` following another version of the model (« v1 », « v2 »)."""
    return re.sub(r"(?m)^modele: \S+$", f"modele: adaptation-offre-formation/{version}", text,
                  count=1)


REGION_NOT_A_PARTY = (
    "attestation.region: la Région ne peut co-signer l’attestation que si elle est partie à la "
    "convention : ajoutez-la à « partenaires » avec la nature collectivite_territoriale (le "
    "texte la nomme par sa désignation), ou indiquez « region: false »")


def test_region_cosigning_must_be_a_party(check_text: CheckText) -> None:
    text = with_model(edit(FCIL, "  region: false", "  region: true"), "v2")
    assert check_text(text) == [f"{F}:70:3: {REGION_NOT_A_PARTY}"]
    assert check_text(edit(text, "  region: true", "  region: false")) == []


def test_region_cosigning_named_when_a_party(check_text: CheckText) -> None:
    text = with_model(edit(COLO, "  region: false", "  region: true"), "v2")
    assert check_text(text) == []
    assert check_text(edit(text, "nature: collectivite_territoriale", "nature: association"),
                      errors_only=True) == [f"{F}:74:3: {REGION_NOT_A_PARTY}"]


def test_region_in_model_v1_is_a_warning(check_text: CheckText) -> None:
    """v1 is frozen and prints « la collectivité « région » »: its signed conventions stay
    valid, with a warning that recommends the newest version."""
    text = with_model(edit(FCIL, "  region: false", "  region: true"), "v1")
    assert check_text(text) == [
        f"{F}:70:3: attestation.region: (avertissement) le texte du modèle "
        "adaptation-offre-formation/v1 imprime « la collectivité « région » », et non le nom de "
        "la Région qui co-signe l’attestation ; suivez le modèle adaptation-offre-formation/v2 "
        "(« modele: adaptation-offre-formation/v2 »), qui la nomme par sa désignation "
        "(partenaire de nature collectivite_territoriale) ; une convention déjà signée garde "
        "son texte"]
    # nothing printed without an attestation, nothing to say
    text = edit(edit(text, "  delivree: true", "  delivree: false"),
                "  cosignataires: [recteur_academie]\n", "")
    assert check_text(text) == []


def test_duplicate_designation(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "designation: RHM", "designation: le lycée"))
    assert f"{F}:32:5: partenaires[1].designation: désignation « le lycée » déjà utilisée par " \
           "une autre partie" in out


def test_signatory_unknown_party(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "    - partie: RHM\n      fonction: Directeur",
                          "    - partie: RHN\n      fonction: Directeur"))
    assert f"{F}:94:7: signature.signataires[2].partie: « RHN » ne désigne aucun partie " \
           "(vouliez-vous dire « RHM » ?) ; désignations possibles : « le lycée », « RHM »" in out
    assert f"{F}:32:5: partenaires[1].designation: la partie « RHM » n’a aucun signataire " \
           "dans « signature.signataires »" in out


def test_committee_unknown_partner(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "    - partie: RHM\n      membres:", "    - partie: le lycée\n"
                          "      membres:"))
    assert out[0].startswith(f"{F}:78:7: comite_suivi.partenaires[1].partie: « le lycée » ne "
                             "désigne aucun partenaire")


@pytest.mark.parametrize(("copies", "words"), [(1, "1 original"),
                                                (2, "2 originaux")])
def test_one_original_per_party(check_text: CheckText, copies: int, words: str) -> None:
    out = check_text(edit(COLO, "  exemplaires: 3", f"  exemplaires: {copies}"))
    assert out == [f"{F}:91:3: signature.exemplaires: {words} pour 3 parties : chaque partie "
                   "garde un original, indiquez au moins 3"]


def test_signed_needs_date(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "  date: 2026-06-15\n", ""))
    assert out == [f"{F}:86:1: signature.date: une convention au statut « signee » doit avoir "
                   "une date de signature"]


def test_draft_has_no_date(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "statut: signee", "statut: brouillon").replace(
        "  derniere_reunion: 2026-10-15\n", ""))
    assert out == [f"{F}:87:3: signature.date: une convention au statut « brouillon » n’est "
                   "pas encore signée : laissez la date de signature vide"]


def test_date_effet_required(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "prise_effet: signature", "prise_effet: date"))
    assert out == [f"{F}:83:1: dispositions.date_effet: champ obligatoire quand « prise_effet » "
                   "vaut « date »"]


def test_unknown_model_version(check_text: CheckText) -> None:
    out = check_text(edit(FCIL, "adaptation-offre-formation/v2", "adaptation-offre-formation/v9"))
    assert out == [f"{F}:5:1: modele: version de modèle inconnue « adaptation-offre-formation/v9 » "
                   "(vouliez-vous dire « adaptation-offre-formation/v2 » ?) ; versions "
                   "disponibles : adaptation-offre-formation/v1, adaptation-offre-formation/v2"]


# --- logos ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("logo", "message"), [
    ("../../etc/passwd", "le chemin du logo ne doit pas sortir du dépôt (« .. » interdit)"),
    ("/etc/passwd", "chemin absolu interdit : donnez un chemin relatif à la racine du dépôt"),
    ("conventions/logos/absent.png", "fichier introuvable : conventions/logos/absent.png"),
    ("conventions/essai.md", "le logo n’est pas une image PNG, JPEG ou SVG"),
])
def test_bad_logo(check_text: CheckText, logo: str, message: str) -> None:
    out = check_text(edit(FCIL, "logo: conventions/logos/rhm.png", f"logo: {logo}"))
    assert out == [f"{F}:34:5: partenaires[1].logo: {message}"]


def test_logo_symlink_out_of_repo(check_text: CheckText, repo: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("dehors") / "logo.png"
    outside.write_bytes((repo / "conventions/logos/rhm.png").read_bytes())
    os.symlink(outside, repo / "conventions/logos/lien.png")
    out = check_text(edit(FCIL, "logo: conventions/logos/rhm.png",
                          "logo: conventions/logos/lien.png"))
    assert out == [f"{F}:34:5: partenaires[1].logo: le logo est un lien qui sort du dépôt"]


# --- body -------------------------------------------------------------------------------------

def test_unknown_section(check_text: CheckText) -> None:
    out = check_text(FCIL + "\n## Annexe financière\n\nTexte.\n")
    assert out[0].startswith(f"{F}:123:1: corps: section « ## Annexe financière » inconnue : "
                             "attendu « Préambule : opportunité »")


def test_missing_preamble_point(check_text: CheckText) -> None:
    text = FCIL.replace("## Préambule : stratégie", "## Précisions : objet")
    assert check_text(text) == [f"{F}:98:1: corps: section « ## Préambule : stratégie » "
                                "manquante : le préambule du modèle demande ce point"]


def test_unknown_article(check_text: CheckText) -> None:
    out = check_text(FCIL + "\n## Précisions : comunication\n\nTexte.\n")
    assert out[0].startswith(f"{F}:123:1: corps: article inconnu « comunication » (vouliez-vous "
                             "dire « communication » ?) ; articles du modèle : objet, ")


def test_article_by_title(check_text: CheckText, repo: Path) -> None:
    assert check_text(FCIL + "\n## Précisions : Durée\n\nTexte.\n") == []


def test_text_outside_sections(check_text: CheckText) -> None:
    text = FCIL.replace("---\n\n## Préambule : opportunité", "---\n\nIntroduction.\n\n"
                        "## Préambule : opportunité")
    assert check_text(text) == [f"{F}:98:1: corps: texte hors section : placez-le sous un titre "
                                "« ## … » (voir le guide)"]


def test_empty_section(check_text: CheckText) -> None:
    assert check_text(FCIL + "\n## Article supprimé : communication\n") == [
        f"{F}:123:1: corps: la section « ## Article supprimé : communication » est vide"]


def test_replaced_twice(check_text: CheckText) -> None:
    text = FCIL + ("\n## Article remplacé : communication\n\nA.\n"
                   "\n## Article supprimé : communication\n\nB.\n")
    assert check_text(text) == [f"{F}:127:1: corps: l’article « communication » est déjà "
                                "remplacé"]


@pytest.mark.parametrize("heading", ["Article supprimé : modifications",
                                     "Article remplacé : Litiges et résiliations"])
def test_protected_article(check_text: CheckText, heading: str) -> None:
    key, title = ("modifications", "Modifications") if "modif" in heading else (
        "litiges", "Litiges et résiliations")
    out = check_text(FCIL + f"\n## {heading}\n\nTexte.\n")
    assert out == [f"{F}:123:1: corps: l’article « {title} » est protégé par le modèle : "
                   f"{load_model(MODEL).protected[key]} ; il ne peut être ni supprimé ni "
                   f"remplacé (une section « ## Précisions : {key} » reste permise)"]


def test_protected_article_accepts_details(check_text: CheckText) -> None:
    assert check_text(FCIL + "\n## Précisions : litiges\n\nTexte.\n") == []


def test_model_protects_the_essential_clauses() -> None:
    assert set(load_model(MODEL).protected) == {"duree", "modifications", "litiges",
                                                "reconnaissance"}


def test_reference_to_unknown_article(check_text: CheckText) -> None:
    text = FCIL + "\n## Précisions : duree\n\nVoir l’[[article:dure]].\n"
    assert check_text(text) == [f"{F}:123:1: corps: renvoi « [[article:dure]] » vers un article "
                                "inconnu (vouliez-vous dire « duree » ?)"]


# --- catalogue-level rules ---------------------------------------------------------------------

def test_duplicate_id(repo: Path) -> None:
    (repo / "conventions" / "a.md").write_text(FCIL, "utf-8")
    (repo / "conventions" / "b.md").write_text(FCIL, "utf-8")
    catalog = load_catalog(repo)
    assert [p.format() for p in catalog.problems] == [
        "conventions/b.md:3:1: id: identifiant « lyon-fcil-maintenance-aeronautique » déjà "
        "utilisé par conventions/a.md : chaque convention a un identifiant unique (champ « id »)"]
    assert len(catalog.conventions) == 1


def test_default_id_from_unusual_file_name(repo: Path) -> None:
    text = FCIL.replace("id: lyon-fcil-maintenance-aeronautique\n", "")
    (repo / "conventions" / "Électricité générale n°2.md").write_text(text, "utf-8")
    catalog = load_catalog(repo)
    assert catalog.problems == []
    assert catalog.conventions[0].id == "electricite-generale-n-2"


def test_crlf_and_bom_work(repo: Path) -> None:
    data = ("\ufeff" + FCIL).replace("\n", "\r\n").encode("utf-8")
    (repo / "conventions" / "crlf.md").write_bytes(data)
    catalog = load_catalog(repo)
    assert catalog.problems == []
    assert catalog.conventions[0].data["signature"]["lieu"] == "Bron"
