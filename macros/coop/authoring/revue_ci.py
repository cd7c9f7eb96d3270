"""The review's problems in the formats the forges read (pure functions).

- GitLab Code Quality report, shown inline in the merge-request diff:
  https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
  (a JSON array of issues: `description`, `check_name`, `fingerprint`, `severity` among
  info, minor, major, critical, blocker, `location.path`, `location.lines.begin`).
- GitHub workflow commands, shown inline in the pull-request diff:
  https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
  (`::error file=…,line=…,col=…,title=…::message`; in the message `%`, CR and LF are
  percent-encoded, in a property also `:` and `,`), and the job summary written to
  `$GITHUB_STEP_SUMMARY` (Markdown, 1 MiB at most per step).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable

from ..errors import ERROR, Problem

SUMMARY_LIMIT = 1024 * 1024  # bytes of a step summary GitHub accepts
TRUNCATED = "\n\n… (rapport tronqué : le rapport complet est dans les artefacts du job)\n"
_LINE_REF = re.compile(r"\b(lignes?|line)\s+\d+", re.IGNORECASE)


def severity(p: Problem) -> str:
    """erreur -> major, or critical when no field of the file could be checked (a file
    that does not parse or that the catalogue skips); avertissement -> minor."""
    if p.level != ERROR:
        return "minor"
    return "major" if p.field else "critical"


def check_name(p: Problem) -> str:
    field = re.split(r"[.\[]", p.field, maxsplit=1)[0] if p.field else "fichier"
    return f"coop/{p.level}/{field}"


def fingerprint(p: Problem, occurrence: int = 1) -> str:
    """Stable across runs and line shifts: path, field and message, no line number; the
    n-th identical problem of a file gets its own fingerprint."""
    message = _LINE_REF.sub(r"\1", p.message)
    key = "\0".join([p.path, p.field, message, p.level, str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def code_quality(problems: Iterable[Problem]) -> list[dict[str, object]]:
    """One Code Quality issue per problem."""
    seen: Counter[tuple[str, str, str, str]] = Counter()
    out: list[dict[str, object]] = []
    for p in sorted(problems):
        key = (p.path, p.field, _LINE_REF.sub(r"\1", p.message), p.level)
        seen[key] += 1
        field = f"{p.field} : " if p.field else ""
        out.append({
            "description": f"{field}{p.message}",
            "check_name": check_name(p),
            "fingerprint": fingerprint(p, seen[key]),
            "severity": severity(p),
            "location": {"path": p.path, "lines": {"begin": max(p.line, 1)}},
        })
    return out


def code_quality_json(problems: Iterable[Problem]) -> str:
    return json.dumps(code_quality(problems), ensure_ascii=False, indent=2) + "\n"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(p: Problem) -> str:
    command = "error" if p.level == ERROR else "warning"
    title = f"Convention : {p.field}" if p.field else "Convention"
    props = ",".join(f"{k}={escape_property(v)}" for k, v in (
        ("file", p.path), ("line", str(max(p.line, 1))), ("col", str(max(p.col, 1))),
        ("title", title)))
    return f"::{command} {props}::{escape_data(p.message)}"


def annotations(problems: Iterable[Problem]) -> list[str]:
    return [annotation(p) for p in sorted(problems)]


def bounded(markdown: str, limit: int = SUMMARY_LIMIT) -> str:
    """`markdown` cut (at a line) to fit `limit` UTF-8 bytes, saying so."""
    data = markdown.encode("utf-8")
    if len(data) <= limit:
        return markdown
    room = limit - len(TRUNCATED.encode("utf-8"))
    cut = data[:room].decode("utf-8", "ignore")
    return cut[: cut.rfind("\n") + 1] + TRUNCATED
