"""Property-based tests: arbitrary input to the loader and the validator gives our own
problems, never an exception; the typography is idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LYON
from coop.errors import Problem
from coop.loader import Source, field_at, parse_text
from coop.typography import typographie
from coop.validate import data_problems, validate_source

ROOT = LYON.parents[2]
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
SAMPLE = LYON.read_text("utf-8")
FRONT, BODY = SAMPLE.split("\n---\n", 1)

# Characters that matter to YAML and Markdown, plus some letters and French punctuation.
YAML_ALPHABET = st.sampled_from([
    *list("-:#&*!|>'\"[]{},?%@` \t\n\r\\aé0129."), "---", "...", "- ", ": ", "titre", "id", "&a ",
    "*a", "!!python/object:os.system ", "!!binary ", "<<: ", "\ufeff", "\x00", "2026-02-30", "~",
    "null", "true",
])
MD_ALPHABET = st.sampled_from([
    *list("#*_`[]()<>!:;?«»\"'\\ \n\t-+=|~$@{}%.,0123abé"), "## Préambule : opportunité\n",
    "## Précisions : objet\n", "```\n", "[[article:objet]]", "{{ x }}", "{% raw %}", "<script>",
    "javascript:", "\xa0", "\u202f", "https://a.fr/x", "10 mois", "1er septembre", "Article 3",
    "M. ", ":::",
])


def check_problems(problems: list[Problem]) -> None:
    for p in problems:
        assert isinstance(p, Problem) and p.path and p.line >= 1 and p.col >= 1
        assert p.message and p.format()


def parse(raw: bytes) -> Source:
    src = Source(path=Path("conventions/essai.md"), relpath="conventions/essai.md", raw=raw)
    parse_text(src, raw)
    return src


@SETTINGS
@given(st.binary(max_size=2000))
def test_loader_on_arbitrary_bytes(raw: bytes) -> None:
    check_problems(parse(raw).problems)


@SETTINGS
@given(st.lists(YAML_ALPHABET, max_size=80).map("".join))
def test_loader_and_validator_on_arbitrary_front_matter(text: str) -> None:
    src = parse(f"---\n{text}\n---\n{BODY}".encode())
    check_problems(src.problems)
    if not src.problems:
        check_problems(validate_source(src, ROOT)[1])


@SETTINGS
@given(st.integers(min_value=0, max_value=len(FRONT)), st.lists(YAML_ALPHABET, max_size=12))
def test_loader_and_validator_on_a_mutated_sample(at: int, insert: list[str]) -> None:
    """A real convention with a few YAML characters inserted anywhere in its front-matter."""
    src = parse((FRONT[:at] + "".join(insert) + FRONT[at:] + "\n---\n" + BODY).encode())
    check_problems(src.problems)
    if not src.problems:
        check_problems(validate_source(src, ROOT)[1])


@SETTINGS
@given(st.lists(MD_ALPHABET, max_size=120).map("".join))
def test_validator_on_arbitrary_body(body: str) -> None:
    src = parse(f"{FRONT}\n---\n{body}".encode())
    assert not src.problems
    check_problems(validate_source(src, ROOT)[1])


KEYS = ["id", "titre", "modele", "type", "statut", "territoire", "academie",
        "region_academique", "etablissements", "partenaires", "formation", "duree", "debut",
        "fin", "signature", "date", "signataires", "partie", "designation", "logo", "uai",
        "siret", "attestation", "cosignataires", "delivree", "comite_suivi", "dispositions",
        "prise_effet", "date_effet", "diplome", "niveau", "cfd", "annees_cycle",
        "annees_colorees", "cooperation", "etudes_besoins", "nature"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["fcil", "coloration", "signee", "brouillon", "Lyon", "2026-09-01",
                     "2026-02-30", "0690026D", "732 829 320 00074", "../x.png", "/etc/passwd",
                     "conventions/logos/rhm.png", "date", "adaptation-offre-formation/v1",
                     "chef_etablissement", "etablissement"]))
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)),
    max_leaves=25)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=12))
def test_validator_on_arbitrary_data(data: dict[str, Any]) -> None:
    for path, message, level in data_problems(data, ROOT):
        assert isinstance(path, tuple) and isinstance(message, str) and message
        assert level in ("erreur", "avertissement")


@SETTINGS
@given(st.lists(YAML_ALPHABET, max_size=60).map("".join), st.integers(0, 40))
def test_field_at_never_raises(text: str, index: int) -> None:
    path = field_at(text.split("\n"), index)
    assert all(isinstance(p, str | int) for p in path)


@SETTINGS
@given(st.lists(MD_ALPHABET, max_size=80).map("".join))
def test_typography_is_idempotent(text: str) -> None:
    once = typographie(text)
    assert typographie(once) == once


@SETTINGS
@given(st.text(max_size=300))
def test_typography_is_idempotent_on_any_text(text: str) -> None:
    once = typographie(text)
    assert typographie(once) == once
