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
    notices: list[str] = field(default_factory=list)  # what the reader changed or noticed, in Russian
    sheet: str | None = None  # the sheet read, for a workbook


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


# characters a user cannot see and a code must not hold: control and format characters (zero-width space and
# joiners, direction marks, the BOM, the soft hyphen); visible spaces such as U+00A0 are left as they are
_INVISIBLE = re.compile(
    r"[\u0000-\u001f\u007f-\u009f\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)


def show_invisible(value: str) -> str:
    """The value with its invisible characters written out, for messages: «BGR‹U+200B›-S01»."""
    return _INVISIBLE.sub(lambda m: f"‹U+{ord(m.group()):04X}›", value)


def _stems(text: str) -> frozenset[str]:
    """The words of a header cut to five letters: «Категория» + «Дата присвоения» has the stems of «Дата
    присвоения категории» (the group header of a two-row header comes first, and in another case)."""
    return frozenset(word[:5] for word in re.findall(r"[0-9a-zа-я]+", _norm_header(text)))


def _stem_index() -> dict[str, dict[frozenset[str], str]]:
    index: dict[str, dict[frozenset[str], str]] = {}
    for ds in DATASETS.values():
        mapping: dict[frozenset[str], str | None] = {}
        for col in ds.columns:
            key = _stems(col.header_ru)
            mapping[key] = None if key in mapping and mapping[key] != col.name else col.name
        index[ds.name] = {k: v for k, v in mapping.items() if v is not None}  # ambiguous stems: no match
    return index


STEM_INDEX = _stem_index()


@dataclass
class _Header:
    """The header found in a file: its dataset, which position holds which column, how many rows it takes."""

    dataset: str
    positions: dict[int, str]  # position -> canonical column (its first copy)
    duplicates: dict[str, list[int]]  # canonical column -> positions of its further copies
    cells: list[str]  # the header as the user reads it (two rows combined: «Категория / Дата присвоения»)
    index: int  # the header's first row, counted from 0
    rows: int = 1
    notices: list[str] = field(default_factory=list)


def _match_header_row(
    cells: list[str], dataset: str | None
) -> tuple[str, dict[int, str], dict[str, list[int]]] | None:
    """If this row holds every required header of exactly one dataset, return it, the column map and the
    further copies of columns given twice."""
    normalised = [_norm_header(c) for c in cells]
    candidates = [dataset] if dataset else list(DATASETS)
    matches: list[tuple[str, dict[int, str], dict[str, list[int]]]] = []
    for name in candidates:
        mapping = HEADER_INDEX[name]
        positions: dict[int, str] = {}
        duplicates: dict[str, list[int]] = {}
        for pos, text in enumerate(normalised):
            canonical = mapping.get(text)
            if not canonical:
                continue
            if canonical in positions.values():
                duplicates.setdefault(canonical, []).append(pos)
            else:
                positions[pos] = canonical
        if set(DATASETS[name].required) <= set(positions.values()):
            matches.append((name, positions, duplicates))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        # a row matching several datasets: prefer the one that explains the most columns
        matches.sort(key=lambda m: len(m[1]), reverse=True)
        if len(matches[0][1]) > len(matches[1][1]):
            return matches[0]
    return None


def _group_text(upper: list[str], pos: int, grouped: set[int]) -> str:
    """The group header over `pos` in a two-row header: the nearest filled cell of the upper row at or left of
    it, within a run of positions that hold no column of their own (a merged cell keeps its text in its first
    cell only)."""
    while pos >= 0 and pos in grouped:
        if str(upper[pos]).strip():
            return str(upper[pos]).strip()
        pos -= 1
    return ""


def _resolve_sub_header(dataset: str, group: str, sub: str) -> str | None:
    exact = HEADER_INDEX[dataset].get(_norm_header(sub))
    if exact:
        return exact
    return STEM_INDEX[dataset].get(_stems(f"{group} {sub}")) if group else None


def _two_row_header(upper: list[str], lower: list[str], dataset: str, index: int) -> _Header | None:
    """Read `lower` as the second row of a two-row header when every filled cell of it stands under a
    position that the upper row does not name by itself (a group header such as «Категория» merged over
    «Дата присвоения» / «Действует до», or an empty cell). A data row fills the columns the upper row names
    (the required ones at least), so it is never taken for a sub-header."""
    found = _match_header_row(upper, dataset)
    if found is None and _match_header_row(lower, dataset) is not None:
        return None  # a title row above a one-row header
    named = set(found[1]) | {p for ps in found[2].values() for p in ps} if found else set()
    width = max(len(upper), len(lower))
    upper = list(upper) + [""] * (width - len(upper))
    lower = list(lower) + [""] * (width - len(lower))
    filled = {p: str(lower[p]).strip() for p in range(width) if str(lower[p]).strip()}
    grouped = set(range(width)) - named
    if not filled or not set(filled) <= grouped:
        return None
    cells = list(upper)
    combined = list(upper)
    resolved: list[str] = []
    for pos, sub in filled.items():
        group = _group_text(upper, pos, grouped)
        canonical = _resolve_sub_header(dataset, group, sub)
        label = f"{group} / {sub}" if group else sub
        cells[pos] = label
        if canonical:
            combined[pos] = DATASETS[dataset].column(canonical).header_ru
            resolved.append(f"«{label}» — «{combined[pos]}»")
        else:
            combined[pos] = label
    # the group headers themselves name no column once their sub-headers are read
    for pos in grouped - set(filled):
        if str(upper[pos]).strip() and any(
            _group_text(upper, p, grouped) == str(upper[pos]).strip() for p in filled if p >= pos
        ):
            cells[pos] = combined[pos] = ""
    match = _match_header_row(combined, dataset)
    if match is None:
        return None
    name, positions, duplicates = match
    header = _Header(name, positions, duplicates, cells, index, rows=2)
    header.notices.append(
        messages.TWO_ROW_HEADER.format(
            first=index + 1, second=index + 2, columns="; ".join(resolved) or messages.NONE_RECOGNISED
        )
    )
    return header


def _find_header(rows: list[list[str]], dataset: str | None) -> _Header | None:
    """The header among the first rows: one row that names a dataset's required columns, or two rows (a
    group header over sub-headers) that do so together."""
    head = rows[: MAX_TITLE_ROWS + 1]
    for index, cells in enumerate(head):
        found = _match_header_row(cells, dataset)
        lower = rows[index + 1] if index + 1 < len(rows) else None
        names = [found[0]] if found else ([dataset] if dataset else list(DATASETS))
        if lower is not None:
            for name in names:
                two = _two_row_header(cells, lower, name, index)
                if two is not None:
                    return two
        if found:
            return _Header(found[0], found[1], found[2], list(cells), index)
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


def _column_letter(pos: int) -> str:
    letters = ""
    pos += 1
    while pos:
        pos, rest = divmod(pos - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _text_column(body: pd.DataFrame, pos: int) -> pd.Series:
    values = body[pos]
    if values.dtype != "str" or values.hasnans:
        values = values.fillna("").astype("str")
    return values.str.strip(WHITESPACE)


def _finish(source_file: str, header: _Header, body: pd.DataFrame) -> RawTable:
    ds: Dataset = DATASETS[header.dataset]
    positions, header_cells = header.positions, header.cells
    first_row_number = header.index + header.rows + 1
    copies = {p for ps in header.duplicates.values() for p in ps}
    unknown = [
        str(header_cells[pos]).strip()
        for pos in range(len(header_cells))
        if pos not in positions and pos not in copies and str(header_cells[pos]).strip()
    ]
    notices = list(header.notices)
    by_name = {canonical: pos for pos, canonical in positions.items()}
    columns: dict[str, pd.Series] = {}
    for col in ds.column_names:
        pos = by_name.get(col)
        if pos is None or pos not in body.columns:
            columns[col] = pd.Series("", index=body.index, dtype="str")
            continue
        columns[col] = _text_column(body, pos)
    row_numbers = pd.Series(body.index + first_row_number, index=body.index, dtype="int64")
    for col, further in header.duplicates.items():
        columns[col] = _merge_copies(
            ds,
            col,
            columns[col],
            [_text_column(body, p) for p in further if p in body.columns],
            row_numbers,
            notices,
        )
    # a column whose header cell is empty but which holds values is not dropped without a word
    for pos in map(int, body.columns):
        if pos < len(header_cells) and str(header_cells[pos]).strip():
            continue
        if pos in positions or pos in copies:
            continue
        filled = int((_text_column(body, pos) != "").sum())
        if filled:
            notices.append(messages.UNNAMED_COLUMN.format(letter=_column_letter(pos), count=filled))
    frame = pd.DataFrame(columns, copy=False)
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
    return RawTable(source_file, header.dataset, frame, row_numbers, headers, unknown, notices=notices)


def _merge_copies(
    ds: Dataset,
    column: str,
    first: pd.Series,
    others: list[pd.Series],
    row_numbers: pd.Series,
    notices: list[str],
) -> pd.Series:
    """A column given twice: the copies must agree (an empty cell in one copy takes the other's value); a
    conflict rejects the file, naming the column and the first row where the copies differ."""
    header = ds.column(column).header_ru
    merged = first
    for other in others:
        conflict = (merged != "") & (other != "") & (merged != other)
        if conflict.any():
            at = int(np.flatnonzero(conflict.to_numpy())[0])
            raise FileRejected(
                messages.DUPLICATE_COLUMN_CONFLICT.format(
                    column=header,
                    copies=len(others) + 1,
                    count=int(conflict.sum()),
                    row=int(row_numbers.iloc[at]),
                    first=merged.iloc[at],
                    second=other.iloc[at],
                )
            )
        merged = merged.where(merged != "", other)
    notices.append(messages.DUPLICATE_COLUMN_AGREE.format(column=header, copies=len(others) + 1))
    return merged


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


def _strip_nul(data: bytes) -> tuple[bytes, int]:
    """NUL bytes in a text file (a broken export): removed, and counted for a notice. A file full of them is
    UTF-16 or not text at all, and is refused. In UTF-8 and Windows-1251 a 0x00 byte is always the NUL
    character, so removing the bytes never cuts another character."""
    count = data.count(b"\x00")
    if not count:
        return data, 0
    head = data[:4096]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 20:
        raise FileRejected(messages.UNDETECTABLE_ENCODING)
    return data.replace(b"\x00", b""), count


def read_csv_file(path: Path, data: bytes, dataset: str | None = None) -> RawTable:
    if not data[:65536].strip() and not data.strip():
        raise FileRejected(messages.EMPTY_FILE)
    data, nul_count = _strip_nul(data)
    # the encoding and the header from the head of the file; the body is decoded only when it must be
    head = data[:262_144]
    if len(data) > len(head) and b"\n" in head:
        head = head[: head.rfind(b"\n") + 1]
    text, encoding = _decode(head)
    head_lines = text.splitlines()[: MAX_TITLE_ROWS + 2]
    delimiter = _sniff_delimiter(head_lines)
    head_rows = list(csv.reader(head_lines, delimiter=delimiter))
    header = _find_header(head_rows, dataset)
    if header is None:
        raise FileRejected(_closest_dataset_message(head_rows, dataset))
    width = max(len(head_rows[header.index + n]) for n in range(header.rows))
    header.cells += [""] * (width - len(header.cells))
    body = _read_csv_body(data, encoding, delimiter, header.index + header.rows, width)
    table = _finish(str(path), header, body)
    table.encoding, table.delimiter = encoding, delimiter
    if nul_count:
        table.notices.append(messages.NUL_REMOVED.format(count=nul_count))
    return table


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


@dataclass
class _Sheet:
    name: str
    names: list[str]  # every sheet of the workbook
    values: list[list[object]]  # the cells as calamine gives them (str, float, int, bool, dates, None)


def _sheet_title_matches(sheet: str, wanted: set[str]) -> bool:
    """The sheet named after the dataset, canonically or in Russian; Excel cuts a sheet name to 31 characters,
    so «Сведения о педагогических работ» is the staff sheet too."""
    name = sheet.strip().lower()
    return any(name == w.lower() or (len(w) > 31 and name == w[:31].strip().lower()) for w in wanted)


def _read_sheet(data: bytes, dataset: str | None) -> _Sheet:
    from python_calamine import CalamineWorkbook

    _check_unpacked_size(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every kind of broken file
        raise FileRejected(messages.XLSX_BROKEN) from exc
    names = list(workbook.sheet_names)
    if not names:
        raise FileRejected(messages.EMPTY_FILE)
    wanted = {dataset} if dataset else set(DATASETS)
    wanted |= {DATASETS[d].title_ru for d in wanted}
    sheet_name = next((n for n in names if _sheet_title_matches(n, wanted)), names[0])
    try:
        sheet = workbook.get_sheet_by_name(sheet_name)
        values = sheet.to_python(skip_empty_area=False)
    except Exception as exc:
        raise FileRejected(messages.XLSX_BROKEN) from exc
    return _Sheet(sheet_name, names, [list(row) for row in values])


def _sheet_rows(path: Path, data: bytes, dataset: str | None) -> list[list[str]]:
    return [[_cell_to_text(v) for v in row] for row in _read_sheet(data, dataset).values]


# code columns: a code written as an Excel number loses its leading zeros (00050 becomes 50)
CODE_COLUMNS = ("staff_id", "inst_id")


def _number_formats(data: bytes, sheet: str, column: int, rows: list[int]) -> dict[int, str]:
    """The Excel number format of the cells (0-based rows) of one column: «00000» keeps a code's zeros on
    screen. calamine does not expose formats; openpyxl (read-only) does. Empty when the book cannot say."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = book[sheet]
            wanted = set(rows)
            found: dict[int, str] = {}
            first, last = min(rows) + 1, max(rows) + 1
            for n, row in enumerate(
                ws.iter_rows(min_row=first, max_row=last, min_col=column + 1, max_col=column + 1),
                start=first - 1,
            ):
                if n in wanted and row:
                    found[n] = str(getattr(row[0], "number_format", "") or "")
            return found
        finally:
            book.close()
    except Exception:  # a workbook calamine reads but openpyxl does not: no formats, a notice instead
        return {}


def _restore_codes(
    data: bytes, sheet: _Sheet, header: _Header, text_rows: list[list[str]], notices: list[str]
) -> None:
    """Numeric cells in a code column: padded back to the width of a zero format («00000»), or else the user
    is told that leading zeros may have been lost."""
    ds = DATASETS[header.dataset]
    start = header.index + header.rows
    for pos, canonical in header.positions.items():
        if canonical not in CODE_COLUMNS:
            continue
        numeric = [
            n
            for n in range(start, len(sheet.values))
            if pos < len(sheet.values[n])
            and isinstance(sheet.values[n][pos], int | float)
            and not isinstance(sheet.values[n][pos], bool)
        ]
        if not numeric:
            continue
        formats = _number_formats(data, sheet.name, pos, numeric)
        unpadded = 0
        for n in numeric:
            fmt = formats.get(n, "")
            text = text_rows[n - start][pos]
            if re.fullmatch(r"0+", fmt) and text.isdigit():
                text_rows[n - start][pos] = text.zfill(len(fmt))
            else:
                unpadded += 1
        if unpadded:
            notices.append(
                messages.NUMERIC_CODE.format(column=ds.column(canonical).header_ru, count=unpadded)
            )


def read_xlsx_file(path: Path, data: bytes, dataset: str | None = None) -> RawTable:
    if not data:
        raise FileRejected(messages.EMPTY_FILE)
    sheet = _read_sheet(data, dataset)
    if not sheet.values:
        raise FileRejected(messages.EMPTY_FILE + " " + _sheets_note(sheet))
    nul = 0

    def text(value: object) -> str:
        nonlocal nul
        cell = _cell_to_text(value)
        if "\x00" in cell:  # Excel writes control characters as _x0000_; calamine gives them back
            nul += cell.count("\x00")
            cell = cell.replace("\x00", "")
        return cell

    head = [[text(v) for v in row] for row in sheet.values[: MAX_TITLE_ROWS + 2]]
    header = _find_header(head, dataset)
    if header is None:
        raise FileRejected(
            _closest_dataset_message(head[: MAX_TITLE_ROWS + 1], dataset) + " " + _sheets_note(sheet)
        )
    start = header.index + header.rows
    rows = [[text(v) for v in row] for row in sheet.values[start:]]
    if not rows:
        raise FileRejected(messages.NO_DATA_ROWS)
    notices: list[str] = []
    _restore_codes(data, sheet, header, rows, notices)
    body = pd.DataFrame(rows, dtype="str")
    if body.empty:
        raise FileRejected(messages.NO_DATA_ROWS)
    width = max(len(r) for r in head[header.index : start])
    header.cells += [""] * (width - len(header.cells))
    table = _finish(str(path), header, body)
    table.notices += notices
    if nul:
        table.notices.append(messages.NUL_REMOVED.format(count=nul))
    table.sheet = sheet.name
    return table


def _sheets_note(sheet: _Sheet) -> str:
    """Which sheet was read and which exist: data on another sheet is the usual cause of a rejection."""
    others = ", ".join(f"«{n}»" for n in sheet.names)
    return messages.SHEET_READ.format(sheet=sheet.name, sheets=others)


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
            lines = text.replace("\x00", "").splitlines()[: MAX_TITLE_ROWS + 2]
            rows = list(csv.reader(lines, delimiter=_sniff_delimiter(lines)))
        elif suffix in (".xlsx", ".xlsm"):
            rows = _sheet_rows(path, data, None)[: MAX_TITLE_ROWS + 2]
        else:
            return None
    except (FileRejected, UnicodeDecodeError, csv.Error):
        return None
    header = _find_header(rows, None)
    return header.dataset if header else None
