import pytest

from coop import identifiers as ids


@pytest.mark.parametrize("uai", ["0750654D", "0750699C", "0690026D", "0440030U", "0130050J"])
def test_valid_uai(uai: str) -> None:
    assert ids.check_uai(uai) is None


def test_uai_wrong_check_letter() -> None:
    assert ids.check_uai("0750654E") == (
        "lettre clé de l’UAI incorrecte : « E », attendu « D »")


@pytest.mark.parametrize("uai", ["075065D", "0750654d", "07506540", "0750654DD", ""])
def test_uai_bad_shape(uai: str) -> None:
    assert ids.check_uai(uai) == (
        "un UAI s’écrit avec 7 chiffres suivis d’une lettre majuscule (ex. 0750654D)")


def test_uai_letters_skip_i_o_q() -> None:
    assert len(ids.UAI_LETTERS) == 23
    assert not set("IOQ") & set(ids.UAI_LETTERS)
    assert ids.uai_check_letter("0000008") == "J"  # 8th letter once I is skipped


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "38301556100020"])
def test_valid_siret(siret: str) -> None:
    assert ids.check_siret(siret) is None


def test_siret_bad_luhn() -> None:
    assert ids.check_siret("73282932000075") == (
        "clé de contrôle du SIRET incorrecte (algorithme de Luhn)")


def test_siret_bad_length() -> None:
    assert ids.check_siret("7328293200007") == (
        "un SIRET compte 14 chiffres (SIREN à 9 chiffres + NIC à 5 chiffres)")


def test_la_poste_exception() -> None:
    siret = "35600000049837"  # La Poste: digit sum 45, fails Luhn, valid anyway
    assert not ids.luhn_ok(siret)
    assert ids.check_siret(siret) is None
    assert ids.check_siret("35600000049838") == (
        "SIRET de La Poste incorrect : la somme des chiffres doit être un multiple de 5")


def test_siren() -> None:
    assert ids.check_siren("732829320") is None
    assert ids.check_siren("732829321") == (
        "clé de contrôle du SIREN incorrecte (algorithme de Luhn)")


def test_format_siret() -> None:
    assert ids.format_siret("73282932000074") == "732\u00a0829\u00a0320\u00a000074"
    assert ids.format_siret("732 829 320 00074", " ") == "732 829 320 00074"


def test_cfd() -> None:
    assert ids.check_cfd("50022427") is None
    assert ids.check_cfd("50022427", 3) is None
    assert ids.check_cfd("50022427", 4) == (
        "le CFD 50022427 désigne un diplôme de niveau 3, pas 4")
    assert ids.check_cfd("5002242") == (
        "un code formation diplôme (CFD) compte 8 caractères, chiffres ou majuscules")
    assert ids.check_cfd("90022427") == "premier chiffre du CFD inconnu : « 9 » (attendu 1 à 5)"


def test_rncp() -> None:
    assert ids.check_rncp("RNCP37537") is None
    assert ids.check_rncp("RNCP1") is not None
    assert ids.check_rncp("rncp37537") is not None
