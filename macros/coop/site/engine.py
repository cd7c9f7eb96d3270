"""The site engine: the thin glue that turns the generated folder into the site.

`build()` is the whole of `make site`'s site step, the same for every engine:
1. load and validate the catalogue (nothing is written when a convention has errors);
2. generate every page and file into `build/.docs.en-cours/` (`coop.site.generate`);
3. write the engine's configuration from the project's `mkdocs.yml` (docs and site
   folders made absolute, `site_url` from `COOP_SITE_URL`, the deployer's settings kept),
   as `build/.moteur-<nom>.yml`, `build/` being the engine's project folder;
4. run the engine into a hidden folder of `build/`, then the post-build steps and
   the search index over the finished pages (`coop.site.search`);
5. swap the folders: the published site is the previous one or the complete new one,
   never half of one.

Engines (`ENGINES`): `mkdocs` (MkDocs 1.6 + Material 9.8, the default) and `zensical`
(the Material team's successor, which reads `mkdocs.yml` but runs no plugin or hook —
nothing here needs one). Each is run as a subprocess of this Python.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from coop import loadcache
from coop.site import generate, legal, pagecache, publisher, search
from coop.site.docs_macros import MacroError
from coop.site.pagecache import PageCache
from coop.site.renderer import Renderer, override_dirs
from coop.site.search import SearchIndexError
from coop.site.search import index as search_index
from coop.site.state import InvalidCatalog, SiteState, load

CONFIG = "mkdocs.yml"
# The engine's project folder: its configuration, the generated pages, the new site and
# Zensical's .cache all sit inside it (Zensical wants the docs and site folders there).
WORK = "build"
DOCS_TMP = "build/.docs.en-cours"
DEFAULT_SITE = "build/site"
STAMPS = "build/.cache/sites"  # the fingerprint of each published site folder
SITE_URL_ENV = "COOP_SITE_URL"
TIME_LIMIT = 3600  # s, one engine run
# Our theme overrides (the footer partial), merged under the deployer's custom_dir.
THEME = Path(__file__).parent / "theme"


class SiteError(Exception):
    """The site cannot be built (French message); nothing was published."""


@dataclass(frozen=True)
class Engine:
    name: str
    label: str
    command: Callable[[Path, Path], list[str]]  # (config, site folder) -> argv
    adapt: Callable[[dict[str, Any]], None]  # engine-specific settings


def _mkdocs_command(config: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict",
            "--config-file", str(config), "--site-dir", str(site)]


def _zensical_command(config: Path, site: Path) -> list[str]:
    # no --site-dir: the folder is `site_dir` in the configuration written for it
    return [sys.executable, "-m", "zensical", "build", "--config-file", str(config), "--clean",
            "--strict"]


def _keep(config: dict[str, Any]) -> None:
    pass


def _zensical(config: dict[str, Any]) -> None:
    theme = config.setdefault("theme", {})
    theme.setdefault("variant", "classic")  # Material's look (Zensical's default is modern)


ENGINES = {
    "mkdocs": Engine("mkdocs", "MkDocs + Material", _mkdocs_command, _keep),
    "zensical": Engine("zensical", "Zensical", _zensical_command, _zensical),
}
DEFAULT_ENGINE = "mkdocs"


# --- configuration -------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: `!ENV VAR` or `!ENV [VAR, …, défaut]`."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = items[:-1] or items, (items[-1] if len(items) > 1 else None)
    for name in names:
        if os.environ.get(str(name)):
            return os.environ[str(name)]
    return default


_Loader.add_constructor("!ENV", _env_tag)


def read_config(root: Path) -> dict[str, Any]:
    path = root / CONFIG
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise SiteError(f"{path} : configuration du site illisible ({exc})") from None
    if not isinstance(data, dict):
        raise SiteError(f"{path} : une table de réglages est attendue")
    return data


def engine_config(base: dict[str, Any], engine: Engine, *, root: Path, docs: Path,
                  site: Path) -> dict[str, Any]:
    """The project's settings for `engine`, reading `docs` and writing `site` (paths
    relative to the engine's project folder, `build/`: Zensical wants them so)."""
    config = dict(base)
    config["docs_dir"] = docs.as_posix()
    config["site_dir"] = site.as_posix()
    config["use_directory_urls"] = True  # the generated links assume it
    config.pop("hooks", None)  # nothing of the catalogue lives in the engine
    config.pop("watch", None)
    config["plugins"] = [p for p in config.get("plugins") or []
                         if (next(iter(p)) if isinstance(p, dict) else p) != "macros"]
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    config["theme"] = theme
    if os.environ.get(SITE_URL_ENV):
        config["site_url"] = os.environ[SITE_URL_ENV]
    if not config.get("site_url"):
        config.pop("site_url", None)
    engine.adapt(config)
    return config


