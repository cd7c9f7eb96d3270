"""`make revue`: the review report of a merge / pull request, on a throw-away git history
(add a convention; change a préavis and an article sentence; add an avenant; break a
UAI), and its CI outputs (Code Quality JSON, GitHub annotations, the one MR note / PR
comment through a fake HTTP layer)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLES, edit
from coop.authoring.revue import review
from coop.authoring.revue_ci import annotation, code_quality, escape_property
from coop.authoring.revue_git import chosen_base, default_base, extract, snapshot
from coop.authoring.revue_publish import MARKER, Request, Response
from coop.authoring.revue_render import report_md
from coop.cli import parser
from coop.cli import revue as revue_cli
from coop.errors import WARNING, Problem

DAY = "2026-11-02"
LILLE = "conventions/lille/bts-ms-ferroviaire.md"
NANTES = "conventions/nantes/coloration-mspc-maintenance-navale.md"
PARIS = "conventions/paris/bts-mhr-gastronomie-durable.md"
AVENANT_2 = "conventions/lyon/avenants/fcil-maintenance-aeronautique-avenant-2.md"
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}
OLD_SENTENCE = "prend en charge le transport des élèves entre le lycée et les sites"
NEW_SENTENCE = "prend en charge le transport et les repas des élèves entre le lycée et les sites"

AVENANT = """---
convention: lyon-fcil-maintenance-aeronautique
numero: 2
titre: Précision des modalités de communication
statut: brouillon
objet: préciser la communication de la FCIL
date_effet: 2027-03-01
signature:
  lieu: Bron
  exemplaires: 2
  signataires:
    - partie: le lycée
      fonction: Proviseure du lycée professionnel Jean-Mermoz
      nom: Madame Claire Dupont
    - partie: RHM
      fonction: Directeur des ressources humaines
      nom: Monsieur Paul Martin
---

## Article remplacé : communication

