"""The avenants on the site: the block of the parent's page, the page of one avenant and
the consolidated text of a convention (as amended by its signed avenants).

Every value is escaped here; agreement texts come sanitised from `sanitize`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from coop.avenants import Avenant
from coop.convention import Convention

from .labels import AVENANT_STATUTS, format_date, label
from .page import Download, downloads_block, source_block, split_h1
from .page import esc as _e
from .page import row as _row

Rel = Callable[[str], str]  # site path -> URL relative to the current page


def avenant_uri(av: Avenant) -> str:
    """Source path of the generated page of an avenant, relative to docs_dir."""
    return f"conventions/{av.parent_id}/avenant-{av.numero}.md"


def consolidated_uri(conv_id: str) -> str:
    return f"conventions/{conv_id}/consolide.md"


def badge(av: Avenant) -> str:
    return (f'<span class="coop-badge coop-badge--{_e(av.statut)}">'
            f"{_e(label(AVENANT_STATUTS, av.statut))}</span>")


def numbers(avenants: Sequence[Avenant]) -> str:
    """« n° 1 », « n° 1 et 2 », « n° 1, 2 et 3 »."""
    nums = [str(a.numero) for a in avenants]
    text = nums[0] if len(nums) == 1 else f"{', '.join(nums[:-1])} et {nums[-1]}"
    return f"n°\u00a0{text}"


def _downloads_inline(downloads: Sequence[Download]) -> str:
    if not downloads:
        return '<span class="coop-muted">—</span>'
    return " · ".join(f'<a href="{_e(d.href)}" download>{_e(d.label)}</a>' for d in downloads)


def parent_block(avenants: Sequence[Avenant], avenant_href: Callable[[Avenant], str],
                 downloads: Callable[[Avenant], Sequence[Download]],
                 consolidated_href: str) -> str:
    """The « Avenants » section of a convention page (nothing when it has none);
    `consolidated_href` is empty when no avenant is signed."""
    if not avenants:
        return ""
    rows = "".join(
        "<tr>"
        f'<th scope="row"><a href="{_e(avenant_href(a))}">{_e(a.label)}</a></th>'
        f"<td>{_e(a.titre)}</td><td>{badge(a)}</td>"
        f'<td class="coop-date"><time datetime="{a.data["date_effet"].isoformat()}">'
        f'{_e(format_date(a.data["date_effet"]))}</time></td>'
        f"<td>{_downloads_inline(downloads(a))}</td></tr>"
        for a in avenants)
    signed = [a for a in avenants if a.statut == "signee"]
    consolidated = ""
    if consolidated_href and signed:
        consolidated = (
            '<p class="coop-consolide-lien">'
            f'<a class="md-button md-button--primary" href="{_e(consolidated_href)}">'
            "Lire le texte consolidé</a> "
            f'<span class="coop-muted">(la convention telle que modifiée par '
            f"{'l’avenant' if len(signed) == 1 else 'les avenants'} {_e(numbers(signed))}). "
            "La fiche ci-dessus en tient compte ; le texte ci-dessous est celui de la "
            "convention signée.</span></p>")
    return (
        '<section class="coop-avenants" aria-labelledby="avenants">'
        '<h2 id="avenants">Avenants</h2>'
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        '<table class="coop-avenants__table"><thead><tr>'
        '<th scope="col">Avenant</th><th scope="col">Titre</th><th scope="col">Statut</th>'
        '<th scope="col">Date d’effet</th><th scope="col">Exemplaires</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></div></div>"
        f"{consolidated}</section>")


def _signature(av: Avenant) -> str:
    sig = av.data.get("signature") or {}
    lieu, d = sig.get("lieu", ""), sig.get("date")
    if d:
        return _e(f"Signé à {lieu} le {format_date(d)}")
    return _e(f"Non signé — lieu prévu : {lieu}") if lieu else _e("Non signé")


def avenant_page_html(av: Avenant, parent: Convention, body_html: str,
                      downloads: Sequence[Download], rel: Rel, parent_uri: str,
                      consolidated: str = "") -> str:
    """The page of one avenant: summary card, full text (sanitised `body_html`), source.
    `parent_uri`, `consolidated`: site paths of the parent's page and of its consolidated
    text (left out when empty)."""
    h1, text = split_h1(body_html)
    sig = av.data.get("signature") or {}
    signataires = [f"{_e(s['nom'])}, {_e(s['fonction'])} "
                   f'<span class="coop-muted">(pour {_e(s["partie"])})</span>'
                   for s in sig.get("signataires", [])]
    cons = (f' — <a href="{_e(rel(consolidated))}">texte consolidé</a>'
            if consolidated and av.statut == "signee" else "")
    rows = [
        _row("Convention modifiée",
             f'<a href="{_e(rel(parent_uri))}">{_e(parent.titre)}</a>{cons}'),
        _row("Objet", _e(_cap(str(av.data.get("objet", ""))))),
        _row("Date d’effet", _e(format_date(av.data["date_effet"]))),
        _row("Statut", badge(av)),
        _row("Signature", _signature(av)),
        _row("Signataires", *signataires),
    ]
    return (
        f"{h1}"
        '<section class="coop-fiche" aria-labelledby="coop-fiche-titre">'
        '<div class="coop-fiche__entete">'
        f'<h2 class="coop-fiche__titre" id="coop-fiche-titre">{_e(av.label)} — '
        f"{_e(av.titre)}</h2>"
        f'<p class="coop-badges"><span class="coop-badge coop-badge--avenant">Avenant</span> '
        f"{badge(av)}</p></div>"
        f'<dl class="coop-fiche__champs">{"".join(rows)}</dl>'
        f"{downloads_block(downloads)}</section>"
        f'<div class="coop-texte">{text}</div>'
        f"{source_block(av)}")


_MARK = re.compile(r"\s*<p><em>Article modifié par l’[^<]*</em></p>")


def consolidated_page_html(conv: Convention, applied: Sequence[Avenant],
                           changed_by: dict[str, list[Avenant]], body_html: str, rel: Rel,
                           parent_uri: str, avenant_uri_of: Callable[[Avenant], str]) -> str:
    """The consolidated text: a banner (what it is, links to the signed texts), then the
    text with each changed article's mark linked to the avenant(s) that changed it."""
    h1, text = split_h1(body_html)

    def link(a: Avenant) -> str:
        return (f'<a href="{_e(rel(avenant_uri_of(a)))}">avenant n°\u00a0{a.numero}</a> '
                f'du {_e(format_date(a.data["date_effet"]))}')

    for key, avs in changed_by.items():
        heading = re.search(rf'<h3 id="art-{re.escape(key)}"[^>]*>.*?</h3>', text, re.S)
        if heading is None:
            continue
        mark = _MARK.match(text, heading.end())
        links = " et ".join(link(a) for a in avs)
        html = (f'<p class="coop-modifie"><em>Article modifié par l’{links}.</em></p>')
        end = mark.end() if mark else heading.end()
        text = f"{text[:heading.end()]}{html}{text[end:]}"

    if len(applied) == 1:
        which = f"l’{link(applied[0])}"
    else:
        items = [f'<a href="{_e(rel(avenant_uri_of(a)))}">n°\u00a0{a.numero}</a> du '
                 f'{_e(format_date(a.data["date_effet"]))}' for a in applied]
        which = f"les avenants {', '.join(items[:-1])} et {items[-1]}"
    banner = (
        '<div class="admonition info coop-consolide" role="note">'
        '<p class="admonition-title">Texte consolidé</p>'
        f"<p>Texte de la convention « {_e(conv.titre)} » tel que modifié par {which}. "
        "Chaque article modifié est signalé sous son titre.</p>"
        "<p>Ce texte est établi pour faciliter la lecture : seuls font foi "
        f'<a href="{_e(rel(parent_uri))}">la convention signée</a> et ses avenants.</p>'
        "</div>")
    return f'{h1}{banner}<div class="coop-texte coop-texte--consolide">{text}</div>'


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