# --- the build -----------------------------------------------------------------------

@dataclass(frozen=True)
class Report:
    engine: str
    files: int  # generated files handed to the engine
    site: Path
    seconds: dict[str, float]  # duration of each step
    warnings: list[str]
    unchanged: bool = False  # nothing changed since the published site: it was kept


def theme_overrides(root: Path, base: dict[str, Any], out: Path) -> Path:
    """A fresh folder `out` holding our theme overrides (`THEME`) with the deployer's
    `custom_dir` copied over them: a file of theirs wins over ours."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(THEME, out)
    custom = (base.get("theme") or {}).get("custom_dir")
    if custom:
        shutil.copytree(root / custom, out, dirs_exist_ok=True)
    return out


def with_footer(base: dict[str, Any], theme: Path, footer: dict[str, object]) -> dict[str, Any]:
    """`base` with the composed theme folder and the footer's values for its partial."""
    config = dict(base)
    config["theme"] = {**(base.get("theme") or {}), "custom_dir": str(theme.resolve())}
    config["extra"] = {**(base.get("extra") or {}), "coop_pied": footer}
    return config


def build(root: Path, *, engine: str = DEFAULT_ENGINE, site: Path | None = None,
          today: date | None = None, strict: bool = True,
          post: tuple[Callable[[Path], None], ...] = ()) -> Report:
    """Validate, generate, run `engine`, run `post` steps on the new site, publish it.
    `strict` false (« coop serve »): missing publisher settings are warnings only."""
    chosen = ENGINES[engine]
    final = (site or root / DEFAULT_SITE).resolve()
    steps: dict[str, float] = {}
    started = time.perf_counter()
    base = read_config(root)
    try:
        editeur, unset = publisher.read(base, strict=strict)
        st: SiteState = load(root, today, drafts=editeur.publier_brouillons)
    except (InvalidCatalog, publisher.PublisherError, ValueError) as exc:
        raise SiteError(str(exc)) from None  # ValueError: a bad COOP_AUJOURDHUI
    steps["validation"] = time.perf_counter() - started

    t = time.perf_counter()
    docs = root / DOCS_TMP
    shutil.rmtree(docs, ignore_errors=True)
    overrides = override_dirs(root, (base.get("theme") or {}).get("custom_dir"))
    renderer = Renderer(overrides)
    cache = PageCache(root, pagecache.code_salt() + pagecache.folders_digest(overrides))
    docs_src = root / str(base.get("docs_dir", "docs"))
    try:
        written = generate.write(generate.outputs(st, renderer, docs_src,
                                                  site_url=os.environ.get(SITE_URL_ENV, ""),
                                                  publisher=editeur,
                                                  site_name=str(base.get("site_name", "")),
                                                  cache=cache),
                                 docs)
    except (generate.GenerationError, OSError) as exc:
        raise SiteError(f"génération du site impossible : {exc}") from None
    except MacroError as exc:
        raise SiteError(str(exc)) from None
    cache.prune()
    footer = legal.footer(editeur, st.today)
    del st, renderer, cache  # the catalogue's memory goes back before the engine runs
    gc.collect()
    steps["génération"] = time.perf_counter() - t

    t = time.perf_counter()
    work = root / WORK
    tmp = work / f".site-{chosen.name}.en-cours"
    shutil.rmtree(tmp, ignore_errors=True)
    config = work / f".moteur-{chosen.name}.yml"
    theme = theme_overrides(root, base, work / f".theme-{chosen.name}")
    themed = with_footer(base, theme, footer)
    settings = yaml.safe_dump(
        engine_config(themed, chosen, root=root, docs=Path(docs.name), site=Path(tmp.name)),
        allow_unicode=True, sort_keys=False)
    config.write_text(settings, "utf-8")
    stamp = Stamp(final, _fingerprint(chosen, written.digest, settings, theme, post),
                  root / STAMPS)
    if stamp.matches():  # the same pages, settings, theme and engine: the same site
        shutil.rmtree(docs, ignore_errors=True)
        shutil.rmtree(theme, ignore_errors=True)
        steps["site inchangé"] = time.perf_counter() - t
        return Report(chosen.name, written.count, final, steps, unset, unchanged=True)
    warnings = unset + _run(chosen, config, tmp, work)
    steps[chosen.label] = time.perf_counter() - t

    t = time.perf_counter()
    for step in post:
        step(tmp)
    steps["finitions"] = time.perf_counter() - t
    t = time.perf_counter()
    try:
        search_index(tmp)
    except SearchIndexError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SiteError(str(exc)) from None
    steps["recherche"] = time.perf_counter() - t
    stamp.clear()
    _publish(tmp, final)
    stamp.save()
    shutil.rmtree(docs, ignore_errors=True)
    shutil.rmtree(theme, ignore_errors=True)
    return Report(chosen.name, written.count, final, steps, warnings)


