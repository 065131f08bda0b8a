"""Data that ships inside the package as YAML, read into validated, typed objects.

Word lists, templates and reference records are data, not code: kept in YAML beside the module
that uses them they can be read, reviewed and extended without touching Python. The price is
that Python no longer checks them, so each file is validated against a Pydantic model when it
is read; a mistake fails at once, naming the file and the path to the bad entry, instead of
surfacing later as a ``KeyError`` deep inside whatever used the value.

Callers wrap their loader in :func:`functools.cache`: a file is read once per process.
"""

from __future__ import annotations

from importlib import resources
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed


class DataFileError(ValueError):
    """A packaged data file that is missing, is not YAML, or does not match its model: a
    defect of the package, not of anything a user sent."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems
        super().__init__(f"{where} is not valid:\n" + "\n".join(f"  {p}" for p in problems))


def _described(error: ValidationError) -> list[str]:
    """One line per problem, located the way the YAML is written (``subjects.3.tags``)."""
    return [f"{'.'.join(str(part) for part in problem['loc']) or '(top level)'}: "
            f"{problem['msg']}" for problem in error.errors(include_url=False)]


def parse_yaml(text: str, where: str, model: type[Model]) -> Model:
    """``text`` (the contents of the file ``where``) parsed and validated as ``model``."""
    try:
        document = yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise DataFileError(where, [at + str(getattr(problem, "problem", None) or problem)]
                            ) from problem
    try:
        return model.model_validate(document)
    except ValidationError as problem:
        raise DataFileError(where, _described(problem)) from problem


def load_yaml(package: str, name: str, model: type[Model]) -> Model:
    """The file ``name`` of ``package``, parsed and validated as ``model``."""
    where = f"{package.replace('.', '/')}/{name}"
    try:
        text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except OSError as problem:
        raise DataFileError(where, [str(problem)]) from problem
    return parse_yaml(text, where, model)
