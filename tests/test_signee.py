"""`coop signee`: a copy exported by the catalogue, signed with pyHanko by throw-away keys,
comes back, is verified, proved to be the catalogue's text, stored and recorded; every
refusal changes no file; `coop check` then guards the stored file and the signed text."""

from __future__ import annotations

import datetime
import difflib
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from asn1crypto import keys as akeys
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from conftest import SAMPLES
from coop.catalog import load_catalog
from coop.cli import main
from coop.export.pipeline import export_conventions
from coop.signed.verify import PARIS

NANTES_ID = "nantes-coloration-mspc-navale"
NANTES_REL = "conventions/nantes/coloration-mspc-maintenance-navale.md"
LYON_ID = "lyon-fcil-maintenance-aeronautique"
AVENANT_ID = f"{LYON_ID}-avenant-1"
AVENANT_REL = "conventions/lyon/avenants/fcil-maintenance-aeronautique-avenant-1.md"
STORED = "conventions/nantes/signees/nantes-coloration-mspc-navale.pdf"


@dataclass(frozen=True)
class Key:
    signer: signers.SimpleSigner
    pem: bytes  # the self-signed certificate, to trust it


def make_key(name: str) -> Key:
    """A throw-away key and self-signed certificate (cryptography), as pyHanko wants them."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Essai")])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    der = cert.public_bytes(serialization.Encoding.DER)
    pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    asn1 = ax509.Certificate.load(der)
    signer = signers.SimpleSigner(signing_cert=asn1,
                                  signing_key=akeys.PrivateKeyInfo.load(pkcs8),
                                  cert_registry=SimpleCertificateStore.from_certs([asn1]))
    return Key(signer, cert.public_bytes(serialization.Encoding.PEM))


def field_names(pdf: bytes) -> list[str]:
    form = PdfFileReader(io.BytesIO(pdf)).root["/AcroForm"]["/Fields"]
    return [str(f.get_object()["/T"]) for f in form]


def sign(pdf: bytes, keys: list[Key], fields: list[str] | None = None) -> bytes:
    """One incremental signature per key, into the copy's own signature fields."""
    for key, name in zip(keys, fields or field_names(pdf), strict=False):
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        pdf = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=name),
                               signer=key.signer).getvalue()
    return pdf


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.email=essai@example.org", "-c",
                    "user.name=Essai", *args], check=True, capture_output=True, timeout=60)


def export_pdf(repo: Path, doc_id: str, out: Path) -> bytes:
    catalog = load_catalog(repo)
    target = catalog.get(doc_id) or next(a for a in catalog.avenants if a.id == doc_id)
    report = export_conventions([target], repo, out, ("pdf",), workers=1)
    assert report.errors == []
    return (out / f"{doc_id}.pdf").read_bytes()


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples in a git repository of their own (the copy's date comes from git)."""
    repo = tmp_path_factory.mktemp("origin")
    shutil.copytree(SAMPLES, repo / "conventions")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "conventions")
    return repo


@pytest.fixture(scope="module")
def keys() -> list[Key]:
    return [make_key(n) for n in ("Yann Le Goff", "Anne Kervella", "Didier Morvan")]


