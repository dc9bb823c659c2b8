"""Typed reads of one DataFrame cell, for the tests.

pandas-stubs types a cell, ``frame.loc[row, column]``, as any scalar a column could hold
(``str | bytes | date | timedelta | Timestamp | complex | NAType | None | ...``), since a frame's
column types are not known statically: comparing two such cells gives one mypy error for each pair
of members that cannot be compared. A test knows the type of the column it reads and says it here,
once; the value is ``frame.loc[row, column]`` itself, unconverted.

Importable as ``_frames`` from every test: tests/ has no __init__.py, so pytest puts it on
``sys.path`` when it imports tests/conftest.py, and mypy's ``mypy_path`` has it.
"""

from __future__ import annotations

from typing import cast

import pandas as pd


def number(frame: pd.DataFrame, row: int | str, column: str) -> float:
    """The cell of a numeric column (a numpy int or float at run time)."""
    return cast(float, frame.loc[row, column])


def text(frame: pd.DataFrame, row: int | str, column: str) -> str:
    """The cell of a text column."""
    return cast(str, frame.loc[row, column])
