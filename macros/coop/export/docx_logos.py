"""Logos of a DOCX copy: images every word processor shows, with French alt text.

pandoc stores an SVG in a DOCX without the PNG fallback Word expects when `rsvg-convert`
is absent: LibreOffice, Google Docs and older Word then show nothing. An SVG logo is
therefore rasterised to PNG, by typst (already the PDF renderer) with its embedded fonts
only: the same logo as on the PDF copy, the same bytes on every machine.

The alt text is the model's word (`libelles.exemplaire.logo`) followed by the party's
name; a model without that word gets the name alone. pandoc writes the alt text into
the picture's description (it writes the image path there when the alt text is empty).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import typst

from coop.avenants import parties_data

PPI = 300
HEIGHT = "1.6cm"  # height of the logo row (filters.lua, `logo_row`)
_fonts: typst.Fonts | None = None


def _typst_fonts() -> typst.Fonts:
    """Only the fonts embedded in typst: no system font, same pixels everywhere."""
    global _fonts
    if _fonts is None:
        _fonts = typst.Fonts(include_system_fonts=False)
    return _fonts


def svg_to_png(svg: bytes) -> bytes:
    """The SVG drawn at the logo's printed height, 300 ppi, transparent background."""
    source = (b'#set page(width: auto, height: auto, margin: 0pt, fill: none)\n'
              b'#image(bytes(sys.inputs.svg), format: "svg", height: ' + HEIGHT.encode()
              + b')\n')
    return typst.compile(source, format="png", ppi=PPI, font_paths=_typst_fonts(),
                         ignore_system_fonts=True,
                         sys_inputs={"svg": svg.decode("utf-8")})


def logo_owners(conv: object, root: Path) -> dict[Path, str]:
    """Resolved logo path -> name of the party that owns it."""
    data = parties_data(conv)
    owners: dict[Path, str] = {}
    for party in [*data.get("etablissements", []), *data.get("partenaires", [])]:
        if party.get("logo"):
            owners.setdefault((root / party["logo"]).resolve(), str(party["nom"]))
    return owners


def alt_text(labels: Mapping[str, str], name: str) -> str:
    word = labels.get("logo")
    return f"{word} {name}" if word else name


def docx_logos(paths: list[Path], owners: Mapping[Path, str], labels: Mapping[str, str],
               workdir: Path) -> list[dict[str, str]]:
    """For the Lua filter: {path, alt} per logo; an SVG is replaced by its PNG, written
    in `workdir`."""
    out = []
    folder = workdir / "docx-logos"
    for path in paths:
        image = path
        if path.suffix.lower() == ".svg":
            data = path.read_bytes()
            folder.mkdir(exist_ok=True)
            image = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.png"
            if not image.is_file():
                image.write_bytes(svg_to_png(data))
        out.append({"path": str(image),
                    "alt": alt_text(labels, owners.get(path) or path.stem)})
    return out
