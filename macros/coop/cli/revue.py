"""`coop revue`: the review report of a change (merge / pull request) in the reviewers'
words — Markdown, HTML and GitLab Code Quality under build/revue/, GitHub annotations
and job summary when run in GitHub Actions, the MR note / PR comment with `--publier`
(over `coop.authoring.revue*`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from ..authoring import AuthoringError
from ..authoring.revue import Review, review
from ..authoring.revue_ci import annotations, bounded, code_quality_json
from ..authoring.revue_git import Base, chosen_base, states, subject
from ..authoring.revue_publish import PublishError, Send, target, upsert, urllib_send
from ..authoring.revue_render import report_html, report_md, summary_md, tally
from .options import Subcommands, add_command, add_today, fail, root, today

OUT = Path("build") / "revue"
FILES = ("revue.md", "revue.html", "code-quality.json")


def base_note(base: Base, root_dir: Path) -> str:
    title = subject(root_dir, base.commit)
    if len(title) > 80:
        title = title[:79].rsplit(" ", 1)[0] + " …"
    return f"Base : {base.how}, commit {base.short}" + (f" « {title} »." if title else ".")


def write(rev: Review, note: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in zip(FILES, (report_md(rev, note), report_html(rev, note),
                                  code_quality_json(rev.problems)), strict=True):
        tmp = out / f".{name}.tmp"
        tmp.write_text(text, "utf-8")
        tmp.replace(out / name)


def github_outputs(rev: Review, note: str, env: Mapping[str, str]) -> None:
    """Annotations on stdout and the job summary, when running in GitHub Actions."""
    if env.get("GITHUB_ACTIONS") == "true":
        for line in annotations(rev.problems):
            print(line)
    if summary := env.get("GITHUB_STEP_SUMMARY"):
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(bounded(report_md(rev, note)))


def publish(rev: Review, note: str, env: Mapping[str, str], send: Send) -> int:
    t = target(env)
    if t is None:
        print("Commentaire non publié : pas de jeton ni de demande de fusion (ou demande "
              "venue d’un fork).")
        return 0
    try:
        done = upsert(t, summary_md(rev, note), send)
    except PublishError as exc:
        return fail(str(exc))
    print(f"Commentaire de revue {done} sur {t.forge}.")
    return 0


def run(args: argparse.Namespace, env: Mapping[str, str] | None = None,
        send: Send = urllib_send) -> int:
    env = os.environ if env is None else env
    day = today(args)
    here = root(args)
    try:
        base = chosen_base(here, args.base)
        old, new = states(here, base)
    except AuthoringError as exc:
        return fail(str(exc))
    note = base_note(base, here)
    rev = review(old, new, day)
    out = args.sortie if args.sortie.is_absolute() else here / args.sortie
    write(rev, note, out)
    print(note, file=sys.stderr)
    github_outputs(rev, note, env)
    print(f"Revue écrite dans {out} ({', '.join(FILES)}) : {tally(rev)}")
    return publish(rev, note, env, send) if args.publier else 0


def register(sub: Subcommands) -> None:
    p = add_command(sub, "revue", "rapport de relecture d’une demande de fusion", run,
                    description="Compare le catalogue entre une révision git (défaut : la base "
                    "de fusion avec main) et la copie de travail : conventions et avenants "
                    "ajoutés, modifiés, supprimés, texte article par article, en-tête, "
                    "échéances, écarts au modèle, erreurs. Écrit revue.md, revue.html et "
                    "code-quality.json dans build/revue/.")
    p.add_argument("--base", metavar="RÉVISION",
                   help="révision git de référence (défaut : base de fusion de HEAD avec "
                   "origin/main, sinon main, sinon HEAD~1)")
    p.add_argument("--sortie", type=Path, default=OUT, metavar="DOSSIER",
                   help="dossier des rapports (défaut : build/revue)")
    p.add_argument("--publier", action="store_true",
                   help="publie le résumé en commentaire de la demande de fusion (GitLab : "
                   "variable COOP_REVUE_TOKEN ; GitHub : GITHUB_TOKEN)")
    add_today(p, argparse.SUPPRESS)
