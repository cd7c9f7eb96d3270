import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coop.typography import NBSP, NNBSP, nbsp, nnbsp, plain, typographie

NB, NN = "\u00a0", "\u202f"
SPACES = " \t\u00a0\u202f\u2009"


def t(md: str) -> str:
    return typographie(md)


def test_constants() -> None:
    assert nbsp == NBSP == NB and nnbsp == NNBSP == NN


# --- ; ! ? -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("md", "expected"), [
    ("Oui; non", f"Oui{NN}; non"),
    ("Oui ; non", f"Oui{NN}; non"),
    (f"Oui{NB}; non", f"Oui{NN}; non"),
    ("Oui  \t; non", f"Oui{NN}; non"),
    ("Quoi?", f"Quoi{NN}?"),
    ("Bravo !", f"Bravo{NN}!"),
    ("Quoi?!", f"Quoi{NN}?!"),        # a run of ?!; is one unit
    ("Quoi ?! Non", f"Quoi{NN}?! Non"),
    ("Vraiment ??? Oui", f"Vraiment{NN}??? Oui"),
    ("« Quoi? »", f"«{NN}Quoi{NN}?{NN}»"),
    ("(vraiment?)", f"(vraiment{NN}?)"),
    ("(voir)?", f"(voir){NN}?"),      # after a closing bracket
    ("**Attention**!", f"**Attention**{NN}!"),
    ("a;b", "a;b"),                   # attached on both sides: left alone
    ("index?x=1", "index?x=1"),
    ("(?) et [!]", "(?) et [!]"),     # nothing word-like before
    ("; début", "; début"),           # line start
])
def test_semicolon_exclamation_question(md: str, expected: str) -> None:
    assert t(md) == expected


def test_image_bang_is_not_punctuation() -> None:
    assert t("Voir ![logo](a.png) et voir![b](b.png)") == "Voir ![logo](a.png) et voir![b](b.png)"
    assert t("Quoi?![b](b.png)") == f"Quoi{NN}?![b](b.png)"


# --- : -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("md", "expected"), [
    ("Note: voir", f"Note{NB}: voir"),
    ("Note : voir", f"Note{NB}: voir"),
    (f"Note{NN}: voir", f"Note{NB}: voir"),
    ("Objet:", f"Objet{NB}:"),
    ("**Objet**: voir", f"**Objet**{NB}: voir"),
    ("**Objet:** voir", f"**Objet{NB}:** voir"),
    ("(annexe 2): voir", f"(annexe 2){NB}: voir"),
    ("« Note »: voir", f"«{NN}Note{NN}»{NB}: voir"),
    ("à 14:30 précises", "à 14:30 précises"),   # between digits
    ("std::vector et a:b", "std::vector et a:b"),  # followed by a word character
    ("C:/dossier", "C:/dossier"),
    (": définition", ": définition"),            # line start (definition list)
    ("terme\n: définition", "terme\n: définition"),
    ("Durée : 3 mois", f"Durée{NB}: 3{NB}mois"),
])
def test_colon(md: str, expected: str) -> None:
    assert t(md) == expected


# --- « » ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("md", "expected"), [
    ("«Bien»", f"«{NN}Bien{NN}»"),
    ("« Bien »", f"«{NN}Bien{NN}»"),
    (f"«  Bien{NB}»", f"«{NN}Bien{NN}»"),
    ("«`code`»", f"«{NN}`code`{NN}»"),
    ("«\nBien\n»", "«\nBien\n»"),  # line breaks stay
])
def test_guillemets(md: str, expected: str) -> None:
    assert t(md) == expected


# --- , . ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("md", "expected"), [
    ("mot , et", "mot, et"),
    ("fin .", "fin."),
    ("fin  .\nSuite", "fin.\nSuite"),
    ("Il hésita ... puis", "Il hésita... puis"),
    ("(voir) .", "(voir)."),
    ("fichier .env et 3 ,5", "fichier .env et 3 ,5"),  # followed by a word character
    ("[...] et ( ...)", "[...] et ( ...)"),
    ("mot,et mot.Fin", "mot,et mot.Fin"),  # never adds a space
    ("1. premier\n2. second", "1. premier\n2. second"),
    ("1 . pas une liste", "1 . pas une liste"),  # no new list marker
])
def test_comma_and_period(md: str, expected: str) -> None:
    assert t(md) == expected


