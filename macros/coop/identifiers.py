"""French administrative identifiers: UAI, SIREN/SIRET, CFD, RNCP (see DOMAIN.md)."""

from __future__ import annotations

import re

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # 23 letters: no I, O, Q
_UAI_RE = re.compile(r"^[0-9]{7}[A-Z]$")
_CFD_RE = re.compile(r"^[0-9A-Z]{8}$")
_RNCP_RE = re.compile(r"^RNCP[0-9]{2,5}$")
LA_POSTE_SIREN = "356000000"

# CFD first digit -> diploma level (nomenclature 2019).
CFD_LEVELS = {"5": 3, "4": 4, "3": 5, "2": 6, "1": 7}


def uai_check_letter(digits: str) -> str:
    """Check letter of a UAI from its first seven digits."""
    return UAI_LETTERS[int(digits) % 23]


def check_uai(value: str) -> str | None:
    """None when `value` is a valid UAI, else a French explanation."""
    if not _UAI_RE.match(value):
        return "un UAI s’écrit avec 7 chiffres suivis d’une lettre majuscule (ex. 0750654D)"
    expected = uai_check_letter(value[:7])
    if value[7] != expected:
        return f"lettre clé de l’UAI incorrecte : « {value[7]} », attendu « {expected} »"
    return None


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _normalize_digits(value: str) -> str:
    return value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")


def check_siren(value: str) -> str | None:
    digits = _normalize_digits(value)
    if not re.fullmatch(r"[0-9]{9}", digits):
        return "un SIREN compte 9 chiffres"
    if not luhn_ok(digits):
        return "clé de contrôle du SIREN incorrecte (algorithme de Luhn)"
    return None


def check_siret(value: str) -> str | None:
    """None when `value` is a valid SIRET (spaces allowed), else a French explanation."""
    digits = _normalize_digits(value)
    if not re.fullmatch(r"[0-9]{14}", digits):
        return "un SIRET compte 14 chiffres (SIREN à 9 chiffres + NIC à 5 chiffres)"
    if digits.startswith(LA_POSTE_SIREN):
        if sum(int(c) for c in digits) % 5 != 0:
            return "SIRET de La Poste incorrect : la somme des chiffres doit être un multiple de 5"
        return None
    if not luhn_ok(digits):
        return "clé de contrôle du SIRET incorrecte (algorithme de Luhn)"
    return None


def format_siret(value: str, space: str = "\u00a0") -> str:
    """« 732 829 320 00074 » (SIREN by groups of three, then NIC), groups joined by
    no-break spaces so that a SIRET never splits across lines."""
    d = _normalize_digits(value)
    return space.join((d[0:3], d[3:6], d[6:9], d[9:]))


def check_cfd(value: str, level: int | None = None) -> str | None:
    """None when `value` is a valid CFD (and matches `level` when given)."""
    if not _CFD_RE.match(value):
        return "un code formation diplôme (CFD) compte 8 caractères, chiffres ou majuscules"
    cfd_level = CFD_LEVELS.get(value[0])
    if cfd_level is None:
        return f"premier chiffre du CFD inconnu : « {value[0]} » (attendu 1 à 5)"
    if level is not None and level != cfd_level:
        return f"le CFD {value} désigne un diplôme de niveau {cfd_level}, pas {level}"
    return None


def check_rncp(value: str) -> str | None:
    if not _RNCP_RE.match(value):
        return "un code RNCP s’écrit « RNCP » suivi de 2 à 5 chiffres (ex. RNCP37537)"
    return None