Les signataires font connaître la FCIL aux élèves de baccalauréat professionnel de
l’académie lors des salons de l’orientation.
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          env=GIT_ENV, timeout=60, text=True)
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def change(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    path.write_text(edit(path.read_text("utf-8"), old, new), "utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Commits: samples without Lille; Lille added; préavis, article and avenant changed;
    then, uncommitted, a broken UAI."""
    repo = tmp_path_factory.mktemp("revue") / "depot"
    shutil.copytree(SAMPLES, repo / "conventions")
    lille = (repo / LILLE).read_text("utf-8")
    (repo / LILLE).unlink()
    git(repo, "init", "-q", "-b", "main")
    revs = {"sans-lille": commit(repo, "échantillons sans Lille")}
    (repo / LILLE).write_text(lille, "utf-8")
    revs["lille"] = commit(repo, "Lille ajoutée")
    change(repo, LILLE, "preavis_mois: 4", "preavis_mois: 6")
    change(repo, NANTES, OLD_SENTENCE.replace(" le lycée et les sites", ""),
           NEW_SENTENCE.replace(" le lycée et les sites", ""))
    (repo / AVENANT_2).write_text(AVENANT, "utf-8")
    revs["changes"] = commit(repo, "préavis, article, avenant")
    change(repo, PARIS, "uai: 0750708M", "uai: 0750708A")
    return repo, revs


def run_revue(repo: Path, *args: str, env: dict[str, str] | None = None,
              send: object = None) -> int:
    ns = parser().parse_args(["--racine", str(repo), "--date", DAY, "revue", *args])
    return revue_cli.run(ns, env=env or {}, send=send or forbidden)  # type: ignore[arg-type]


def forbidden(req: Request) -> Response:
    raise AssertionError(f"aucune requête attendue : {req.method} {req.url}")


def flat(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def report(history: tuple[Path, dict[str, str]]) -> dict[str, str]:
    repo, revs = history
    assert run_revue(repo, "--base", revs["lille"]) == 0
    out = repo / "build" / "revue"
    return {name: flat((out / name).read_text("utf-8"))
            for name in ("revue.md", "revue.html", "code-quality.json")}


def uai_line(repo: Path) -> int:
    lines = (repo / PARIS).read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if "uai:" in line)


def test_report_lists_changes_in_words(report: dict[str, str]) -> None:
    md = report["revue.md"]
    assert "**En bref.** 3 conventions modifiées, 1 avenant ajouté. 1 erreur" in md
    assert "- préavis : 4 mois → 6 mois" in md  # the header change, in words
    assert "## Avenant « lyon-fcil-maintenance-aeronautique-avenant-2 » — ajouté" in md
    # the préavis is written into the protected « Litiges et résiliations » clause
    assert re.search(r"\*\*Clause protégée modifiée\*\* — Convention « lille-bts-ms-"
                     r"ferroviaire » : Article \d+ – Litiges et résiliations", md)
    # Lille is signed and renewed tacitly: its notice deadline moves two months earlier
    assert "- date limite de préavis : 30 avril 2028 → 29 février 2028" in md
    # the changed article: old and new sentence, in a diff block
    assert f"-La CARENE {OLD_SENTENCE.split(' entre')[0]}" in md
    assert f"+La CARENE {NEW_SENTENCE.split(' entre')[0]}" in md
    assert "preavis_mois" not in md  # the reader sees « préavis », not the YAML


def test_report_names_the_error_with_its_line(history: tuple[Path, dict[str, str]],
                                              report: dict[str, str]) -> None:
    repo, _ = history
    line = uai_line(repo)
    md = report["revue.md"]
    assert re.search(rf"- `{PARIS}:{line}:\d+` \*\*erreur\*\* — `etablissements\[1\]\.uai` : "
                     r".*UAI", md), md
    assert "ne se charge pas dans « copie de travail »" in md


def test_html_shows_old_and_new_wording_side_by_side(report: dict[str, str]) -> None:
    html = report["revue.html"]
    assert '<html lang="fr">' in html and "<link" not in html and "<script" not in html
    assert "<th scope=\"col\">Avant (" in html and "<th scope=\"col\">Après (copie de " \
           "travail)</th>" in html
    assert "le transport<ins> et les repas</ins> des élèves" in html
    assert "<span class=\"libelle\">préavis</span> : <del>4 mois</del> → <ins>6 mois</ins>" \
           in html


def test_added_convention(history: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, revs = history
    before = tmp_path / "avant"
    shutil.copytree(extract(repo, revs["sans-lille"]), before)
    after = extract(repo, revs["lille"])
    rev = review(snapshot(before, "avant"), snapshot(after, "après"), date(2026, 11, 2))
    (entry,) = rev.entries
    assert (entry.kind, entry.change, entry.id) == ("convention", "ajout",
                                                    "lille-bts-ms-ferroviaire")
    assert any(t.title.endswith("Durée") for t in entry.texts)
    assert not rev.alerts  # a new convention has no « changed » protected clause


def test_renamed_convention(history: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, revs = history
    after = tmp_path / "apres"
    shutil.copytree(extract(repo, revs["lille"]), after)
    (after / LILLE).rename(after / "conventions" / "lille" / "ferroviaire.md")
    rev = review(snapshot(extract(repo, revs["lille"]), "avant"), snapshot(after, "après"),
                 date(2026, 11, 2))
    (entry,) = rev.entries
    # moved, same identifier: listed, but nothing a signer reads changes
    assert (entry.change, entry.old_path, entry.legal) == ("renommage", LILLE, False)
    assert not entry.texts and not entry.fields
    text = report_md(rev)
    assert "(conventions/lille/ferroviaire.md) : renommée — sans effet juridique" in text
    assert text.rstrip().endswith("ne changent.")


def test_a_change_with_nothing_legal(history: tuple[Path, dict[str, str]],
                                     tmp_path: Path) -> None:
    repo, revs = history
    after = tmp_path / "apres"
    shutil.copytree(extract(repo, revs["lille"]), after)
    change(after, LILLE, "---\n", "---\n# un commentaire de relecture\n")
    rev = review(snapshot(extract(repo, revs["lille"]), "avant"), snapshot(after, "après"),
                 date(2026, 11, 2))
    text = report_md(rev)
    assert text.strip().splitlines()[-1] == (
        "Aucun changement juridique entre avant et après : ni le texte, ni l’en-tête, ni les "
        "échéances d’une convention ou d’un avenant ne changent.")


def test_code_quality_report(history: tuple[Path, dict[str, str]],
                             report: dict[str, str]) -> None:
    repo, _ = history
    issues = json.loads(report["code-quality.json"])
    assert len(issues) == 1  # one entry per problem: the broken UAI
    (issue,) = issues
    assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
    assert issue["severity"] == "major" and issue["location"]["path"] == PARIS
    assert issue["location"]["lines"]["begin"] == uai_line(repo)
    assert issue["description"].startswith("etablissements[1].uai : ")
    # the same problem two lines further down keeps its fingerprint; a second run too
    shifted = tmp = repo / "build" / "decale"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(repo / "conventions", shifted / "conventions")
    change(shifted, PARIS, "---\n", "---\n# commentaire\n# encore un\n")
    again = code_quality(snapshot(shifted, "x").catalog.problems)
    assert again[0]["location"]["lines"]["begin"] == uai_line(repo) + 2
    assert again[0]["fingerprint"] == issue["fingerprint"]
    twice = code_quality([Problem("a.md", 3, 1, "f", "m"), Problem("a.md", 9, 1, "f", "m")])
    assert len({i["fingerprint"] for i in twice}) == 2
    assert code_quality(snapshot(repo, "y").catalog.problems)[0]["fingerprint"] == \
        issue["fingerprint"]


def test_github_annotations_and_summary(history: tuple[Path, dict[str, str]],
                                        capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    repo, revs = history
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    assert run_revue(repo, "--base", revs["lille"], env=env) == 0
    lines = [x for x in capsys.readouterr().out.splitlines() if x.startswith("::")]
    line = uai_line(repo)
    assert len(lines) == 1
    assert lines[0].startswith(f"::error file={PARIS},line={line},col=")
    assert ",title=Convention %3A etablissements[1].uai::" in lines[0]
    assert "- préavis : 4 mois → 6 mois" in flat(summary.read_text("utf-8"))


def test_annotation_escaping() -> None:
    p = Problem("conventions/a,b:c.md", 4, 2, "titre", "100 % faux\r\nsuite : oui, non",
                WARNING)
    assert annotation(p) == ("::warning file=conventions/a%2Cb%3Ac.md,line=4,col=2,"
                             "title=Convention %3A titre::100 %25 faux%0D%0Asuite : oui, non")
    assert escape_property("50%,a:b\n") == "50%25%2Ca%3Ab%0A"


class FakeForge:
    """Records requests; answers like the forge (one page of notes)."""

    def __init__(self, notes: list[dict[str, object]]) -> None:
        self.notes, self.requests = notes, []

    def __call__(self, req: Request) -> Response:
        self.requests.append(req)
        if req.method == "GET":
            return Response(200, self.notes)
        if req.method == "POST":
            self.notes.append({"id": 7, "body": req.body["body"]})  # type: ignore[index]
            return Response(201, self.notes[-1])
        return Response(200, {"id": 7})


GITLAB = {"GITLAB_CI": "true", "CI_API_V4_URL": "https://forge.example/api/v4",
          "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "5", "COOP_REVUE_TOKEN": "jeton"}


def test_gitlab_note_created_then_updated(history: tuple[Path, dict[str, str]]) -> None:
    repo, revs = history
    forge = FakeForge([{"id": 3, "body": "autre commentaire"}])
    assert run_revue(repo, "--base", revs["lille"], "--publier", env=GITLAB, send=forge) == 0
    get, post = forge.requests
    notes = "https://forge.example/api/v4/projects/42/merge_requests/5/notes"
    assert get.url.startswith(notes + "?") and post.method == "POST" and post.url == notes
    assert post.headers == {"PRIVATE-TOKEN": "jeton"}
    body = post.body["body"]  # type: ignore[index]
    assert body.startswith(MARKER) and "```diff" not in body  # the summary, not the texts
    assert "**En bref.** 3 conventions modifiées, 1 avenant ajouté." in body
    forge.requests.clear()
    assert run_revue(repo, "--base", revs["lille"], "--publier", env=GITLAB, send=forge) == 0
    assert [(r.method, r.url) for r in forge.requests][1] == ("PUT", notes + "/7")


def test_no_token_no_request(history: tuple[Path, dict[str, str]],
                             capsys: pytest.CaptureFixture[str]) -> None:
    repo, revs = history
    env = {k: v for k, v in GITLAB.items() if k != "COOP_REVUE_TOKEN"}
    assert run_revue(repo, "--base", revs["lille"], "--publier", env=env) == 0
    assert "Commentaire non publié" in capsys.readouterr().out


@pytest.mark.parametrize("fork", [False, True])
def test_github_comment_never_for_a_fork(history: tuple[Path, dict[str, str]],
                                         tmp_path: Path, fork: bool) -> None:
    repo, revs = history
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 12, "head": {"repo": {
        "full_name": "autre/depot" if fork else "rectorat/catalogue"}}}}), "utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_TOKEN": "t", "GITHUB_REPOSITORY":
           "rectorat/catalogue", "GITHUB_EVENT_PATH": str(event),
           "GITHUB_API_URL": "https://api.github.example"}
    forge = FakeForge([{"id": 7, "body": f"{MARKER}\nancien"}])
    assert run_revue(repo, "--base", revs["lille"], "--publier", env=env,
                     send=forge if not fork else forbidden) == 0
    if not fork:
        assert [(r.method, r.url) for r in forge.requests] == [
            ("GET", "https://api.github.example/repos/rectorat/catalogue/issues/12/comments"
                    "?per_page=100&page=1"),
            ("PATCH", "https://api.github.example/repos/rectorat/catalogue/issues/comments/7")]


def test_removed_convention(history: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, revs = history
    after = tmp_path / "apres"
    shutil.copytree(extract(repo, revs["lille"]), after)
    (after / LILLE).unlink()
    rev = review(snapshot(extract(repo, revs["lille"]), "avant"), snapshot(after, "après"),
                 date(2026, 11, 2))
    (entry,) = rev.entries
    assert (entry.change, entry.id, entry.path) == ("suppression", "lille-bts-ms-ferroviaire",
                                                    LILLE)
    text = report_md(rev)
    assert "## Convention « lille-bts-ms-ferroviaire » — supprimée" in text
    assert "tout supprimé (texte complet dans le rapport HTML)" in text


def test_default_base_is_the_merge_base_and_says_so(tmp_path: Path) -> None:
    repo = tmp_path / "depot"
    (repo / "conventions").mkdir(parents=True)
    (repo / "conventions" / "README.md").write_text("Conventions\n", "utf-8")
    git(repo, "init", "-q", "-b", "main")
    first = commit(repo, "premier")
    git(repo, "switch", "-q", "-c", "demande")
    (repo / "conventions" / "README.md").write_text("Conventions.\n", "utf-8")
    commit(repo, "sur la branche")
    base = default_base(repo)
    assert (base.commit, base.how) == (first, "base de fusion de HEAD avec main")
    git(repo, "branch", "-q", "-m", "main", "tronc")  # no main: the previous commit
    assert default_base(repo).how.startswith("HEAD~1")
    assert chosen_base(repo, "HEAD").how == "révision demandée « HEAD »"


def test_refused_note_fails_in_french_after_writing_the_report(
        history: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    repo, revs = history
    (repo / "build" / "revue" / "revue.md").unlink(missing_ok=True)
    assert run_revue(repo, "--base", revs["lille"], "--publier", env=GITLAB,
                     send=lambda req: Response(403)) == 1
    assert "ÉCHEC : GitLab : lecture des commentaires impossible (HTTP 403 : vérifiez le " \
           "jeton et ses droits)" in capsys.readouterr().err
    assert (repo / "build" / "revue" / "revue.md").is_file()