# --- numbers and units ------------------------------------------------------------------------

@pytest.mark.parametrize("unit", [
    "mois", "semaine", "semaines", "jour", "jours", "an", "ans", "année", "années", "heure",
    "heures", "h", "%", "€", "exemplaire", "exemplaires", "élève", "élèves", "apprenant",
    "apprenants", "km", "m", "kg", "place", "places", "euro", "euros"])
def test_number_unit(unit: str) -> None:
    assert t(f"soit 12 {unit}, voilà") == f"soit 12{NB}{unit}, voilà"


@pytest.mark.parametrize(("md", "expected"), [
    ("5%", f"5{NB}%"),
    ("20€ HT", f"20{NB}€ HT"),
    ("10h30 et 10h", "10h30 et 10h"),       # letters attached to a number stay
    ("12 h 30", f"12{NB}h 30"),
    ("3 mangues et 2 ansible", "3 mangues et 2 ansible"),
    ("1 500 euros", f"1 500{NB}euros"),     # thousands are left alone
    ("1500 élèves", f"1500{NB}élèves"),
])
def test_number_unit_cases(md: str, expected: str) -> None:
    assert t(md) == expected


@pytest.mark.parametrize(("md", "expected"), [
    ("n° 12", f"n°{NB}12"),
    ("N°12", f"N°{NB}12"),
    (f"n°{NN}12", f"n°{NB}12"),
    ("20°C et 20° C", "20°C et 20° C"),
])
def test_numero(md: str, expected: str) -> None:
    assert t(md) == expected


@pytest.mark.parametrize(("md", "expected"), [
    ("article 3", f"article{NB}3"),
    ("Article 12 :", f"Article{NB}12{NB}:"),
    ("l’article 4 et les articles 5 et 6", f"l’article{NB}4 et les articles{NB}5 et 6"),
    ("particle 3 et article trois", "particle 3 et article trois"),
])
def test_article(md: str, expected: str) -> None:
    assert t(md) == expected


@pytest.mark.parametrize(("md", "expected"), [
    ("M. Dupont", f"M.{NB}Dupont"),
    ("Mme Durand", f"Mme{NB}Durand"),
    ("Mlle Éléonore", f"Mlle{NB}Éléonore"),
    ("Madame la Rectrice", "Madame la Rectrice"),  # not before a capitalised name
    ("Monsieur Martin", f"Monsieur{NB}Martin"),
    ("DOM. Dupont et Mmex Y", "DOM. Dupont et Mmex Y"),
    ("avec M . Dupont", f"avec M.{NB}Dupont"),
])
def test_civility(md: str, expected: str) -> None:
    assert t(md) == expected


@pytest.mark.parametrize(("md", "expected"), [
    ("le 1er septembre 2026", f"le 1er{NB}septembre{NB}2026"),
    ("le 14 juillet", f"le 14{NB}juillet"),
    ("du 2 août 2027 au 31 décembre", f"du 2{NB}août{NB}2027 au 31{NB}décembre"),
    ("Septembre 2026", f"Septembre{NB}2026"),
    ("32 mai et 0 mai", "32 mai et 0 mai"),
    ("mai 20265 et mai 26", "mai 20265 et mai 26"),
    ("3 maisons", "3 maisons"),
])
def test_dates(md: str, expected: str) -> None:
    assert t(md) == expected


# --- protected constructs ----------------------------------------------------------------------

