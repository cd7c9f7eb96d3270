"""Hostile shapes of a convention file, each under the size limit (1 MB): nesting, long
lines, many keys, many sections, pathological Markdown. Generated, not stored: each shape
is a valid sample (Lyon) with one hostile part added to its front-matter or its body.

    python tests/hostile_shapes.py DOSSIER   writes every shape and times `coop check` on it
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "conventions" / "lyon" / "fcil-maintenance-aeronautique.md"
KB = 1000


def _split() -> tuple[str, str]:
    text = BASE.read_text("utf-8")
    end = text.index("\n---\n", 4)
    return text[: end + 1], text[end + 5:]


def in_front(extra: str) -> bytes:
    """The sample with `extra` (YAML lines) at the end of its front-matter."""
    front, body = _split()
    return (front + extra.rstrip("\n") + "\n---\n" + body).encode()


def in_body(extra: str) -> bytes:
    """The sample with `extra` (Markdown) in a section of its body."""
    front, body = _split()
    return (front + "---\n" + body + "\n## Précisions : objet\n\n" + extra + "\n").encode()


def _table(rows: int, cols: int) -> str:
    head = "|" + "|".join(f" c{i} " for i in range(cols)) + "|\n"
    rule = "|" + "|".join("---" for _ in range(cols)) + "|\n"
    line = "|" + "|".join(" x " for _ in range(cols)) + "|\n"
    return head + rule + line * rows


SHAPES: dict[str, Callable[[], bytes]] = {
    # front-matter
    "yaml-flow-listes-100k": lambda: in_front("x: " + "[" * 50_000 + "]" * 50_000),
    "yaml-flow-dicts-100k": lambda: in_front("x: " + "{a: " * 20_000 + "1" + "}" * 20_000),
    "yaml-flow-non-ferme": lambda: in_front("x: " + "[{" * 40_000),
    "yaml-blocs-indentes": lambda: in_front(
        "".join(" " * (2 * i) + "a:\n" for i in range(900)) + " " * 1800 + "a: 1"),
    "yaml-tirets-une-ligne": lambda: in_front("x:\n  " + "- " * 50_000 + "a"),
    "yaml-50000-cles": lambda: in_front("".join(f"k{i}: v\n" for i in range(50_000))),
    "yaml-100000-elements": lambda: in_front("x:\n" + "  - v\n" * 100_000),
    "yaml-ligne-900k": lambda: in_front("x: " + "a" * 900_000),
    "yaml-cle-900k": lambda: in_front("a" * 900_000 + ": 1"),
    "yaml-guillemets-echappes": lambda: in_front('x: "' + "\\u00e9" * 150_000 + '"'),
    "yaml-20000-etiquettes": lambda: in_front("".join(f"k{i}: !x v\n" for i in range(20_000))),
    "yaml-20000-ancres": lambda: in_front("".join(f"k{i}: &a{i} v\n" for i in range(20_000))),
    "yaml-commentaires": lambda: in_front("# commentaire\n" * 60_000),
    # front-matter under its size limits (200 KB, 3 000 lines of 10 000 characters)
    "yaml-flow-listes-lignes": lambda: in_front("x: " + ("[" * 79 + "\n") * 1_200),
    "yaml-flow-dicts-ligne": lambda: in_front("x: " + "{a: " * 2_400),
    "yaml-flow-melange": lambda: in_front("x: " + "[{a: " * 1_900 + "1" + "}]" * 1_900),
    "yaml-tirets-ligne": lambda: in_front("x:\n  " + "- " * 4_900 + "a"),
    "yaml-indentation-1": lambda: in_front("".join(" " * i + f"a{i}:\n" for i in range(590))),
    "yaml-2500-cles": lambda: in_front("".join(f"k{i}: v\n" for i in range(2_500))),
    "yaml-1900-cles": lambda: in_front("".join(f"k{i}: v\n" for i in range(1_900))),
    "yaml-1900-elements": lambda: in_front("x:\n" + "  - v\n" * 1_900),
    "yaml-flow-4000-elements": lambda: in_front("x: [" + "a," * 4_000 + "a]"),
    "yaml-1500-etiquettes": lambda: in_front("".join(f"k{i}: !x v\n" for i in range(1_500))),
    "yaml-1500-ancres": lambda: in_front("".join(f"k{i}: &a{i} v\n" for i in range(1_500))),
    "yaml-guillemet-ouvert": lambda: in_front('x: "' + "a\n" * 2_900),
    "yaml-2900-commentaires": lambda: in_front("# commentaire\n" * 2_900),
    # body
    "md-ligne-900k": lambda: in_body("mot " * 225_000),
    "md-20000-sections": lambda: in_body(
        "".join(f"## Précisions : objet\n\ntexte {i}\n\n" for i in range(20_000))),
    "md-listes-indentees": lambda: in_body(
        "".join(" " * (2 * i) + "- a\n" for i in range(900))),
    "md-listes-une-ligne": lambda: in_body("- " * 400_000 + "a"),
    "md-citations-collees": lambda: in_body(">" * 900_000 + " a"),
    "md-citations-250": lambda: in_body((">" * 250 + " a\n") * 3_000),
    "md-citations-lignes": lambda: in_body("".join(">" * i + " a\n" for i in range(1, 1300))),
    "md-emphases-alternees": lambda: in_body("*a _b " * 150_000),
    "md-emphases-paragraphe": lambda: in_body("*a _b " * 600),
    "md-emphases-19000": lambda: in_body(("*a _b " * 240 + "\n\n") * 39),
    "md-crochets-4900": lambda: in_body(("[" * 50 + "\n\n") * 98),
    "md-emphases-lignes": lambda: in_body(("*" * 21 + " a\n") * 40_000),
    "md-crochets": lambda: in_body("[a](b) [" * 100_000),
    "md-crochets-paragraphes": lambda: in_body(("[" * 150 + "\n\n") * 6_000),
    "md-accents-graves": lambda: in_body("`" * 900_000),
    "md-accents-graves-croissants": lambda: in_body(
        " ".join("`" * i for i in range(1, 1300))),
    "md-accents-graves-20": lambda: in_body(" ".join("`" * (i % 20 + 1) for i in range(60_000))),
    "md-clotures": lambda: in_body("```\n" * 200_000),
    "md-50000-renvois": lambda: in_body("[[article:duree]] " * 50_000),
    "md-tableau-large": lambda: in_body(_table(300, 300)),
    "md-tableau-4900-cellules": lambda: in_body(_table(95, 50)),
    "md-tableau-long": lambda: in_body(_table(40_000, 4)),
    "md-liens-references": lambda: in_body(
        "".join(f"[r{i}]: https://e.fr/{i}\n" for i in range(30_000))),
    "md-notes": lambda: in_body("".join(f"a[^{i}] " for i in range(30_000)) + "\n\n"
                                + "".join(f"[^{i}]: n\n" for i in range(30_000))),
    "md-lignes-vides": lambda: in_body("\n" * 900_000),
    "md-titres-profonds": lambda: in_body("### a\n" * 150_000),
    # body under its limits (20 000 lines, 500 sections)
    "md-600-sections": lambda: in_body(
        "".join(f"## Précisions : objet\n\ntexte {i}\n\n" for i in range(600))),
    "md-480-sections": lambda: in_body(
        "".join(f"## Précisions : objet\n\ntexte {i}\n\n" for i in range(480))),
    "md-19000-lignes": lambda: in_body("texte\n\n" * 9_500),
    "md-tableau-19000-lignes": lambda: in_body(_table(19_000, 4)),
    "md-listes-2-espaces": lambda: in_body("".join(" " * (2 * i) + "- a\n" for i in range(40))),
    "md-listes-20-niveaux": lambda: in_body("".join(" " * (2 * i) + "- a\n" for i in range(20))),
    "md-marqueurs-20": lambda: in_body("> " * 10 + "- " * 10 + "a"),
    "md-mot-200000": lambda: in_body("x" * 200_000),
    "md-entites-collees-300": lambda: in_body(("&amp;" * 60 + " ") * 2_900),
    "md-emphases-19000-lignes": lambda: in_body(("*" * 20 + " a\n") * 19_000),
    "md-entites": lambda: in_body("&amp;" * 180_000),
    "md-html-imbrique": lambda: in_body("<div>" * 150_000),
}


def write(folder: Path, name: str) -> Path:
    """`folder/conventions/<name>.md` (the logos copied once); returns the file."""
    (folder / "conventions").mkdir(parents=True, exist_ok=True)
    logos = folder / "conventions" / "logos"
    if not logos.exists():
        shutil.copytree(ROOT / "conventions" / "logos", logos)
    path = folder / "conventions" / f"{name}.md"
    data = SHAPES[name]()
    assert len(data) <= 1_000_000, (name, len(data))
    path.write_bytes(data)
    return path


def main(folder: Path, timeout: float = 20, prefix: str = "") -> None:
    for name in [n for n in SHAPES if n.startswith(prefix)]:
        path = write(folder, name)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-m", "coop", "check", str(path),
                                   "--racine", str(folder)], capture_output=True, text=True,
                                  check=False, timeout=timeout)
        except subprocess.TimeoutExpired:
            print(f"{name:32} > {timeout:.0f} s (arrêté)", flush=True)
            continue
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        print(f"{name:32} cpu {cpu:6.2f} s  mur {time.perf_counter() - wall:6.2f} s  "
              f"code {proc.returncode}  {len(lines)} lignes  {lines[0][:100] if lines else ''}",
              flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), prefix=sys.argv[2] if len(sys.argv) > 2 else "")
