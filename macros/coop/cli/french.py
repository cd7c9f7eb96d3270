"""argparse in French: usage line, headings, the help option and argparse's own errors.

argparse writes its English words through gettext; rather than installing a catalogue
for the whole process, the parser below names its headings and help option itself, and
`error()` maps each English message of argparse (Python 3.11+) to a French template.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

USAGE = "utilisation : "
HELP = "affiche cette aide et quitte"

# argparse's messages, values as `{}`, and their French templates (values in the same order)
MESSAGES = (
    ("the following arguments are required: {}", "arguments obligatoires manquants : {}"),
    ("unrecognized arguments: {}", "arguments non reconnus : {}"),
    ("one of the arguments {} is required", "l’un des arguments {} est obligatoire"),
    ("ambiguous option: {} could match {}", "option ambiguë : {} peut désigner {}"),
    ("invalid choice: {} (choose from {})", "choix invalide {} (choix possibles : {})"),
    ("invalid {} value: {}", "valeur invalide ({}) : {}"),
    ("expected one argument", "une valeur est attendue"),
    ("expected at most one argument", "une valeur au plus est attendue"),
    ("expected at least one argument", "au moins une valeur est attendue"),
    ("expected {} argument", "{} valeur attendue"),
    ("expected {} arguments", "{} valeurs attendues"),
    ("not allowed with argument {}", "incompatible avec l’argument {}"),
    ("ignored explicit argument {}", "valeur inattendue {}"),
)
PATTERNS = [(re.compile("(.+?)".join(map(re.escape, english.split("{}"))), re.DOTALL), french)
            for english, french in MESSAGES]
ARGUMENT = re.compile(r"argument (.+?): (.*)", re.DOTALL)  # argparse's ArgumentError prefix
QUOTED = re.compile(r"'([^']*)'")  # Python's repr of a value, as argparse shows it
GLUED = re.compile(r" (?=[:;!?»])|(?<=«) ")  # French spaces a line must not break at
NBSP = "\u00a0"


def translate(message: str) -> str:
    """argparse's English error message in French; a message already French is kept."""
    if m := ARGUMENT.fullmatch(message):
        return f"argument {m[1]} : {translate(m[2])}"
    for pattern, french in PATTERNS:
        if m := pattern.fullmatch(message):
            return french.format(*(QUOTED.sub(r"« \1 »", value) for value in m.groups()))
    return message


class FrenchFormatter(argparse.HelpFormatter):
    """Help text with a French usage line and French headings."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[Any], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(f"{heading} " if heading else heading)  # French « titre : »

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _unglue(super()._split_lines(GLUED.sub(NBSP, text), width))

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(_unglue(super()._fill_text(GLUED.sub(NBSP, text), width, indent)
                                 .split("\n")))


def _unglue(lines: list[str]) -> list[str]:
    """Plain spaces again once wrapped: terminals align them, not all show no-break ones."""
    return [line.replace(NBSP, " ") for line in lines]


class FrenchParser(argparse.ArgumentParser):
    """An ArgumentParser speaking French; a usage error exits with code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchFormatter)
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title = "arguments positionnels"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {translate(message)}\n")
