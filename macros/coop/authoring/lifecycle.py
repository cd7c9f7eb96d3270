"""The lifecycle of a convention: brouillon → en_signature → signee → resiliee | expiree.

`change_status` edits the front-matter in round trip (see `frontmatter`), then runs the
full validator on the result: nothing is written unless the new file is valid.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..avenants import Avenant
from ..catalog import convention_from_source, load_catalog
from ..convention import Convention
from ..errors import Problem, errors_only, format_problems
from ..loader import Source, parse_text
from ..schema import suggest
from ..signed import FINGERPRINT_FIELD
from ..signed.fingerprint import fingerprint_fields
from . import AuthoringError
from .frontmatter import FrontMatter, parse

STATUSES = ("brouillon", "en_signature", "signee", "resiliee", "expiree")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "brouillon": ("en_signature",),
    "en_signature": ("signee", "brouillon"),  # back to draft when a signature round fails
    "signee": ("resiliee", "expiree"),
    "resiliee": (),
    "expiree": (),
}
CYCLE = "brouillon → en_signature → signee → resiliee | expiree"


@dataclass
class StatusChange:
    text: str  # the new file
    old: str
    new: str
    warnings: list[str] = field(default_factory=list)


def parse_signature_date(value: str, today: date) -> date:
    value = value.strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise AuthoringError(f"date attendue au format AAAA-MM-JJ, pas « {value} »")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise AuthoringError(f"date impossible : « {value} » n’existe pas dans le calendrier")\
            from None
    if day > today:
        raise AuthoringError(f"la date de signature {value} est dans le futur : indiquez le "
                             "jour où la dernière partie a signé")
    return day


def check_transition(old: object, new: str, when: str | None) -> None:
    """Raise an AuthoringError (in French) when `old` → `new` is not allowed."""
    if new not in STATUSES:
        shown = ", ".join(f"« {s} »" for s in STATUSES)
        raise AuthoringError(f"statut inconnu « {new} »{suggest(new, list(STATUSES))} ; "
                             f"statuts possibles : {shown}")
    if not isinstance(old, str) or old not in STATUSES:
        raise AuthoringError(f"statut actuel « {old} » invalide : corrigez le champ « statut » "
                             "à la main (voir make check)")
    if old == new:
        raise AuthoringError(f"la convention est déjà au statut « {new} »")
    allowed = TRANSITIONS[old]
    if new not in allowed:
        if not allowed:
            raise AuthoringError(f"une convention au statut « {old} » est close : son statut ne "
                                 f"change plus (cycle de vie : {CYCLE})")
        shown = " ou ".join(f"« {s} »" for s in allowed)
        raise AuthoringError(f"passage de « {old} » à « {new} » interdit : depuis « {old} », "
                             f"le statut suivant est {shown} (cycle de vie : {CYCLE})")
    if new == "signee" and not when:
        raise AuthoringError("la signature demande sa date : "
                             "make statut ID=… STATUT=signee DATE=AAAA-MM-JJ")
    if new != "signee" and when:
        raise AuthoringError("DATE ne sert qu’au passage au statut « signee » (date de "
                             "signature) : retirez-la")


def _avenant_loaded(text: str, path: Path, root: Path) -> tuple[Avenant | None,
                                                                  list[Problem]]:
    """An avenant's new text, checked with the catalogue (its parent): the avenant as
    loaded (None when invalid) and the problems."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".statut-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        catalog = load_catalog(root, [Path(tmp)])
    finally:
        Path(tmp).unlink(missing_ok=True)
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    tmp_rel = Path(tmp).resolve().relative_to(root.resolve()).as_posix()
    problems = [replace(p, path=rel) if p.path == tmp_rel else p for p in catalog.problems]
    return (catalog.avenants[0] if catalog.avenants else None), problems


def _loaded(text: str, relpath: str, root: Path, avenant: bool
            ) -> tuple[Convention | Avenant | None, list[Problem]]:
    if avenant:  # validated against its parent convention
        return _avenant_loaded(text, root / relpath, root)
    src = Source(path=root / relpath, relpath=relpath, raw=text.encode("utf-8"))
    parse_text(src, src.raw)
    return convention_from_source(src, root)


def _set_signature_date(fm: FrontMatter, day: date) -> None:
    signature = fm.data.get("signature")
    if not isinstance(signature, dict):
        raise AuthoringError("bloc « signature » absent : complétez lieu, exemplaires et "
                             "signataires avant d’enregistrer la signature")
    if "date" in signature:
        fm.set("signature", "date", value=day)
    else:
        keys = list(signature)
        pos = keys.index("lieu") + 1 if "lieu" in keys else 0
        signature.insert(pos, "date", day)


def _finish(fm: FrontMatter, relpath: str, root: Path, old: str, new: str) -> StatusChange:
    """Validate the edited file; a file becoming `signee` gets the fingerprint of what was
    agreed (`coop.signed.fingerprint`): from then on its legal content is frozen."""
    avenant = "convention" in fm.data
    if avenant and new in ("resiliee", "expiree"):
        raise AuthoringError("un avenant suit la convention qu’il modifie : résiliez ou "
                             "laissez expirer la convention elle-même")
    doc, problems = _loaded(fm.text(), relpath, root, avenant)
    if doc is not None and new == "signee":
        fields = fingerprint_fields(doc)
        recorded = fm.data.get(FINGERPRINT_FIELD)
        if not isinstance(recorded, dict):
            fm.data[FINGERPRINT_FIELD] = fields
            doc, problems = _loaded(fm.text(), relpath, root, avenant)
        elif recorded.get("source") != fields["source"]:
            raise AuthoringError("le contenu juridique a changé depuis la signature enregistrée "
                                 f"(champ « {FINGERPRINT_FIELD} ») : rétablissez le texte signé "
                                 "ou passez par un avenant ; rien n’a été écrit")
    if errors := errors_only(problems):
        raise AuthoringError(
            f"statut « {new} » refusé : la convention ne serait pas valide (rien n’a été "
            f"écrit) :\n{format_problems(errors)}")
    warnings = [] if fm.exact else [
        "la mise en forme de l’en-tête n’a pas pu être conservée à l’identique : "
        "vérifiez le diff avant de committer"]
    return StatusChange(fm.text(), old, new, warnings)


def change_status(text: str, relpath: str, root: Path, new: str, when: str | None = None,
                  today: date | None = None) -> StatusChange:
    """The file `text` moved to status `new` (signing on `when`), validated; or AuthoringError."""
    fm = parse(text)
    old = fm.data.get("statut")
    check_transition(old, new, when)
    fm.set("statut", value=new)
    if new == "signee":
        assert when is not None
        _set_signature_date(fm, parse_signature_date(when, today or date.today()))
    return _finish(fm, relpath, root, str(old), new)


def record_signature(text: str, relpath: str, root: Path, day: date | None,
                     edit: Callable[[FrontMatter], None]) -> StatusChange:
    """The file `text` marked `signee` (from `en_signature`, or already `signee` on trust)
    on `day` (None: the recorded date is kept), with `edit` applied to its front-matter."""
    fm = parse(text)
    old = fm.data.get("statut")
    if old != "signee":
        check_transition(old, "signee", "date")
        fm.set("statut", value="signee")
    if day is not None:
        _set_signature_date(fm, day)
    elif not (fm.data.get("signature") or {}).get("date"):
        raise AuthoringError("la signature demande sa date : --date AAAA-MM-JJ (DATE=…)")
    edit(fm)
    return _finish(fm, relpath, root, str(old), "signee")