PROTECTED = [
    "```\nNote: a ; b ! « c »\n```",
    "```python title=\"x\"\nx = a ? b : c\n```",
    "````\n```\nx : y\n````",
    "~~~\n5 % ; x\n~~~",
    "  ```\n  a ;\n  ```",
    "```\nnever closed : x",
    "`a : b ; c`",
    "`` a`b : c ``",
    "```a ; b```",
    "[texte](https://x.fr/a?b=1;c:d \"Titre : x ?\")",
    "[texte](<https://x.fr/a b> 'Titre ; x')",
    "![alt](images/logo.png)",
    "<https://x.fr/a;b?c!d>",
    "<mailto:a@b.fr>",
    "https://www.x.fr/a;b?c=1!d:e",
    "http://x.fr/(a:b)",
    "mailto:contact@x.fr?subject=Objet:Q!R",
    "www.x.fr/a:b?c",
    "[x]: https://x.fr/a;b \"Titre : x\"",
    "[texte][ref : x]",
    "<span title=\"a : b ; c ?\">",
    "<!-- TODO : voir ; x ? -->",
    "<!-- multi\nligne : x -->",
    "&amp; &#124; &#x7C; &nbsp;",
    "## Titre {#art-objet .signatures}",
    "Texte {: .note }",
    "[Texte]{lang=en title=\"a : b\"}",
    "|---|:---:|---:|",
    "| --- | :---: |",
    "\\! \\: \\; \\?",
]


@pytest.mark.parametrize("md", PROTECTED)
def test_protected_constructs_untouched(md: str) -> None:
    assert t(md) == md


@pytest.mark.parametrize(("md", "expected"), [
    ("Voir `a:b`: c", f"Voir `a:b`{NB}: c"),
    ("Voir [le site](https://x.fr/a;b) ; ou !", f"Voir [le site](https://x.fr/a;b){NN}; ou{NN}!"),
    ("Voir https://x.fr/a: ici", f"Voir https://x.fr/a{NB}: ici"),
    ("(https://x.fr/a).", "(https://x.fr/a)."),
    ("Écrire à mailto:a@x.fr!", f"Écrire à mailto:a@x.fr{NN}!"),  # trailing punctuation
    ("« https://x.fr »", f"«{NN}https://x.fr{NN}»"),
    ("## Article 2 : Durée {#art-duree}", f"## Article{NB}2{NB}: Durée {{#art-duree}}"),
    ("<b>Note</b>: x", f"<b>Note</b>{NB}: x"),
    ("&amp; x : y", f"&amp; x{NB}: y"),
    ("a\n```\nb ;\n```\nc ;", f"a\n```\nb ;\n```\nc{NN};"),
])
def test_protected_constructs_in_context(md: str, expected: str) -> None:
    assert t(md) == expected


@pytest.mark.parametrize(("md", "expected"), [
    ("- ? x\n* : y\n1. ; z\n> ! w", "- ? x\n* : y\n1. ; z\n> ! w"),  # list/quote markers
    ("  - Note: x", f"  - Note{NB}: x"),
    ("!!! note \"Attention !\"\n    Texte ?", f"!!! note \"Attention{NN}!\"\n    Texte{NN}?"),
    ("??? info", "??? info"),
    ("::: {.signatures}\nx\n:::", "::: {.signatures}\nx\n:::"),
    ("| Durée | ? |\n|---|---|\n| a : b | : |", f"| Durée | ? |\n|---|---|\n| a{NB}: b | : |"),
    ("Texte[^1].\n\n[^1]: Note : voir", f"Texte[^1].\n\n[^1]: Note{NB}: voir"),
    ("*[UAI]: Unité administrative", "*[UAI]: Unité administrative"),
    ("Table: Les dates", "Table: Les dates"),
    ("ligne  \nsuite", "ligne  \nsuite"),  # hard line break
    ("    indenté ;", f"    indenté{NN};"),  # indented code blocks are not used: typographed
])
def test_markdown_structure(md: str, expected: str) -> None:
    assert t(md) == expected


def test_code_span_does_not_cross_paragraphs() -> None:
    assert t("un ` seul ;\n\nsuite ; `") == f"un ` seul{NN};\n\nsuite{NN}; `"


def test_plain_ignores_markdown() -> None:
    assert plain("Titre: `x`; [^1]: y") == f"Titre{NB}: `x`{NN}; [^1]{NB}: y"
    assert plain("Convention n°3 : « FCIL » https://x.fr/a;b") == (
        f"Convention n°{NB}3{NB}: «{NN}FCIL{NN}» https://x.fr/a;b")
    assert plain("- ? x") == f"-{NN}? x"


