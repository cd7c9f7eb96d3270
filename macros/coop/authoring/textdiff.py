"""What changed in the agreement text, article by article: the legal effect of a change,
not a diff of YAML. Works on two expansions (`coop.expand.expand`) of one convention."""

from __future__ import annotations

import difflib
import re
import textwrap
from dataclasses import dataclass

from ..expand import Expansion

_ANCHORED = re.compile(r"^(#{1,3})\s+(.*?)\s*\{#([A-Za-z0-9_-]+)[^}]*\}\s*$")
WRAP = 88


@dataclass(frozen=True)
class Block:
    key: str  # anchor of the heading: art-duree, preambule, signatures… ("debut" first)
    label: str  # heading as printed, without its number for articles
    number: int | None  # article number, None for other blocks
    text: str  # the block's text, without its heading

    @property
    def title(self) -> str:
        return f"Article {self.number} – {self.label}" if self.number else self.label


def _wrap(text: str) -> str:
    """Long paragraphs cut at WRAP columns so that a diff shows the sentence that changed."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= WRAP or line.lstrip().startswith(("|", "#", "```")):
            out.append(line)
            continue
        m = re.match(r"^(\s*(?:[-*+]|\d+\.)\s+|\s*)", line)
        lead = m.group(1) if m else ""
        out.extend(textwrap.wrap(line, width=WRAP, subsequent_indent=" " * len(lead),
                                 break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


def blocks(expansion: Expansion) -> list[Block]:
    """The agreement cut at its anchored headings (title and parties, preamble, parts,
    articles, signatures); the closing « Fait à … » goes with the signatures."""
    numbers = {f"art-{a.key}": a for a in expansion.articles}
    found: list[tuple[str, str, list[str]]] = [("debut", "Titre et parties", [])]
    for line in expansion.markdown.split("\n"):
        if m := _ANCHORED.match(line):
            key = m.group(3)
            label = numbers[key].title if key in numbers else m.group(2)
            found.append((key, label, []))
        else:
            found[-1][2].append(line)
    texts = ["\n".join(lines).strip("\n") for _, _, lines in found]
    keys = [k for k, _, _ in found]
    if "signatures" in keys and (i := keys.index("signatures")) > 0:
        before = texts[i - 1].split("\n\n")
        if before and before[-1].lstrip().startswith("Fait à"):
            texts[i] = before[-1] + "\n\n" + texts[i]
            texts[i - 1] = "\n\n".join(before[:-1]).rstrip("\n")
    return [Block(k, label, numbers[k].number if k in numbers else None, _wrap(text))
            for (k, label, _), text in zip(found, texts, strict=True)]


def diff_expansions(old: Expansion | None, new: Expansion | None, old_name: str,
                    new_name: str) -> tuple[str, int]:
    """(report, number of blocks changed). None stands for « no such version »."""
    before = {b.key: b for b in blocks(old)} if old else {}
    after = {b.key: b for b in blocks(new)} if new else {}
    order = list(after) + [k for k in before if k not in after]
    out: list[str] = []
    changed = 0
    renumbered: list[str] = []
    for key in order:
        a, b = before.get(key), after.get(key)
        if a and b and a.number and b.number and a.number != b.number:
            renumbered.append(f"l’article {a.number} « {b.label} » devient l’article "
                              f"{b.number}")
        if a and b and (a.text, a.label) == (b.text, b.label):
            continue
        changed += 1
        if a is None and b is not None:
            out.append(f"## {b.title} — ajouté")
            out.append("\n".join("+" + line for line in b.text.split("\n")))
        elif b is None and a is not None:
            out.append(f"## {a.title} — supprimé")
            out.append("\n".join("-" + line for line in a.text.split("\n")))
        elif a is not None and b is not None:
            heading = f"## {b.title} — modifié"
            if a.label != b.label:
                heading += f" (titre : « {a.label} » → « {b.label} »)"
            out.append(heading)
            lines = difflib.unified_diff(
                f"{a.text}\n".splitlines(keepends=True), f"{b.text}\n".splitlines(keepends=True),
                fromfile=old_name, tofile=new_name, n=2)
            out.append("".join(lines).rstrip("\n"))
    if renumbered:
        out.append("## Numérotation\n" + "\n".join(f"- {r}" for r in renumbered))
    return "\n\n".join(out), changed
