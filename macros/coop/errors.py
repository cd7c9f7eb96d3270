"""Problems found in convention files, reported in French as path:line:col: champ: message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    field: str
    message: str
    level: str = ERROR

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        field = f" {self.field}:" if self.field else ""
        tag = "" if self.level == ERROR else " (avertissement)"
        return f"{where}:{field}{tag} {self.message}"


class ConventionError(Exception):
    """Raised with every problem that prevents a convention from being used."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == ERROR]


def warnings_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.level != ERROR]


def format_problems(problems: Iterable[Problem]) -> str:
    return "\n".join(p.format() for p in sorted(problems))