# --- the site of the same inputs is the same site ----------------------------------

# What the engine's output depends on beyond the generated pages and its configuration.
_ENGINE_DISTS = ("mkdocs", "mkdocs-material", "zensical", "pagefind", "pymdown-extensions",
                 "markdown")


def _fingerprint(engine: Engine, pages: str, settings: str, theme: Path,
                 post: tuple[Callable[[Path], None], ...]) -> str | None:
    """What the published site is a function of, or None when it cannot be told (post
    steps, whose effect is unknown, or a cache turned off)."""
    if post or os.environ.get(loadcache.ENV, "1") == "0":
        return None
    h = hashlib.sha256()
    for part in (engine.name, pages, settings, pagecache.folders_digest([theme]),
                 pagecache.code_salt(), sys.version, os.environ.get(search.BUNDLE_SIZE_ENV, ""),
                 *(f"{d}={_version(d)}" for d in _ENGINE_DISTS)):
        data = part.encode()
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


@dataclass(frozen=True)
class Stamp:
    """The fingerprint of the inputs of the published site `site`, kept in `folder` (under
    `build/`, one file per site folder): a build whose fingerprint matches keeps the site
    as it is."""

    site: Path
    fingerprint: str | None
    folder: Path

    @property
    def path(self) -> Path:
        return self.folder / hashlib.sha256(str(self.site).encode()).hexdigest()[:32]

    def matches(self) -> bool:
        try:
            return (self.fingerprint is not None and (self.site / "index.html").is_file()
                    and self.path.read_text("ascii") == self.fingerprint)
        except (OSError, UnicodeDecodeError):
            return False

    def clear(self) -> None:
        """Before the site is replaced: an interrupted swap leaves no stamp."""
        self.path.unlink(missing_ok=True)

    def save(self) -> None:
        if self.fingerprint is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(self.fingerprint, "ascii")
        os.replace(tmp, self.path)


def _run(engine: Engine, config: Path, site: Path, cwd: Path) -> list[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    try:
        done = subprocess.run(engine.command(config, site), cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        raise SiteError(f"{engine.label} : délai de {TIME_LIMIT} s dépassé") from None
    output = _ANSI.sub("", done.stdout + done.stderr).split("Traceback (most recent call", 1)[0]
    lines = [ln.rstrip() for ln in output.splitlines() if ln.strip()]
    if done.returncode != 0 or not (site / "index.html").is_file():
        shutil.rmtree(site, ignore_errors=True)
        detail = "\n".join(lines[-30:])
        raise SiteError(f"{engine.label} n’a pas construit le site (code "
                        f"{done.returncode}) :\n{detail}")
    return [ln for ln in lines if "WARNING" in ln or ln.startswith("Warning")]


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # colours, whatever NO_COLOR says


def _publish(tmp: Path, final: Path) -> None:
    """Replace the previous site by the complete new one (an interrupted build leaves only
    hidden folder, never a half site)."""
    if tmp.parent.resolve() != final.parent.resolve():  # bring it next to the final one
        staged = final.with_name(f".{final.name}.en-cours")
        shutil.rmtree(staged, ignore_errors=True)
        final.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(tmp, staged)
        tmp = staged
    old = final.with_name(f".{final.name}.ancien")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