def test_empty() -> None:
    assert t("") == "" and plain("") == ""


# --- properties --------------------------------------------------------------------------------

def strip_spaces(s: str) -> str:
    return "".join(ch for ch in s if ch not in SPACES)


def check(md: str) -> None:
    for f in (typographie, plain):
        out = f(md)
        assert f(out) == out
        assert strip_spaces(out) == strip_spaces(md)
        assert out.count("\n") == md.count("\n")


alphabet = st.sampled_from(list(" \t\n;:!?,.«»%€°nN1203aAzM|`~*_-#>[]()<>&{}=\"'/\\:\u00a0\u202f"))
TOKENS = [
    "mot", "Note", "article", "Article", "M.", "Mme", "Dupont", "n°", "1er", "3", "14", "2026",
    "1500", "septembre", "mai", "mois", "ans", "h", "%", "€", "élèves", ";", ":", "!", "?", "?!",
    ",", ".", "...", "«", "»", "(", ")", "**", "*", "_", "|", "---", "#", "- ", "> ", "1. ",
    "`", "``", "`a : b`", "```", "~~~", "https://x.fr/a;b:c", "<https://x.fr>", "www.a.fr",
    "[l](https://x.fr/?a=1;b \"t : x\")", "![i](a.png)", "[x]: u", "[^1]:", "&amp;", "<b>",
    "<!--", "-->", "{#id}", "{.c}", "\\;", "14:30", "::",
]
SEPARATORS = ["", " ", "  ", "\u00a0", "\u202f", "\t", "\n", "\n\n"]
grammar = st.lists(
    st.tuples(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS)).map("".join), max_size=40,
).map("".join)


@settings(max_examples=500)
@given(st.text())
def test_properties_arbitrary_text(md: str) -> None:
    check(md)


@settings(max_examples=500)
@given(st.text(alphabet=alphabet, max_size=80))
def test_properties_punctuation_heavy(md: str) -> None:
    check(md)


@settings(max_examples=1000)
@given(grammar)
def test_properties_grammar(md: str) -> None:
    check(md)


code_text = st.text(alphabet=st.sampled_from(list("ab :;!?«» %.,\u00a0")), min_size=1)


@given(grammar, code_text, grammar)
def test_code_span_byte_identical(before: str, code: str, after: str) -> None:
    span = f"``{code}``"
    md = f"{before}\n\n{span} x\n\n{after}"
    assert span in typographie(md)


@given(grammar, code_text, grammar)
def test_fenced_block_byte_identical(before: str, code: str, after: str) -> None:
    block = f"~~~~\n{code}\n{code}\n~~~~\n"
    md = f"{before.replace('~', '')}\n\n{block}{after}"
    assert block in typographie(md)


@given(grammar, st.text(alphabet=st.sampled_from(list("ab:;!?=&%/.,")), min_size=1))
def test_url_byte_identical(before: str, path: str) -> None:
    url = f"https://x.fr/{path}a"
    md = f"{before}\n\nVoir {url} et [lien]({url}) ; fin"
    assert typographie(md).count(url) == md.count(url)


@pytest.mark.parametrize("chunk", [
    ";", ":", "`", "!?", "«", "°", "a ", " ;", "](", "<a ", "<!--", "&", "{", "{#", "[x](",
    "` `` ", "``` ", "https://", "1 mois ", "](x \"", "\\", "|", "- ", "n°",
])
def test_large_inputs_complete(chunk: str) -> None:
    md = chunk * (200_000 // len(chunk))
    out = typographie(md)
    assert strip_spaces(out) == strip_spaces(md)
    plain(md)


def test_one_megabyte() -> None:
    para = ("Le 1er septembre 2026, M. Dupont : « voir `a:b` et [x](https://x.fr/a;b) ; "
            "soit 3 mois ! » Article 4 , fin .\n\n")
    md = para * (1_000_000 // len(para))
    out = typographie(md)
    assert typographie(out) == out
