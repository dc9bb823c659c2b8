"""The package data files (TOML and CSV under ``creatorlens/data``), read through one door.

Every file is registered in :mod:`creatorlens.data._schemas` with the integer ``version`` this
code reads and a schema; :func:`load_toml` and :func:`load_csv` check both the first time a file is
read and cache the result, so each file is parsed once per process. A TOML file states its version
as ``version = N``; a CSV file on its first line as ``# version: N — what the file is``. A file that
fails its check is a bug in the package (:class:`DataFileError`), not bad user input.

This module imports nothing heavy: the schemas (pydantic) load on the first read, so
``creatorlens --help`` does not pay for them.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["DataFileError", "data_files", "load_csv", "load_toml", "read_text"]

_CSV_VERSION = re.compile(r"#\s*version:?\s*(\d+)\b")


class DataFileError(RuntimeError):
    """A packaged data file is missing, unregistered, of another version or breaks its schema."""


def _file(name: str) -> Traversable:
    path = resources.files(__name__)
    for part in name.split("/"):
        path = path.joinpath(part)
    if not path.is_file():
        raise DataFileError(f"data/{name}: no such file in the package")
    return path


def _spec(name: str) -> Any:
    from creatorlens.data._schemas import SPECS

    try:
        return SPECS[name]
    except KeyError:
        raise DataFileError(f"data/{name}: not registered in creatorlens/data/_schemas.py") from None


def _check(name: str, found: object, wanted: int) -> None:
    if type(found) is not int:
        raise DataFileError(f"data/{name}: version must be an integer, found {found!r}")
    if found != wanted:
        raise DataFileError(f"data/{name}: version {found}, this code reads version {wanted}")


def _invalid(name: str, exc: Exception) -> DataFileError:
    return DataFileError(f"data/{name}: does not match its schema: {exc}")


@cache
def load_toml(name: str) -> dict[str, Any]:
    """The document of ``data/<name>`` (e.g. ``"authenticity/anomalies.toml"``), version and
    schema checked. The dict is shared by every caller: read it, never modify it."""
    from pydantic import ValidationError

    spec = _spec(name)
    try:
        doc = tomllib.loads(_file(name).read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"data/{name}: not valid TOML ({exc})") from exc
    _check(name, doc.get("version"), spec.version)
    try:
        spec.schema.model_validate({k: v for k, v in doc.items() if k != "version"})
    except ValidationError as exc:
        raise _invalid(name, exc) from exc
    return doc


@cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``data/<name>`` as text, version line, ``#`` comment lines and blank lines
    skipped; every row checked against the file's row schema. Rows are shared: never modify them."""
    from pydantic import ValidationError

    spec = _spec(name)
    lines = _file(name).read_text("utf-8").splitlines()
    match = _CSV_VERSION.match(lines[0]) if lines else None
    _check(name, int(match.group(1)) if match else None, spec.version)
    body = "\n".join(line for line in lines if line.strip() and not line.startswith("#"))
    rows = tuple(csv.DictReader(io.StringIO(body)))
    for number, row in enumerate(rows, start=1):
        try:
            spec.schema.model_validate(row)
        except ValidationError as exc:
            raise DataFileError(f"data/{name}: row {number} does not match its schema: {exc}") from exc
    return rows


def read_text(name: str) -> str:
    """The text of a file read by its own format's parser (the JSON models in ``data/models``)."""
    _spec(name)
    return _file(name).read_text("utf-8")


def data_files() -> list[str]:
    """Every file shipped in ``creatorlens/data`` (relative names), for the test that loads them all."""
    found: list[str] = []

    def walk(folder: Traversable, prefix: str) -> None:
        for item in folder.iterdir():
            if item.is_dir():
                if item.name != "__pycache__":
                    walk(item, f"{prefix}{item.name}/")
            elif not item.name.endswith((".py", ".pyc")):
                found.append(f"{prefix}{item.name}")

    walk(resources.files(__name__), "")
    return sorted(found)
