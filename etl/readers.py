"""Reading institutions' files into a table of strings, as the data contract says.

XLSX (first sheet, or the sheet named after the dataset) and CSV (UTF-8 with or without BOM, or
Windows-1251; `;` or `,`). The header row may have up to 10 title rows above it; headers may be Russian or
canonical, in any order, in any case. Every cell comes out as a string (Excel numbers and dates are turned
into canonical text), so one normaliser handles both formats. File-level problems raise `FileRejected`
with a Russian message; nothing here raises on bad cell values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from etl import messages
from etl.contract import DATASETS, Dataset

MAX_TITLE_ROWS = 10
SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".xlsm")


class FileRejected(Exception):
    """The whole file cannot be loaded; `message_ru` says why, in Russian."""

    def __init__(self, message_ru: str) -> None:
        super().__init__(message_ru)
        self.message_ru = message_ru


@dataclass
class RawTable:
    """A file's data rows as strings, with canonical column names."""

    source_file: str
    dataset: str
    frame: pd.DataFrame  # canonical columns, str dtype, "" for empty cells; index = position
    row_numbers: pd.Series  # the row number as the user sees it in Excel / a text editor
    headers: dict[str, str]  # canonical column -> header as written in the file
    unknown_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


def _norm_header(text: object) -> str:
    value = str(text).replace("\u00a0", " ").replace("ё", "е").replace("Ё", "Е")
    value = re.sub(r"\s+", " ", value).strip().strip("*").strip().lower()
    return value


def _header_index() -> dict[str, dict[str, str]]:
    """dataset -> {normalised header (Russian or canonical) -> canonical column}."""
    index: dict[str, dict[str, str]] = {}
    for ds in DATASETS.values():
        mapping: dict[str, str] = {}
        for col in ds.columns:
            mapping[_norm_header(col.name)] = col.name
            mapping[_norm_header(col.header_ru)] = col.name
        index[ds.name] = mapping
    return index


HEADER_INDEX = _header_index()


def _match_header_row(cells: list[str], dataset: str | None) -> tuple[str, dict[int, str]] | None:
    """If this row holds every required header of exactly one dataset, return it and the column map."""
    normalised = [_norm_header(c) for c in cells]
    candidates = [dataset] if dataset else list(DATASETS)
    matches: list[tuple[str, dict[int, str]]] = []
    for name in candidates:
        mapping = HEADER_INDEX[name]
        positions: dict[int, str] = {}
        for pos, text in enumerate(normalised):
            canonical = mapping.get(text)
            if canonical and canonical not in positions.values():
                positions[pos] = canonical
        if set(DATASETS[name].required) <= set(positions.values()):
            matches.append((name, positions))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        # a row matching several datasets: prefer the one that explains the most columns
        matches.sort(key=lambda m: len(m[1]), reverse=True)
        if len(matches[0][1]) > len(matches[1][1]):
            return matches[0]
    return None


def _closest_dataset_message(rows: list[list[str]], dataset: str | None) -> str:
    """Explain which required columns are missing, for the dataset the file looks most like."""
    best: tuple[int, str, list[str]] | None = None
    for cells in rows:
        normalised = {_norm_header(c) for c in cells}
        for name in [dataset] if dataset else list(DATASETS):
            ds = DATASETS[name]
            found = {HEADER_INDEX[name].get(text) for text in normalised} - {None}
            missing = [c for c in ds.required if c not in found]
            score = len(found)
            if best is None or score > best[0]:
                best = (score, name, missing)
    if best is None or best[0] == 0:
        return messages.NO_HEADER_ROW
    ds = DATASETS[best[1]]
    missing_ru = ", ".join(f"«{ds.column(c).header_ru}»" for c in best[2])
    return messages.MISSING_REQUIRED_COLUMNS.format(dataset=ds.title_ru, columns=missing_ru)


def _cell_to_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.timedelta | dt.time):
        return str(value)
    return str(value).strip()


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if b"\x00" in data[:4096]:
        # UTF-16 or a binary file with a .csv name
        raise FileRejected(messages.UNDETECTABLE_ENCODING)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise FileRejected(messages.UNDETECTABLE_ENCODING) from exc
    # Windows-1251 decodes almost anything; demand that the text looks like text
    letters = sum(
        ch.isalpha() or ch.isspace() or ch in ";,.-/\"'()№:+" or ch.isdigit() for ch in text[:20000]
    )
    if letters < 0.9 * min(len(text), 20000):
        raise FileRejected(messages.UNDETECTABLE_ENCODING)
    return text, "cp1251"


