"""The one error type that the analysis raises for bad input."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input, located as precisely as we can: file, row and column.

    ``row`` is a 1-based line number in a file (the header is row 1) once
    :mod:`suhde.analysis.io` has placed the error; before that, when the error
    comes from plain arrays, it is the 0-based position in the array (``index``).

    Examples
    --------
    >>> str(InputError("unknown person 'x'", file="ties.csv", row=3, column="target"))
    "ties.csv, row 3, column 'target': unknown person 'x'"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.index = index

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        elif self.index is not None:
            where.append(f"position {self.index}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message
