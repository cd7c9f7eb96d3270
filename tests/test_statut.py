"""`make statut`: the lifecycle, and round-trip edits compared byte for byte."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import LYON, NANTES, ROOT, coop, edit
from coop.authoring import AuthoringError
from coop.authoring.lifecycle import change_status
from coop.catalog import load_catalog

TODAY = date(2026, 11, 29)
NANTES_REL = "conventions/nantes/coloration-mspc-maintenance-navale.md"
PARIS = ROOT / "conventions" / "paris" / "bts-mhr-gastronomie-durable.md"


def copy(repo: Path, sample: Path, rel: str, text: str | None = None) -> Path:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        shutil.copyfile(sample, path)
    else:
        path.write_text(text, "utf-8")
    return path


def run_statut(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return coop("statut", "--racine", str(repo), *args)


# what becoming `signee` appends at the end of the front-matter (the text is now frozen)
FINGERPRINT = re.compile(r"empreinte_signee:\n  source: [0-9a-f]{64}\n  texte: [0-9a-f]{64}\n"
                         r"(?=---\n)")


def without_fingerprint(text: str) -> str:
    """`text` without the fingerprint block, which must be there once."""
    assert len(FINGERPRINT.findall(text)) == 1, text
    return FINGERPRINT.sub("", text)


def test_signing_the_nantes_sample_changes_two_lines_and_adds_the_fingerprint(
        repo: Path) -> None:
    path = copy(repo, NANTES, NANTES_REL)
    result = run_statut(repo, "--id", "nantes-coloration-mspc-navale", "--statut", "signee",
                        "--date", "2026-06-15")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"{NANTES_REL} : statut « en_signature » → « signee », signée le "
                             "2026-06-15.\n")
    expected = edit(edit(NANTES.read_text("utf-8"), "\nstatut: en_signature\n",
                         "\nstatut: signee\n"), "\n  date:\n", "\n  date: 2026-06-15\n")
    assert without_fingerprint(path.read_text("utf-8")) == expected
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file
    assert load_catalog(repo).errors == []


@pytest.mark.parametrize(("sample", "rel", "new", "old_line", "new_line"), [
    (LYON, "conventions/lyon/a.md", "resiliee", "statut: signee", "statut: resiliee"),
    (LYON, "conventions/lyon/a.md", "expiree", "statut: signee", "statut: expiree"),
    (NANTES, NANTES_REL, "brouillon", "statut: en_signature", "statut: brouillon"),
    (PARIS, "conventions/paris/p.md", "en_signature", "statut: brouillon",
     "statut: en_signature"),
])
def test_other_transitions_change_one_line(repo: Path, sample: Path, rel: str, new: str,
                                           old_line: str, new_line: str) -> None:
    text = sample.read_text("utf-8")
    change = change_status(text, rel, repo, new, None, TODAY)
    assert change.text == edit(text, f"\n{old_line}\n", f"\n{new_line}\n")
    assert change.warnings == []


def test_comments_quotes_and_blank_lines_survive(repo: Path) -> None:
    text = edit(NANTES.read_text("utf-8"), "statut: en_signature",
                '# le statut change avec make statut\nstatut: "en_signature"  # en cours')
    text = edit(text, "signature:\n  lieu: Saint-Nazaire\n",
                "\n# Bloc de signature\nsignature:\n  lieu: 'Saint-Nazaire'\n\n")
    change = change_status(text, NANTES_REL, repo, "signee", "2026-06-15", TODAY)
    expected = edit(edit(text, 'statut: "en_signature"  # en cours',
                         'statut: "signee"        # en cours'),  # the comment keeps its column
                    "\n  date:\n", "\n  date: 2026-06-15\n")
    assert without_fingerprint(change.text) == expected


def test_missing_date_field_is_added_after_the_place(repo: Path) -> None:
    text = edit(NANTES.read_text("utf-8"), "  lieu: Saint-Nazaire\n  date:\n",
                "  lieu: Saint-Nazaire\n")
    change = change_status(text, NANTES_REL, repo, "signee", "2026-06-15", TODAY)
    assert "  lieu: Saint-Nazaire\n  date: 2026-06-15\n  exemplaires: 3\n" in change.text


@pytest.mark.parametrize(("sample", "new", "when", "message"), [
    (PARIS, "signee", "2026-06-15", "passage de « brouillon » à « signee » interdit : depuis "
     "« brouillon », le statut suivant est « en_signature »"),
    (LYON, "brouillon", None, "passage de « signee » à « brouillon » interdit"),
    (LYON, "signee", "2026-06-15", "la convention est déjà au statut « signee »"),
    (NANTES, "signee", None, "la signature demande sa date : make statut ID=… STATUT=signee "
     "DATE=AAAA-MM-JJ"),
    (NANTES, "brouillon", "2026-06-15", "DATE ne sert qu’au passage au statut « signee »"),
    (NANTES, "signee", "15/06/2026", "date attendue au format AAAA-MM-JJ, pas « 15/06/2026 »"),
    (NANTES, "signee", "2026-02-30", "date impossible : « 2026-02-30 »"),
    (NANTES, "signee", "2027-01-04", "la date de signature 2027-01-04 est dans le futur"),
    (NANTES, "signe", "2026-06-15", "statut inconnu « signe » (vouliez-vous dire « signee » ?)"),
])
def test_illegal_changes_are_refused(repo: Path, sample: Path, new: str, when: str | None,
                                     message: str) -> None:
    with pytest.raises(AuthoringError) as exc:
        change_status(sample.read_text("utf-8"), "conventions/x.md", repo, new, when, TODAY)
    assert message in str(exc.value)


def test_closed_convention_stays_closed(repo: Path) -> None:
    text = edit(LYON.read_text("utf-8"), "statut: signee", "statut: resiliee")
    with pytest.raises(AuthoringError, match="au statut « resiliee » est close"):
        change_status(text, "conventions/x.md", repo, "expiree", None, TODAY)


def test_incomplete_signature_block_is_refused_and_nothing_written(repo: Path) -> None:
    text = NANTES.read_text("utf-8")
    text = edit(text, "    - partie: la CARENE\n      fonction: Vice-président chargé de "
                "l’emploi et de la formation\n      nom: Monsieur Didier Morvan\n", "")
    path = copy(repo, NANTES, NANTES_REL, text)
    result = run_statut(repo, "--id", "nantes-coloration-mspc-navale", "--statut", "signee",
                        "--date", "2026-06-15")
    assert result.returncode == 1
    assert result.stderr.startswith("ÉCHEC : statut « signee » refusé : la convention ne serait "
                                    "pas valide (rien n’a été écrit) :\n")
    assert (f"{NANTES_REL}:40:5: partenaires[2].designation: la partie « la CARENE » n’a aucun "
            "signataire dans « signature.signataires »") in result.stderr
    assert path.read_text("utf-8") == text


def test_unknown_id(repo: Path) -> None:
    copy(repo, NANTES, NANTES_REL)
    result = run_statut(repo, "--id", "nantes-coloration-mspc", "--statut", "signee")
    assert result.returncode == 1
    assert result.stderr == ("ÉCHEC : aucune convention d’identifiant « nantes-coloration-mspc » "
                             "(vouliez-vous dire « nantes-coloration-mspc-navale » ?)\n")


def test_avenant_signature_round_trip(tmp_path: Path) -> None:
    """An avenant is signed like a convention, checked against its parent."""
    shutil.copytree(ROOT / "conventions", tmp_path / "conventions")
    path = tmp_path / "conventions/lyon/avenants/fcil-maintenance-aeronautique-avenant-1.md"
    signed = path.read_text("utf-8")
    path.write_text(signed.replace("statut: signee", "statut: en_signature").replace(
        "  date: 2026-11-12", "  date:"), "utf-8")

    def statut(*args: str) -> subprocess.CompletedProcess[str]:
        return run_statut(tmp_path, "--id", "lyon-fcil-maintenance-aeronautique-avenant-1", *args)

    early = statut("--statut", "signee", "--date", "2026-06-01")
    assert early.returncode == 1
    assert "l’avenant est signé avant la convention (2026-06-15)" in early.stderr
    assert statut("--statut", "signee", "--date", "2026-11-12").returncode == 0
    assert without_fingerprint(path.read_text("utf-8")) == signed
    refused = statut("--statut", "resiliee")
    assert refused.returncode == 1
    assert "résiliez ou laissez expirer la convention elle-même" in refused.stderr