def _sniff_delimiter(lines: list[str]) -> str:
    semicolons = sum(line.count(";") for line in lines)
    commas = sum(line.count(",") for line in lines)
    tabs = sum(line.count("\t") for line in lines)
    if tabs > semicolons and tabs > commas:
        return "\t"
    return ";" if semicolons >= commas else ","


# what str.strip() removes, spelled out: Arrow trims a given set of characters ten times faster than it
# trims "Unicode whitespace" (0.3 s for a million Cyrillic names)
WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())


def _finish(
    source_file: str,
    dataset: str,
    positions: dict[int, str],
    header_cells: list[str],
    body: pd.DataFrame,
    first_row_number: int,
) -> RawTable:
    ds: Dataset = DATASETS[dataset]
    unknown = [
        str(header_cells[pos]).strip()
        for pos in range(len(header_cells))
        if pos not in positions and str(header_cells[pos]).strip()
    ]
    by_name = {canonical: pos for pos, canonical in positions.items()}
    columns: dict[str, pd.Series] = {}
    for col in ds.column_names:
        pos = by_name.get(col)
        if pos is None or pos not in body.columns:
            columns[col] = pd.Series("", index=body.index, dtype="str")
            continue
        values = body[pos]
        if values.dtype != "str" or values.hasnans:
            values = values.fillna("").astype("str")
        columns[col] = values.str.strip(WHITESPACE)
    frame = pd.DataFrame(columns, copy=False)
    row_numbers = pd.Series(body.index + first_row_number, index=body.index, dtype="int64")
    # rows where every cell is empty are not data (Excel leaves them below tables)
    nonempty = (frame != "").any(axis=1)
    if not nonempty.all():
        frame = frame[nonempty].reset_index(drop=True)
        row_numbers = row_numbers[nonempty].reset_index(drop=True)
    if frame.empty:
        raise FileRejected(messages.NO_DATA_ROWS)
    headers = {canonical: str(header_cells[pos]).strip() for pos, canonical in positions.items()}
    for col in ds.column_names:
        headers.setdefault(col, ds.column(col).header_ru)
    return RawTable(source_file, dataset, frame, row_numbers, headers, unknown)


def _arrow_csv(utf8: bytes, delimiter: str, skip: int, ncols: int) -> pd.DataFrame:
    """pyarrow's parser (fast, multi-threaded, checks UTF-8): raises ArrowInvalid on rows with another number
    of fields, blank lines or invalid UTF-8, for the callers to fall back on."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [str(i) for i in range(max(ncols, 1))]
    table = pacsv.read_csv(
        io.BytesIO(utf8),
        read_options=pacsv.ReadOptions(skip_rows=skip, column_names=names, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    # straight into pandas' Arrow-backed `str` columns, without a round trip through Python objects
    body = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    body.columns = list(range(len(names)))
    return body


def _pandas_csv(text: str, delimiter: str, skip: int, ncols: int) -> pd.DataFrame:
    """pandas' parser: slower, but pads short rows and keeps blank lines (so row numbers stay right)."""
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            skiprows=skip,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            on_bad_lines="error",
            engine="c",
            names=list(range(max(ncols, 1))),
            index_col=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise FileRejected(messages.CSV_BROKEN.format(detail=str(exc).splitlines()[0])) from exc
    except pd.errors.EmptyDataError as exc:
        raise FileRejected(messages.NO_DATA_ROWS) from exc


def _read_csv_body(data: bytes, encoding: str, delimiter: str, skip: int, ncols: int) -> pd.DataFrame:
    """The rows below the header as strings. A UTF-8 file goes to pyarrow as it is (pyarrow checks the
    encoding on the way); anything else, or a file pyarrow refuses, is decoded in full first."""
    import pyarrow as pa

    if encoding.startswith("utf-8"):
        payload = data[3:] if encoding == "utf-8-sig" else data
        try:
            return _arrow_csv(payload, delimiter, skip, ncols)
        except (pa.ArrowInvalid, ValueError):
            pass
    # the head looked like UTF-8 but the rest may not be (ASCII headers over Windows-1251 data)
    text, full_encoding = _decode(data)
    if not full_encoding.startswith("utf-8"):
        try:
            return _arrow_csv(text.encode("utf-8"), delimiter, skip, ncols)
        except (pa.ArrowInvalid, ValueError):
            pass
    return _pandas_csv(text, delimiter, skip, ncols)


