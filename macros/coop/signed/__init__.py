"""The signed copy comes back: verified (pyHanko), proved to be the catalogue's text,
stored next to the convention and recorded in its front-matter; a signed text is frozen.

`verify` reads the signatures, `proof` compares the signed text with the catalogue's copy,
`fingerprint` is the pure digest of what was agreed, `record` edits the front-matter,
`frozen` is what `coop check` says about signed conventions afterwards.
"""

from __future__ import annotations

SIGNED_DIR = "signees"  # next to the convention file: <folder>/signees/<id>.pdf
MAX_BYTES = 20_000_000  # refused above: not a signature copy of an agreement
HEAVY_BYTES = 2_000_000  # a warning above: every byte stays in git’s history

# front-matter fields written by `coop signee` / `coop statut`
COPY_FIELD = "exemplaire_signe"
FINGERPRINT_FIELD = "empreinte_signee"

# verification results, as recorded and as published
IDENTICAL = "identique"  # the first revision is the catalogue's copy, byte for byte
SAME_TEXT = "texte_conforme"  # rewritten by the platform, same extracted text
SCANNED = "copie_numerisee"  # paper scan: nothing could be checked
TRUSTED = "reconnu"
UNTRUSTED = "non_reconnu"


class SignedCopyError(Exception):
    """A refused signed copy; the message is French and says what to do."""
