"""The publisher's settings: who publishes the catalogue, who hosts it, whom to contact,
how accessible the site is, whether drafts are published.

Read once from `mkdocs.yml`, section `extra.editeur` (`read`), then passed down: the
legal pages (`coop.site.legal`), the footer of every page and the choice of the
conventions published (`coop.site.state.load`) all come from this one object.

A published site must not carry a placeholder: `read(..., strict=True)` (« coop site »)
reports every missing setting by its path; `strict=False` (« coop serve », on one's own
machine) fills the gaps with « à compléter » and returns the same messages as warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .labels import format_date

SECTION = "extra.editeur"
CONFIG_NAME = "mkdocs.yml"

# RGAA compliance statuses, as the declaration and the footer word them.
STATUSES = {
    "non_conforme": "non conforme",
    "partiellement_conforme": "partiellement conforme",
    "totalement_conforme": "totalement conforme",
}


class PublisherError(Exception):
    """Some required setting is missing or wrong (French message, one line per setting)."""


@dataclass(frozen=True)
class Host:
    nom: str
    adresse: str
    telephone: str = ""


@dataclass(frozen=True)
class Contact:
    courriel: str
    adresse: str = ""
    delegue_protection_donnees: str = ""  # the DPO's e-mail address, when there is one


@dataclass(frozen=True)
class Accessibility:
    statut: str  # a key of STATUSES
    date_audit: date | None = None
    taux: int | None = None  # % of RGAA criteria met, from the audit
    non_accessible: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """« partiellement conforme »."""
        return STATUSES.get(self.statut, self.statut)


@dataclass(frozen=True)
class Publisher:
    nom: str
    adresse: str
    directeur_publication: str
    hebergeur: Host
    contact: Contact
    accessibilite: Accessibility
    publier_brouillons: bool = False  # draft conventions (and the names in them) on the site

    def footer(self, today: date) -> dict[str, str]:
        """The footer's lines, as the theme partial shows them."""
        return {"accessibilite": f"Accessibilité : {self.accessibilite.label}",
                "fraicheur": f"Données à jour au {format_date(today)}"}


class _Reader:
    """Reads values by path, noting each missing or wrong one."""

    def __init__(self, section: dict[str, Any]) -> None:
        self.section = section
        self.problems: list[str] = []

    def _get(self, path: str) -> Any:
        node: Any = self.section
        for key in path.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def _problem(self, path: str, message: str) -> None:
        self.problems.append(f"{CONFIG_NAME} : {SECTION}.{path} {message}")

    def text(self, path: str, *, required: bool = True) -> str:
        value = self._get(path)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self._problem(path, "manquant")
                return f"(à compléter : {SECTION}.{path})"
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self._problem(path, "doit être un texte")
            return ""
        return " ".join(str(value).split())

    def choice(self, path: str, choices: dict[str, str]) -> str:
        value = self._get(path)
        if value is None:
            self._problem(path, f"manquant ({_or(choices)})")
            return next(iter(choices))
        if value not in choices:
            self._problem(path, f"« {value} » inconnu : {_or(choices)} attendu")
            return next(iter(choices))
        return str(value)

    def day(self, path: str) -> date | None:
        value = self._get(path)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self._problem(path, f"« {value} » n’est pas une date AAAA-MM-JJ")
            return None

    def percent(self, path: str) -> int | None:
        value = self._get(path)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            self._problem(path, f"« {value} » : un pourcentage entier de 0 à 100 est attendu")
            return None
        return value

    def texts(self, path: str) -> tuple[str, ...]:
        value = self._get(path)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._problem(path, "doit être une liste de textes")
            return ()
        return tuple(" ".join(v.split()) for v in value if v.strip())

    def flag(self, path: str) -> bool:
        value = self._get(path)
        if value is None:
            return False
        if not isinstance(value, bool):
            self._problem(path, f"« {value} » : true ou false attendu")
            return False
        return value


def _or(choices: dict[str, str]) -> str:
    keys = list(choices)
    return ", ".join(keys[:-1]) + f" ou {keys[-1]}"


def read(config: dict[str, Any], *, strict: bool = True) -> tuple[Publisher, list[str]]:
    """The publisher's settings of `config` (mkdocs.yml as read) and the French message of
    each missing or wrong one. `strict`: PublisherError when there is any."""
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    section = extra.get("editeur")
    r = _Reader(section if isinstance(section, dict) else {})
    publisher = Publisher(
        nom=r.text("nom"),
        adresse=r.text("adresse"),
        directeur_publication=r.text("directeur_publication"),
        hebergeur=Host(r.text("hebergeur.nom"), r.text("hebergeur.adresse"),
                       r.text("hebergeur.telephone", required=False)),
        contact=Contact(r.text("contact.courriel"),
                        r.text("contact.adresse", required=False),
                        r.text("contact.delegue_protection_donnees", required=False)),
        accessibilite=Accessibility(r.choice("accessibilite.statut", STATUSES),
                                    r.day("accessibilite.date_audit"),
                                    r.percent("accessibilite.taux"),
                                    r.texts("accessibilite.non_accessible")),
        publier_brouillons=r.flag("publier_brouillons"))
    if strict and r.problems:
        n = len(r.problems)
        raise PublisherError(
            f"{n} réglage{'s' if n > 1 else ''} de l’éditeur manquant{'s' if n > 1 else ''} "
            f"ou invalide{'s' if n > 1 else ''} : le site n’est pas publié (complétez la "
            f"section {SECTION} de {CONFIG_NAME}, voir README.md).\n" + "\n".join(r.problems))
    return publisher, r.problems