def read_csv_file(path: Path, data: bytes, dataset: str | None = None) -> RawTable:
    if not data[:65536].strip() and not data.strip():
        raise FileRejected(messages.EMPTY_FILE)
    # the encoding and the header from the head of the file; the body is decoded only when it must be
    head = data[:262_144]
    if len(data) > len(head) and b"\n" in head:
        head = head[: head.rfind(b"\n") + 1]
    text, encoding = _decode(head)
    head_lines = text.splitlines()[: MAX_TITLE_ROWS + 1]
    delimiter = _sniff_delimiter(head_lines)
    head_rows = list(csv.reader(head_lines, delimiter=delimiter))
    for idx, cells in enumerate(head_rows):
        found = _match_header_row(cells, dataset)
        if found is None:
            continue
        name, positions = found
        body = _read_csv_body(data, encoding, delimiter, idx + 1, len(cells))
        table = _finish(str(path), name, positions, cells, body, first_row_number=idx + 2)
        table.encoding, table.delimiter = encoding, delimiter
        return table
    raise FileRejected(_closest_dataset_message(head_rows, dataset))


# an .xlsx is a zip of XML: real tables unpack to 5–20 times their size; a "zip bomb" to thousands of times
MAX_UNPACK_RATIO = 200
MAX_UNPACKED_MB = 4096


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook whose parts declare an implausible unpacked size before any part is inflated (the
    sizes a zip declares are what is checked; the file-size limit caps the packed size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the reader says the file is broken
    size_mb, unpacked_mb = len(data) / 2**20, unpacked / 2**20
    if unpacked_mb > MAX_UNPACKED_MB or (unpacked_mb > 64 and unpacked > MAX_UNPACK_RATIO * len(data)):
        raise FileRejected(messages.XLSX_TOO_PACKED.format(unpacked_mb=unpacked_mb, size_mb=size_mb))


def _sheet_rows(path: Path, data: bytes, dataset: str | None) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    _check_unpacked_size(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every kind of broken file
        raise FileRejected(messages.XLSX_BROKEN) from exc
    names = workbook.sheet_names
    if not names:
        raise FileRejected(messages.EMPTY_FILE)
    wanted = {dataset} if dataset else set(DATASETS)
    wanted |= {DATASETS[d].title_ru for d in wanted}
    sheet_name = next((n for n in names if n.strip().lower() in {w.lower() for w in wanted}), names[0])
    try:
        sheet = workbook.get_sheet_by_name(sheet_name)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:
        raise FileRejected(messages.XLSX_BROKEN) from exc
    return [[_cell_to_text(v) for v in row] for row in rows]


def read_xlsx_file(path: Path, data: bytes, dataset: str | None = None) -> RawTable:
    if not data:
        raise FileRejected(messages.EMPTY_FILE)
    rows = _sheet_rows(path, data, dataset)
    if not rows:
        raise FileRejected(messages.EMPTY_FILE)
    for idx, cells in enumerate(rows[: MAX_TITLE_ROWS + 1]):
        found = _match_header_row(cells, dataset)
        if found is None:
            continue
        name, positions = found
        body = pd.DataFrame(rows[idx + 1 :], dtype="str")
        if body.empty:
            raise FileRejected(messages.NO_DATA_ROWS)
        return _finish(str(path), name, positions, cells, body, first_row_number=idx + 2)
    raise FileRejected(_closest_dataset_message(rows[: MAX_TITLE_ROWS + 1], dataset))


def read_file(path: Path, data: bytes, dataset: str | None = None) -> RawTable:
    """Read one file's bytes (already checked for size) into a RawTable, or raise FileRejected."""
    suffix = path.suffix.lower()
    if suffix == ".csv" or suffix == ".txt":
        return read_csv_file(path, data, dataset)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_file(path, data, dataset)
    if suffix == ".xls":
        raise FileRejected(messages.XLS_UNSUPPORTED)
    raise FileRejected(messages.UNSUPPORTED_TYPE.format(suffix=suffix or "без расширения"))


def peek_dataset(path: Path, data: bytes) -> str | None:
    """Which dataset a file holds, from its first lines only (used to load the registry first)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            head = data[:65536]
            try:
                text = head.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                # a cut multi-byte character at the end, or Windows-1251
                text = (
                    head[: exc.start].decode("utf-8-sig")
                    if exc.start > len(head) - 4
                    else head.decode("cp1251")
                )
            lines = text.splitlines()[: MAX_TITLE_ROWS + 1]
            rows = list(csv.reader(lines, delimiter=_sniff_delimiter(lines)))
        elif suffix in (".xlsx", ".xlsm"):
            rows = _sheet_rows(path, data, None)[: MAX_TITLE_ROWS + 1]
        else:
            return None
    except (FileRejected, UnicodeDecodeError, csv.Error):
        return None
    for cells in rows:
        found = _match_header_row(cells, None)
        if found:
            return found[0]
    return None
