"""Post or update the one merge-request note (GitLab) or pull-request comment (GitHub)
that carries the review's summary (side effects, at the edge). The HTTP layer is a
parameter (`Send`): the tests give a fake one; nothing here runs without a token.

- GitLab notes API (list, create, modify a merge-request note, `PRIVATE-TOKEN` header):
  https://docs.gitlab.com/api/notes/#merge-requests
  Only when the CI variable COOP_REVUE_TOKEN is set (a project access token with the
  `api` scope, Reporter role): a merge request from a fork never gets it.
- GitHub issue comments API (a pull request is an issue for its comments):
  https://docs.github.com/en/rest/issues/comments
  With the workflow's GITHUB_TOKEN (`pull-requests: write` on the review job only);
  skipped for a pull request from a fork (its token is read-only, and it gets no secret).

The note is found again by a hidden marker (`revue_render.MARKER`), then updated.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .revue_render import MARKER

TOKEN_VAR = "COOP_REVUE_TOKEN"
NOTE_LIMIT = 60_000  # characters: under GitHub's 65 536 for a comment (GitLab allows more)
MAX_PAGES = 20


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any] | None = None


@dataclass(frozen=True)
class Response:
    status: int
    data: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Send = Callable[[Request], Response]


def urllib_send(req: Request, timeout: float = 30) -> Response:
    """The real HTTP layer (standard library only)."""
    data = json.dumps(req.body).encode("utf-8") if req.body is not None else None
    headers = {**req.headers, **({"Content-Type": "application/json"} if data else {})}
    r = urllib.request.Request(req.url, data=data, method=req.method, headers=headers)
    try:
        with urllib.request.urlopen(r, timeout=timeout) as resp:
            raw = resp.read()
            return Response(resp.status, json.loads(raw) if raw else None, dict(resp.headers))
    except urllib.error.HTTPError as exc:
        return Response(exc.code, None, dict(exc.headers or {}))
    except (urllib.error.URLError, OSError, ValueError):  # no network, bad URL, not JSON
        return Response(0)


@dataclass(frozen=True)
class Target:
    """Where the note lives: its collection URL, how to address one, the auth headers."""

    forge: str  # "GitLab" | "GitHub"
    collection: str  # GET (list) and POST (create)
    item: str  # format with {id}: PUT / PATCH one
    update_method: str
    headers: dict[str, str]


class PublishError(Exception):
    """The forge refused (the message is in French)."""


def gitlab_target(env: Mapping[str, str]) -> Target | None:
    """From GitLab CI's predefined variables; None without a token or outside an MR."""
    token = env.get(TOKEN_VAR, "")
    api, project, mr = (env.get(k, "") for k in ("CI_API_V4_URL", "CI_PROJECT_ID",
                                                  "CI_MERGE_REQUEST_IID"))
    if not (token and api and project and mr):
        return None
    base = f"{api.rstrip('/')}/projects/{urllib.parse.quote(project, safe='')}" \
           f"/merge_requests/{mr}/notes"
    return Target("GitLab", base, base + "/{id}", "PUT", {"PRIVATE-TOKEN": token})


def github_target(env: Mapping[str, str]) -> Target | None:
    """From GitHub Actions' variables and event; None without a token, outside a pull
    request, or for a pull request from a fork."""
    token, repo = env.get("GITHUB_TOKEN", ""), env.get("GITHUB_REPOSITORY", "")
    api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    event_path = env.get("GITHUB_EVENT_PATH", "")
    if not (token and repo and event_path and Path(event_path).is_file()):
        return None
    event = json.loads(Path(event_path).read_text("utf-8"))
    pr = event.get("pull_request") or {}
    head_repo = ((pr.get("head") or {}).get("repo") or {}).get("full_name")
    if not pr.get("number") or head_repo != repo:
        return None
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
               "X-GitHub-Api-Version": "2022-11-28"}
    return Target("GitHub", f"{api}/repos/{repo}/issues/{pr['number']}/comments",
                  f"{api}/repos/{repo}/issues/comments/{{id}}", "PATCH", headers)


def target(env: Mapping[str, str]) -> Target | None:
    if env.get("GITLAB_CI") == "true":
        return gitlab_target(env)
    if env.get("GITHUB_ACTIONS") == "true":
        return github_target(env)
    return None


def _existing(t: Target, send: Send) -> Any | None:
    """The id of the note carrying the marker, if one exists."""
    for page in range(1, MAX_PAGES + 1):
        r = send(Request("GET", f"{t.collection}?per_page=100&page={page}", t.headers))
        if r.status != 200 or not isinstance(r.data, list):
            raise PublishError(f"{t.forge} : lecture des commentaires impossible ({_status(r)})")
        for note in r.data:
            if MARKER in str(note.get("body", "")):
                return note["id"]
        if len(r.data) < 100:
            return None
    return None


def upsert(t: Target, body: str, send: Send) -> str:
    """Create or update the one note; « créé » or « mis à jour »."""
    if MARKER not in body:
        body = f"{MARKER}\n{body}"
    if len(body) > NOTE_LIMIT:
        body = body[:NOTE_LIMIT].rsplit("\n", 1)[0] + (
            "\n\n… (résumé tronqué : le rapport complet est dans les artefacts du job)")
    note = _existing(t, send)
    if note is None:
        r = send(Request("POST", t.collection, t.headers, {"body": body}))
        done = "créé"
    else:
        r = send(Request(t.update_method, t.item.format(id=note), t.headers, {"body": body}))
        done = "mis à jour"
    if r.status not in (200, 201):
        raise PublishError(f"{t.forge} : commentaire refusé ({_status(r)})")
    return done


def _status(r: Response) -> str:
    if r.status == 0:
        return "forge injoignable"
    hint = " : vérifiez le jeton et ses droits" if r.status in (401, 403, 404) else ""
    return f"HTTP {r.status}{hint}"
