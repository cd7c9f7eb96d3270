"""The review pipeline files: GitLab CI, GitHub Actions, pre-commit. Every `make X` they run
is a target of the Makefile; every merge request is checked, tested, built and exported."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import ROOT, SAMPLES

GITLAB = ROOT / ".gitlab-ci.yml"
GITHUB = ROOT / ".github" / "workflows" / "ci.yml"
PRECOMMIT = ROOT / ".pre-commit-config.yaml"
EXPECTED = {"check", "test", "site", "pdf", "docx"}


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text("utf-8"))


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text("utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))


def commands(node: Any) -> Iterator[str]:
    """Every shell line of a CI file (`script`, `run`), wherever it sits."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("script", "before_script", "after_script", "run"):
                lines = value if isinstance(value, list) else [value]
                for line in lines:
                    yield from str(line).splitlines()
            else:
                yield from commands(value)
    elif isinstance(node, list):
        for item in node:
            yield from commands(item)


def make_targets(lines: Iterator[str]) -> list[str]:
    """`make check && make pdf docx` -> ["check", "pdf", "docx"]."""
    found: list[str] = []
    for line in lines:
        for part in re.split(r"&&|\|\||;", line.split("#", 1)[0]):
            words = shlex.split(part)
            if words and words[0] == "make":
                found += [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    return found


@pytest.mark.parametrize("path", [GITLAB, GITHUB], ids=["gitlab", "github"])
def test_ci_runs_only_existing_make_targets(path: Path) -> None:
    targets = make_targets(commands(load(path)))
    assert set(targets) <= makefile_targets(), set(targets) - makefile_targets()
    assert set(targets) >= EXPECTED


def test_gitlab_pipeline() -> None:
    ci = load(GITLAB)
    rules = [r["if"] for r in ci["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules
    assert make_targets(iter(ci["site"]["script"])) == ["site"]
    assert ci["site"]["artifacts"]["paths"] == ["build/site/"]
    assert make_targets(iter(ci["exports"]["script"])) == ["pdf", "docx"]
    assert ci["exports"]["artifacts"]["paths"] == ["build/exports/"]
    pages = ci["pages"]
    assert pages["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'},
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["artifacts"]["paths"] == ["public/"]
    assert "site" in pages["needs"]


def test_github_workflow() -> None:
    wf = load(GITHUB)
    assert "pull_request" in wf["on"] and wf["on"]["push"]["branches"] == ["main"]
    jobs = wf["jobs"]
    uploads = {step["with"]["path"] for job in jobs.values() for step in job.get("steps", [])
               if "upload" in str(step.get("uses", ""))}
    assert uploads == {"build/site/", "build/exports/", "build/revue/"}
    deploy = jobs["deploy"]
    assert deploy["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert wf["permissions"] == {"contents": "read"}


def test_gitlab_publishes_every_day_on_a_schedule() -> None:
    """A scheduled pipeline (created in GitLab's interface, documented at the top of the
    file) runs and publishes: « Données à jour au … » is the day of the build."""
    text = GITLAB.read_text("utf-8")
    ci = load(GITLAB)
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in ci["workflow"]["rules"]
    assert any("schedule" in r["if"] for r in ci["pages"]["rules"])
    assert "Planifications de pipeline" in text and "17 4 * * *" in text
    jobs = {k: v for k, v in ci.items() if isinstance(v, dict) and "script" in v
            and k != "revue"}  # the review of a merge request has nothing to do on a schedule
    assert not any("rules" in job and "merge_request_event" in str(job["rules"])
                   for job in jobs.values())  # every job runs in a scheduled pipeline


def test_gitlab_reviews_every_merge_request() -> None:
    """`make revue` on merge requests only: Code Quality report (inline in the diff), the
    report exposed in the merge request, the note only through a configured token."""
    job = load(GITLAB)["revue"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert make_targets(iter(job["script"])) == ["revue"]
    assert "BASE=\"$CI_MERGE_REQUEST_DIFF_BASE_SHA\"" in job["script"][0]
    assert job["variables"]["GIT_DEPTH"] == 0  # the merge base is in the clone
    artifacts = job["artifacts"]
    assert artifacts["reports"] == {"codequality": "build/revue/code-quality.json"}
    assert artifacts["expose_as"] == "Revue juridique" and artifacts["when"] == "always"
    assert artifacts["paths"] == ["build/revue/"]
    assert "COOP_REVUE_TOKEN" in GITLAB.read_text("utf-8")  # documented where it is used


def test_github_reviews_every_pull_request_with_one_write_permission() -> None:
    wf = load(GITHUB)
    job = wf["jobs"]["revue"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    others = [name for name, j in wf["jobs"].items()
              if name != "revue" and "pull-requests" in str(j.get("permissions", {}))]
    assert others == []  # the one job that writes on a pull request
    (run,) = [s for s in job["steps"] if "make revue" in str(s.get("run", ""))]
    assert make_targets(iter([run["run"]])) == ["revue"] and "PUBLIER=1" in run["run"]
    assert run["env"]["REVUE_BASE"] == "${{ github.event.pull_request.base.sha }}"
    # a fork's pull request gets no token: the comment is skipped, the report still made
    assert run["env"]["GITHUB_TOKEN"] == ("${{ github.event.pull_request.head.repo.full_name "
                                          "== github.repository && secrets.GITHUB_TOKEN "
                                          "|| '' }}")
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0


def test_github_publishes_every_day_on_a_schedule() -> None:
    wf = load(GITHUB)
    (cron,) = wf["on"]["schedule"]
    minute, hour, day, month, weekday = cron["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*") and hour.isdigit() and minute.isdigit()
    assert "workflow_dispatch" in wf["on"]
    deploy = wf["jobs"]["deploy"]
    # a scheduled run (event « schedule », on main) deploys; a pull request never does
    condition = deploy["if"]
    for event, ref, deploys in (("schedule", "refs/heads/main", True),
                                ("push", "refs/heads/main", True),
                                ("workflow_dispatch", "refs/heads/main", True),
                                ("pull_request", "refs/pull/3/merge", False),
                                ("push", "refs/heads/autre", False)):
        assert _github_if(condition, event, ref) is deploys, (event, ref)
    assert set(deploy["needs"]) >= {"site", "test"}


def _github_if(condition: str, event: str, ref: str) -> bool:
    """Evaluate the deploy job's simple `if:` (==, !=, &&) for an event and a ref."""
    values = {"github.event_name": event, "github.ref": ref}
    result = True
    for clause in condition.split("&&"):
        m = re.fullmatch(r"\s*([\w.]+)\s*(==|!=)\s*'([^']*)'\s*", clause)
        assert m, clause
        equal = values[m.group(1)] == m.group(3)
        result = result and (equal if m.group(2) == "==" else not equal)
    return result


def test_precommit_hook_checks_changed_conventions(tmp_path: Path) -> None:
    config = load(PRECOMMIT)
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    assert hook["entry"].endswith("python -m coop check")
    assert hook["pass_filenames"] is True and hook["language"] == "system"
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def selected(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    assert selected("conventions/lyon/fcil-maintenance-aeronautique.md")
    assert not selected("conventions/README.md")
    assert not selected("conventions/_brouillons/a.md")
    assert not selected("docs/index.md") and not selected("conventions/logos/rhm.png")
    # what the hook runs, with the file names pre-commit passes
    words = shlex.split(hook["entry"])
    assert words[1:] == ["-m", "coop", "check"]
    sample = str(SAMPLES / "lyon" / "fcil-maintenance-aeronautique.md")
    done = subprocess.run([sys.executable, *words[1:], sample], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK : 1 convention valide")


def dry_run(*args: str) -> str:
    """What `make …` would run, without running it (nor installing)."""
    make = ["make", "--no-print-directory", "-n"]  # quiet also when run under make test
    done = subprocess.run([*make, *args, "STAMP="], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_targets_call_the_one_command_line() -> None:
    text = (ROOT / "Makefile").read_text("utf-8")
    calls = {"check": "check", "expand": "expand", "echeances": "echeances", "new": "new",
             "statut": "statut", "diff": "diff", "revue": "revue", "pdf": "export --format pdf",
             "docx": "export --format docx", "site": "export --format all"}
    for target, call in calls.items():
        m = re.search(rf"^{target}: .*## (.+)\n\t(.+)$", text, re.MULTILINE)
        assert m and m.group(2).startswith(f"$(PY) -m coop {call}"), target
    assert "scripts/" not in text.replace("scripts/bench.py", "")
    assert dry_run("statut", "ID=lyon-x", "STATUT=signee", "DATE=2026-06-15").endswith(
        '-m coop statut --id "lyon-x" --statut "signee" --date "2026-06-15"')
    assert dry_run("diff", "ID=lyon-x").endswith('-m coop diff --id "lyon-x" --rev "HEAD"')
    assert dry_run("revue", "BASE=abc1234", "PUBLIER=1").endswith(
        '-m coop revue --base "abc1234" --publier')
    assert dry_run("revue").endswith("-m coop revue")