@pytest.fixture(scope="module")
def nantes_copy(origin: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The copy the catalogue exports for Nantes (en_signature), exported once."""
    return export_pdf(origin, NANTES_ID, tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def nantes_signed(nantes_copy: bytes, keys: list[Key]) -> bytes:
    return sign(nantes_copy, keys)


@pytest.fixture
def repo(origin: Path, tmp_path: Path) -> Path:
    """A fresh working copy of `origin` (same commit, same dates) for one test."""
    copy = tmp_path / "depot"
    shutil.copytree(origin, copy, ignore=shutil.ignore_patterns("build"))
    return copy


def signee(repo: Path, pdf: bytes | Path, *args: str,
           capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    path = pdf if isinstance(pdf, Path) else repo.parent / "retour.pdf"
    if not isinstance(pdf, Path):
        path.write_bytes(pdf)
    code = main(["--racine", str(repo), "signee", "--fichier", str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def snapshot(repo: Path) -> dict[str, bytes]:
    base = repo / "conventions"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file()}


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# ---------------------------------------------------------------------------- recording


def test_two_signatures_recorded_with_only_the_expected_lines(
        repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repo / NANTES_REL).read_text("utf-8")
    code, out, err = signee(repo, nantes_signed, "--id", NANTES_ID, capsys=capsys)
    assert code == 0, err
    assert "Vérification : conforme au texte du catalogue (identique octet pour octet)." in out
    assert "signé par Anne Kervella le " in out and "certificat non reconnu" in out
    assert (repo / STORED).read_bytes() == nantes_signed
    after = (repo / NANTES_REL).read_text("utf-8")
    today = paris_today().isoformat()
    lines = changed_lines(before, after)
    assert lines[:4] == ["-statut: en_signature", "+statut: signee", "-  date:",
                         f"+  date: {today}"]
    added = "\n".join(lines[4:])
    assert re.fullmatch(
        r"\+exemplaire_signe:\n"
        r"\+  fichier: signees/nantes-coloration-mspc-navale\.pdf\n"
        r"\+  sha256: [0-9a-f]{64}\n"
        r"\+  verification: identique\n"
        r"\+  signatures:\n"
        r"(\+    - signataire: \w[\w ]+\n\+      date: '[0-9T:+-]+'\n"
        r"\+      certificat: non_reconnu\n?){3}"
        r"\+empreinte_signee:\n\+  source: [0-9a-f]{64}\n\+  texte: [0-9a-f]{64}", added), added
    assert "signataire: Yann Le Goff" in added and "signataire: Didier Morvan" in added
    assert load_catalog(repo).errors == []
    assert main(["--racine", str(repo), "check"]) == 0


def test_a_trusted_root_makes_the_certificate_recognised(
        repo: Path, nantes_signed: bytes, keys: list[Key],
        capsys: pytest.CaptureFixture[str]) -> None:
    roots = repo.parent / "racines"
    roots.mkdir()
    for i, key in enumerate(keys):
        (roots / f"racine-{i}.pem").write_bytes(key.pem)
    code, out, err = signee(repo, nantes_signed, "--id", NANTES_ID, "--racines", str(roots),
                            "--strict", capsys=capsys)
    assert code == 0, err
    assert "non reconnu" not in out
    assert (repo / NANTES_REL).read_text("utf-8").count("certificat: reconnu") == 3


def test_strict_mode_refuses_an_unknown_certificate(
        repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(repo)
    code, _, err = signee(repo, nantes_signed, "--id", NANTES_ID, "--strict", capsys=capsys)
    assert code == 1
    assert "certificat non reconnu" in err and "mode strict" in err
    assert "(aucun fichier modifié)" in err
    assert snapshot(repo) == before


def test_a_copy_rewritten_by_the_platform_is_accepted_by_its_text(
        repo: Path, nantes_copy: bytes, keys: list[Key],
        capsys: pytest.CaptureFixture[str]) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(nantes_copy)))
    buffer = io.BytesIO()
    writer.write(buffer)  # a whole new file: same pages, other bytes
    rewritten = buffer.getvalue()
    assert rewritten[:2000] != nantes_copy[:2000]
    code, out, err = signee(repo, sign(rewritten, keys), "--id", NANTES_ID, capsys=capsys)
    assert code == 0, err
    assert "fichier réécrit par la plateforme, même texte" in out
    assert "verification: texte_conforme" in (repo / NANTES_REL).read_text("utf-8")


def test_a_scan_is_recorded_as_unverified(repo: Path, capsys: pytest.CaptureFixture[str],
                                          nantes_copy: bytes) -> None:
    scan = nantes_copy  # any PDF: a scan has no signature to check
    code, _, err = signee(repo, scan, "--id", NANTES_ID, "--scan", capsys=capsys)
    assert code == 1 and "la signature demande sa date" in err
    code, out, err = signee(repo, scan, "--id", NANTES_ID, "--scan", "--date", "2026-11-20",
                            capsys=capsys)
    assert code == 0, err
    assert "Vérification : copie numérisée, non vérifiée." in out
    text = (repo / NANTES_REL).read_text("utf-8")
    assert "  date: 2026-11-20\n" in text and "verification: copie_numerisee" in text
    assert "signatures:" not in text.split("exemplaire_signe:")[1]


def test_an_avenant_is_recorded_the_same_way(
        repo: Path, keys: list[Key], capsys: pytest.CaptureFixture[str]) -> None:
    copy = export_pdf(repo, AVENANT_ID, repo.parent / "export-avenant")
    code, out, err = signee(repo, sign(copy, keys), "--id", AVENANT_ID, capsys=capsys)
    assert code == 0, err
    assert "« signee » → « signee »" in out  # signed on trust before: now with its copy
    stored = repo / "conventions/lyon/avenants/signees" / f"{AVENANT_ID}.pdf"
    assert stored.is_file()
    text = (repo / AVENANT_REL).read_text("utf-8")
    assert "verification: identique" in text and "empreinte_signee:" in text
    assert main(["--racine", str(repo), "check"]) == 0


# ---------------------------------------------------------------------------- refusals


def refused(repo: Path, pdf: bytes | Path, capsys: pytest.CaptureFixture[str],
            *args: str) -> str:
    """The command refuses, says so in French and changes no file; its stderr."""
    before = snapshot(repo)
    code, out, err = signee(repo, pdf, "--id", NANTES_ID, *args, capsys=capsys)
    assert code == 1, out
    assert err.rstrip().endswith("(aucun fichier modifié).")
    assert snapshot(repo) == before
    return err


def test_one_changed_word_is_refused_naming_the_article(
        repo: Path, keys: list[Key], capsys: pytest.CaptureFixture[str]) -> None:
    other = repo.parent / "autre"
    shutil.copytree(repo, other)
    source = other / NANTES_REL
    text = source.read_text("utf-8")
    assert "La CARENE prend en charge" in text
    source.write_text(text.replace("La CARENE prend en charge", "La CARENE assume", 1), "utf-8")
    git(other, "commit", "-qam", "un mot")
    signed = sign(export_pdf(other, NANTES_ID, other / "export"), keys)
    err = refused(repo, signed, capsys)
    assert "n’est pas le texte actuel de « nantes-coloration-mspc-navale »" in err
    assert "diffère : « Article 8 – Engagements de la collectivité »" in err
    assert "## Article 8 – Engagements de la collectivité — modifié" in err
    assert re.search(r"^-.*La CARENE prend en charge", err, re.M)
    assert re.search(r"^\+.*La CARENE assume", err, re.M)


def test_a_signature_over_an_older_version_is_refused(
        repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    source = repo / NANTES_REL
    source.write_text(source.read_text("utf-8").replace("preavis_mois: 6", "preavis_mois: 4"),
                      "utf-8")
    git(repo, "commit", "-qam", "préavis")
    err = refused(repo, nantes_signed, capsys)
    assert "diffère : « Article 12 – Litiges et résiliations »" in err
    assert re.search(r"^-.*préavis de 4 mois", err, re.M)
    assert re.search(r"^\+.*préavis de 6 mois", err, re.M)


def test_the_signed_copy_of_another_convention_is_refused(
        repo: Path, keys: list[Key], capsys: pytest.CaptureFixture[str]) -> None:
    lyon = sign(export_pdf(repo, LYON_ID, repo.parent / "export-lyon"), keys)
    err = refused(repo, lyon, capsys)
    assert f"ce PDF est l’exemplaire de « {LYON_ID} », pas de « {NANTES_ID} »" in err


def test_a_truncated_file_is_refused(repo: Path, nantes_signed: bytes,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(repo, nantes_signed[: len(nantes_signed) - 3000], capsys)
    assert err.startswith("ÉCHEC : retour.pdf : PDF illisible, tronqué ou abîmé (")
    assert "redemandez le fichier à la plateforme de signature" in err


def test_a_broken_signature_is_refused(repo: Path, nantes_signed: bytes,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    tampered = bytearray(nantes_signed)
    tampered[nantes_signed.index(b"stream") + 300] ^= 0x01  # one bit of a page's content
    err = refused(repo, bytes(tampered), capsys)
    assert ("signature « signature-1-le-lycee » (Yann Le Goff) rompue : le contenu ne "
            "correspond plus à ce qui a été signé") in err


def test_a_partial_signature_is_refused(repo: Path, nantes_copy: bytes, keys: list[Key],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(repo, sign(nantes_copy, keys[:2]), capsys)
    assert "signature partielle : champ « signature-3-la-carene » non signé" in err


def test_an_unsigned_copy_points_to_scan(repo: Path, nantes_copy: bytes,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(repo, nantes_copy, capsys)
    assert "aucune signature électronique dans ce PDF" in err and "--scan" in err


def test_a_file_that_is_not_a_pdf_is_refused(repo: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(repo, "<html>convention signée</html>".encode(), capsys)
    assert "ce fichier n’est pas un PDF" in err


def test_a_file_over_the_size_limit_is_refused(repo: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    big = repo.parent / "enorme.pdf"
    with big.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(21 * 1024 * 1024)
    err = refused(repo, big, capsys)
    assert "enorme.pdf : fichier trop lourd (22,0 Mo ; au plus 20 Mo)" in err


# ---------------------------------------------------------------------------- make check


def recorded(repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = signee(repo, nantes_signed, "--id", NANTES_ID, capsys=capsys)
    assert code == 0, err
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "signée")


def check(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--racine", str(repo), "check"])
    out = capsys.readouterr()
    return code, out.err + out.out


def test_check_detects_a_stored_file_modified_afterwards(
        repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    recorded(repo, nantes_signed, capsys)
    stored = repo / STORED
    stored.write_bytes(stored.read_bytes() + b"\n% ajoute\n")
    code, out = check(repo, capsys)
    assert code == 1
    line = next(i for i, t in enumerate((repo / NANTES_REL).read_text().splitlines(), 1)
                if t.startswith("  sha256:"))
    assert re.search(rf"^{NANTES_REL}:{line}:3: exemplaire_signe\.sha256: l’exemplaire signé "
                     r"signees/nantes-coloration-mspc-navale\.pdf a été modifié après son "
                     "enregistrement", out, re.M), out
    stored.unlink()
    code, out = check(repo, capsys)
    assert code == 1 and "exemplaire signé introuvable" in out


def test_check_refuses_a_change_of_the_signed_text_naming_field_and_article(
        repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    recorded(repo, nantes_signed, capsys)
    source = repo / NANTES_REL
    source.write_text(source.read_text("utf-8").replace("preavis_mois: 6", "preavis_mois: 2"),
                      "utf-8")
    code, out = check(repo, capsys)
    assert code == 1
    assert re.search(rf"^{NANTES_REL}:\d+:3: dispositions\.preavis_mois: texte signé modifié : "
                     "« dispositions.preavis_mois » a changé depuis la signature ; texte "
                     "modifié : « Article 12 – Litiges et résiliations » ; une convention signée "
                     "ne change que par un avenant", out, re.M), out


def test_check_names_a_changed_body_section(
        repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    recorded(repo, nantes_signed, capsys)
    source = repo / NANTES_REL
    source.write_text(source.read_text("utf-8").replace("La CARENE prend en charge",
                                                        "La CARENE assume", 1), "utf-8")
    code, out = check(repo, capsys)
    assert code == 1
    assert "« Article 8 – Engagements de la collectivité »" in out
    assert re.search(r": corps « Article ajouté après communication : Engagements de la "
                     "collectivité »: texte signé modifié", out), out


def test_rewrapping_the_signed_text_or_recording_a_meeting_is_not_a_change(
        repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    recorded(repo, nantes_signed, capsys)
    source = repo / NANTES_REL
    text = source.read_text("utf-8")
    text = text.replace("La CARENE prend en charge", "La CARENE\nprend en charge", 1)
    meeting = f"comite_suivi:\n  derniere_reunion: {paris_today().isoformat()}\n"
    source.write_text(text.replace("comite_suivi:\n", meeting, 1), "utf-8")
    code, out = check(repo, capsys)
    assert code == 0, out


def test_a_new_tool_version_is_only_a_warning(
        repo: Path, nantes_signed: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    recorded(repo, nantes_signed, capsys)
    source = repo / NANTES_REL
    text = source.read_text("utf-8")
    old = re.search(r"  texte: ([0-9a-f]{64})", text)[1]  # type: ignore[index]
    source.write_text(text.replace(old, "a" * 64), "utf-8")  # as if signed with another tool
    code, out = check(repo, capsys)
    assert code == 0, out
    assert re.search(r"empreinte_signee\.texte: \(avertissement\) le texte régénéré diffère du "
                     "texte signé alors que la source n’a pas changé", out), out
    assert "l’exemplaire signé enregistré reste la référence publiée" in out


def test_statut_signee_records_the_fingerprint_and_freezes_the_text(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--racine", str(repo), "statut", "--id", NANTES_ID, "--statut", "signee",
                 "--date", "2026-06-15"])
    assert code == 0
    git(repo, "commit", "-qam", "signée sur papier")
    source = repo / NANTES_REL
    source.write_text(source.read_text("utf-8").replace("preavis_mois: 6", "preavis_mois: 3"),
                      "utf-8")
    code, out = check(repo, capsys)
    assert code == 1 and "texte signé modifié : « dispositions.preavis_mois »" in out


# ---------------------------------------------------------------------------- the site


class Links(HTMLParser):
    """The download list of a page: (href, text of the item) in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[list[str]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "ul" and ("class", "coop-telechargements") in attrs:
            self.depth = 1
        elif self.depth and tag == "li":
            self.items.append(["", ""])
        elif self.depth and tag == "a" and self.items:
            self.items[-1][0] = dict(attrs).get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.depth and self.items:
            self.items[-1][1] += f" {data}"


def site_downloads(repo: Path, conv_id: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(href, text) of the downloads of the generated page of `conv_id`, and the site paths
    the generator publishes for it."""
    from coop.site import state
    from coop.site.generate import _convention_outputs
    from coop.site.renderer import Renderer

    st = state.load(repo, datetime.date(2026, 12, 3))
    conv = st.catalog.get(conv_id)
    outputs = list(_convention_outputs(Renderer(), st, conv, ""))
    page = next(o for o in outputs if (o.text is not None and o.path.endswith("index.md"))
                or o.path.endswith(".md"))
    parser = Links()
    parser.feed(page.text)
    items = [(href, " ".join(text.replace("\u00a0", " ").split())) for href, text in
             parser.items]
    return items, [o.path for o in outputs]


def test_the_page_offers_the_signed_copy_first_with_its_verification(
        repo: Path, nantes_copy: bytes, nantes_signed: bytes,
        capsys: pytest.CaptureFixture[str]) -> None:
    recorded(repo, nantes_signed, capsys)
    exports = repo / "build" / "exports"
    exports.mkdir(parents=True)
    (exports / f"{NANTES_ID}.pdf").write_bytes(nantes_copy)
    items, paths = site_downloads(repo, NANTES_ID)
    assert len(items) == 2, items
    (signed_href, signed_text), (blank_href, blank_text) = items
    size = f"{round(len(nantes_signed) / 1000)} Ko"
    assert signed_text.startswith(f"Télécharger l’exemplaire signé (PDF, {size})"), signed_text
    day = paris_today()
    assert re.search(
        rf"Signé électroniquement par Yann Le Goff le {day.day}(er)? \w+ {day.year} "
        r"\(certificat non reconnu\), Anne Kervella le .*, Didier Morvan le .* ; signatures "
        "intactes, conforme au texte du catalogue.$", signed_text), signed_text
    assert signed_href.endswith(f"signees/{NANTES_ID}.pdf")
    assert blank_text == ("Télécharger l’exemplaire à signer (pour mémoire, non signé) "
                          f"(PDF, {round(len(nantes_copy) / 1000)} Ko)")
    assert blank_href.endswith(f"exports/{NANTES_ID}.pdf")
    assert f"signees/{NANTES_ID}.pdf" in paths


def test_the_page_of_a_scan_says_it_is_unverified(
        repo: Path, nantes_copy: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = signee(repo, nantes_copy, "--id", NANTES_ID, "--scan", "--date",
                          "2026-11-20", capsys=capsys)
    assert code == 0, err
    items, _ = site_downloads(repo, NANTES_ID)
    assert [text for _, text in items] == [
        f"Télécharger l’exemplaire signé (PDF, {round(len(nantes_copy) / 1000)} Ko) Copie "
        "numérisée, non vérifiée."]


# ---------------------------------------------------------------------------- anchors


def test_anchors_for_signing_platforms_and_their_signed_copy(
        repo: Path, keys: list[Key], capsys: pytest.CaptureFixture[str]) -> None:
    out = repo.parent / "export-ancres"
    catalog = load_catalog(repo)
    report = export_conventions([catalog.get(NANTES_ID)], repo, out, ("pdf",), workers=1,
                                anchors=True)
    assert report.errors == []
    anchored = (out / f"{NANTES_ID}.pdf").read_bytes()
    last = pypdf.PdfReader(io.BytesIO(anchored)).pages[-1].extract_text()
    found = re.findall(r"\{\{s(\d)\|signature\|(\d+)\|(\d+)\}\}", last)
    assert [n for n, _w, _h in found] == ["1", "2", "3"]  # one per signatory's box
    assert all(int(w) > 100 and int(h) > 50 for _n, w, h in found)
    assert field_names(anchored) == ["signature-1-le-lycee", "signature-2-les-chantiers",
                                     "signature-3-la-carene"]  # the fields stay
    code, out_text, err = signee(repo, sign(anchored, keys), "--id", NANTES_ID, capsys=capsys)
    assert code == 0, err
    assert "identique octet pour octet" in out_text


def test_a_second_signed_copy_is_refused(repo: Path, nantes_signed: bytes,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    recorded(repo, nantes_signed, capsys)
    err = refused(repo, nantes_signed, capsys)
    assert ("un exemplaire signé est déjà enregistré pour « nantes-coloration-mspc-navale » "
            "(signees/nantes-coloration-mspc-navale.pdf)") in err


def test_in_a_browser_the_signed_copy_comes_first_and_downloads(
        repo: Path, nantes_copy: bytes, nantes_signed: bytes,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The built site (the engine's page, not only the generated Markdown): « exemplaire
    signé » first with its verification sentence, and its link serves the stored file."""
    from browser.sitebuild import REPO, chromium, served

    recorded(repo, nantes_signed, capsys)
    (repo / "build" / "exports").mkdir(parents=True)
    (repo / "build" / "exports" / f"{NANTES_ID}.pdf").write_bytes(nantes_copy)
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(REPO / "docs", repo / "docs")
    with served(repo, today=paris_today().isoformat()) as url, chromium() as browser:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(f"{url}conventions/{NANTES_ID}/")
        items = page.locator("ul.coop-telechargements > li")
        first = " ".join(items.nth(0).inner_text().split())
        assert first.startswith("Télécharger l’exemplaire signé (PDF"), first
        assert "Signé électroniquement par Yann Le Goff" in first
        assert "conforme au texte du catalogue" in first
        assert "pour mémoire, non signé" in items.nth(1).inner_text()
        href = items.nth(0).locator("a").get_attribute("href")
        response = page.request.get(page.url + href)
        assert response.ok and response.body() == nantes_signed


def paris_today() -> datetime.date:
    """The day a signature made now is dated in (Paris time, as `coop signee` writes
    it): from 23:00 or 22:00 UTC, already the next day."""
    return datetime.datetime.now(PARIS).date()
