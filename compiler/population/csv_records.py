"""The records of a CSV case file, each with the number of its first line; a broken record refused alone.

A quoted cell may span lines, so a record is not a line. But a quote that opens a cell and is never closed would,
read as the csv module reads it, swallow the lines after it (up to csv.field_size_limit(), or to the end of the file)
and make them one record that is not a row of the file: thousands of rows neither decided nor rejected, or the last
rows refused with a misleading "missing fields". So each record is read strictly, and one that does not read as a
row of exactly as many cells as the header (an error in the middle, a quote not closed at the end of the file, the
wrong number of cells after a cell spanning lines) is refused alone, by its first line, with what is wrong with its
quotes; reading goes on with the next line. Every line of the file is then part of one record, or refused.
"""

from __future__ import annotations

import collections
import csv
from collections.abc import Iterator
from typing import IO


class BrokenRecord(str):
    """Why a record cannot be read as a row (the reason, a sentence); `column` names the column when one is at fault,
    and `quote` says whether its quotes are (its first line alone was taken, and the lines after it are read again)."""

    column: str | None = None
    quote: bool = False

    @classmethod
    def at(cls, reason: str, column: str | None, quote: bool = False) -> BrokenRecord:
        broken = cls(reason)
        broken.column, broken.quote = column, quote
        return broken


class _Lines:
    """The lines of a file, each taken once, with lines given back read again first; the lines of the record being
    read are kept so that a broken record can give back all but its first."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.back: collections.deque[str] = collections.deque()
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.back.popleft() if self.back else next(self.handle)
        self.taken.append(line)
        return line

    def give_back_all_but_the_first(self) -> None:
        self.back.extendleft(reversed(self.taken[1:]))
        del self.taken[1:]


def csv_records(handle: IO[str]) -> Iterator[tuple[int, list[str] | BrokenRecord]]:
    """(number of the record's first line, its cells or why it is refused), blank lines skipped. The first record is
    the header; every other must have as many cells as it."""
    lines = _Lines(handle)
    reader = csv.reader(lines, strict=True)
    number, header = 1, list[str]()
    while True:
        lines.taken.clear()
        error = "the file ends inside a quoted cell"
        try:
            cells: list[str] | None = next(reader)
        except StopIteration:
            if not lines.taken:
                return
            cells = None
        except csv.Error as exc:  # strict: a quote closed and followed by more text, a cell past the size limit, ...
            cells, error = None, str(exc)
        if not "".join(lines.taken).strip():
            number += len(lines.taken)
            continue
        if cells is not None and (not header or len(cells) == len(header)):
            header = header or cells
            yield number, cells
            number += len(lines.taken)
            continue
        first, spanned = lines.taken[0], len(lines.taken) > 1
        lines.give_back_all_but_the_first()
        yield number, _why(first, cells, header, spanned, error)
        number += 1


def _why(first: str, cells: list[str] | None, header: list[str], spanned: bool, error: str) -> BrokenRecord:
    """Why the record starting with the line `first` is no row: its quotes, or its number of cells."""
    quote = _quote_problem(first.rstrip("\r\n"))
    if quote is None and cells is None:
        return BrokenRecord.at(f"cannot be read as CSV ({error})", None, quote=True)
    if quote is None or (cells is not None and not spanned):
        count = 0 if cells is None else len(cells)
        return BrokenRecord.at(f"has {count} cells, but the header names {len(header)} columns", None)
    cell, problem = quote
    name = header[cell] if cell < len(header) else None
    where = f"cell {cell + 1}" + (f" (column '{name}')" if name else "")
    return BrokenRecord.at(f"{where}: {problem}", name, quote=True)


def _quote_problem(line: str) -> tuple[int, str] | None:
    """(index of the cell, what is wrong) for the first quoted cell of `line` that is not closed on the line or has
    text after its closing quote; None when every quoted cell of the line is whole."""
    cell, at = 0, 0
    while at <= len(line):
        if not line.startswith('"', at):  # an unquoted cell: a quote inside it is an ordinary character
            comma = line.find(",", at)
            if comma < 0:
                return None
            cell, at = cell + 1, comma + 1
            continue
        close = at + 1
        while (close := line.find('"', close)) >= 0 and line.startswith('""', close):
            close += 2  # a doubled quote stands for a quote inside the cell
        if close < 0:
            return cell, "a quote opens the cell and is never properly closed"
        after = close + 1
        if after == len(line):
            return None
        if line[after] != ",":
            return cell, "the quoted cell has text after its closing quote (a quote inside a cell is written twice)"
        cell, at = cell + 1, after + 1
    return None
