"""The publisher's settings (mkdocs.yml, extra.editeur): read once, typed, every missing
or wrong setting named by its path in French."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from conftest import ROOT
from coop.site import legal, publisher
from coop.site.engine import read_config
from coop.site.renderer import Renderer

COMPLETE: dict[str, Any] = {"extra": {"editeur": {
    "nom": "Région académique Exemple",
    "adresse": "1 place de l’Exemple, 00000 Exempleville",
    "directeur_publication": "Madame Camille Exemple",
    "hebergeur": {"nom": "Hébergeur exemple", "adresse": "2 rue X, 00000 Y"},
    "contact": {"courriel": "contact@exemple.invalid"},
    "accessibilite": {"statut": "partiellement_conforme", "date_audit": date(2026, 5, 12),
                      "taux": 82, "non_accessible": ["Les exemplaires PDF à signer."]},
}}}


def settings(**changes: Any) -> dict[str, Any]:
    """COMPLETE with `changes` (dotted path under extra.editeur -> value, None removes)."""
    config = copy.deepcopy(COMPLETE)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = config["extra"]["editeur"]
        for key in parents:
            node = node[key]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return config


def test_complete_settings_are_typed() -> None:
    editeur, problems = publisher.read(COMPLETE)
    assert problems == []
    assert editeur.directeur_publication == "Madame Camille Exemple"
    assert editeur.hebergeur.telephone == "" and editeur.contact.adresse == ""
    assert editeur.accessibilite.label == "partiellement conforme"
    assert editeur.accessibilite.date_audit == date(2026, 5, 12)
    assert editeur.publier_brouillons is False  # the default: drafts stay unpublished
    assert editeur.footer(date(2026, 11, 2)) == {
        "accessibilite": "Accessibilité : partiellement conforme",
        "fraicheur": "Données à jour au 2\u00a0novembre\u00a02026"}


def test_the_repository_settings_are_complete_and_leave_drafts_out() -> None:
    editeur, problems = publisher.read(read_config(ROOT))
    assert problems == []
    assert "exemple" in editeur.nom.lower()  # clearly fictitious sample values
    assert editeur.publier_brouillons is False


@pytest.mark.parametrize(("change", "message"), [
    ({"directeur_publication": None},
     "mkdocs.yml : extra.editeur.directeur_publication manquant"),
    ({"hebergeur__nom": "  "}, "mkdocs.yml : extra.editeur.hebergeur.nom manquant"),
    ({"contact": None}, "mkdocs.yml : extra.editeur.contact.courriel manquant"),
    ({"accessibilite__statut": "conforme"},
     "mkdocs.yml : extra.editeur.accessibilite.statut « conforme » inconnu : non_conforme, "
     "partiellement_conforme ou totalement_conforme attendu"),
    ({"accessibilite__date_audit": "12/05/2026"},
     "mkdocs.yml : extra.editeur.accessibilite.date_audit « 12/05/2026 » n’est pas une date "
     "AAAA-MM-JJ"),
    ({"accessibilite__taux": 120}, "mkdocs.yml : extra.editeur.accessibilite.taux « 120 » : "
     "un pourcentage entier de 0 à 100 est attendu"),
    ({"publier_brouillons": "oui"},
     "mkdocs.yml : extra.editeur.publier_brouillons « oui » : true ou false attendu"),
])
def test_a_missing_or_wrong_setting_is_named_by_its_path(change: dict[str, Any],
                                                         message: str) -> None:
    with pytest.raises(publisher.PublisherError) as exc:
        publisher.read(settings(**change))
    lines = str(exc.value).splitlines()
    assert "le site n’est pas publié" in lines[0]
    assert message in lines[1:]


def test_no_section_names_every_required_setting() -> None:
    with pytest.raises(publisher.PublisherError) as exc:
        publisher.read({"site_name": "x"})
    text = str(exc.value)
    assert text.startswith("7 réglages de l’éditeur manquants ou invalides")
    for key in ("nom", "adresse", "directeur_publication", "hebergeur.nom",
                "hebergeur.adresse", "contact.courriel", "accessibilite.statut"):
        assert f"extra.editeur.{key} manquant" in text


def test_a_local_build_only_warns_and_shows_what_to_fill_in() -> None:
    editeur, problems = publisher.read(settings(directeur_publication=None), strict=False)
    assert problems == ["mkdocs.yml : extra.editeur.directeur_publication manquant"]
    assert editeur.directeur_publication == "(à compléter : extra.editeur.directeur_publication)"


def render(config: dict[str, Any]) -> dict[str, str]:
    editeur, _ = publisher.read(config)
    return {p.title: html for p, html in legal.pages(
        Renderer(), editeur, site_name="Catalogue", site_url="", today=date(2026, 11, 2),
        href=lambda url: "../" + url)}


def test_legal_pages_escape_the_settings() -> None:
    hostile = "Rectorat <script>alert(1)</script> & Cie"
    pages = render(settings(nom=hostile, hebergeur__telephone="<b>01</b>"))
    assert set(pages) == {"Mentions légales", "Accessibilité", "Données personnelles"}
    for html in pages.values():
        assert "<script>" not in html and "<b>01" not in html
    assert "Rectorat &lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie" in pages["Mentions légales"]


def test_accessibility_statement_follows_the_audit() -> None:
    audited = render(COMPLETE)["Accessibilité"]
    assert "<strong>partiellement conforme</strong>" in audited
    assert "12\u00a0mai\u00a02026" in audited and "82&nbsp;% des critères" in audited
    assert "<li>Les exemplaires PDF à signer.</li>" in audited
    assert "https://formulaire.defenseurdesdroits.fr/" in audited
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in audited
    none = render(settings(accessibilite={"statut": "non_conforme"}))["Accessibilité"]
    assert "en l’absence d’audit de conformité" in none and "Résultats des tests" not in none
