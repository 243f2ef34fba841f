"""Running the expectation suites (`expectations/<dataset>.json`) on a parsed DataFrame.

The suites are data: each expectation's `meta` names the rule, the column to report to the user and the
Russian explanation. Validation runs in two passes, because GX's COMPLETE result format is slow on large
frames: SUMMARY for every expectation first, then COMPLETE (with the failing rows' positions) only for the
expectations that failed. Before both, each expectation is checked by a vectorised version of the same rule
(`holds`): only those it cannot show to hold go to GX, so a clean file costs no GX run and no import of it.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"
POSITION_COLUMN = "_pos"
NARROW_FROM_ROWS = 20_000  # from this many rows each group of expectations gets its own narrow frame


@dataclass
class RuleFailure:
    """Rows (positions in the frame) that broke one expectation."""

    positions: np.ndarray
    column: str
    rule: str
    explanation_ru: str


def suite_document(dataset: str) -> dict[str, Any]:
    with open(EXPECTATIONS_DIR / f"{dataset}.json", encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


@functools.lru_cache(maxsize=1)
def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GX fingerprints every pandas batch by hashing the whole frame (about 10 s at country scale); the
    # fingerprint is only a batch marker that we never read, so switch it off
    pandas_execution_engine.HASH_THRESHOLD = 0

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@functools.cache
def _batch_definition(dataset: str) -> Any:
    source = _context().data_sources.add_pandas(f"files_{dataset}")
    asset = source.add_dataframe_asset(f"asset_{dataset}")
    return asset.add_batch_definition_whole_dataframe(f"whole_{dataset}")


def _suite(dataset: str, expectations: list[dict[str, Any]]) -> Any:
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    suite = gx.ExpectationSuite(name=f"{dataset}_run")
    for idx, item in enumerate(expectations):
        # results do not come back in suite order: tag each expectation with its position
        meta = dict(item.get("meta") or {}, _idx=idx)
        config = ExpectationConfiguration(type=item["type"], kwargs=item["kwargs"], meta=meta)
        suite.add_expectation_configuration(config)
    return suite


def _referenced_columns(expectations: list[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for item in expectations:
        kwargs = item["kwargs"]
        for key in ("column", "column_A", "column_B"):
            if key in kwargs and kwargs[key] not in names:
                names.append(kwargs[key])
        condition = kwargs.get("row_condition")
        if isinstance(condition, str):
            # every column a condition names, e.g. "exam.isin(['ege']) & ~subject.isin(['math_base'])"
            for head in _condition_columns(condition):
                if head not in names:
                    names.append(head)
    return names


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_IDENTIFIER = re.compile(r"(?<![.\w])([A-Za-z_]\w*)")
_NOT_COLUMNS = {"and", "or", "not", "in", "True", "False", "None"}


def _condition_columns(condition: str) -> list[str]:
    """The column names of a pandas row condition: identifiers outside quotes that are not a method
    (after a dot) or a keyword."""
    bare = _QUOTED.sub("''", condition)
    found: list[str] = []
    for name in _IDENTIFIER.findall(bare):
        if name not in _NOT_COLUMNS and name not in found:
            found.append(name)
    return found


def _gx_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Only the columns the suite reads, in dtypes GX handles: text stays pandas' `str` (cheap, Arrow),
    numbers become float64 (NaN for missing), nullable booleans become objects with None."""
    plain = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for name in columns:
        column = frame[name].reset_index(drop=True)
        if isinstance(column.dtype, pd.BooleanDtype):
            plain[name] = column.astype("object").where(column.notna(), None)
        elif pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
            plain[name] = column.astype("float64")
        else:
            plain[name] = column
    plain[POSITION_COLUMN] = np.arange(len(frame))
    return plain


def run_suite(dataset: str, frame: pd.DataFrame) -> list[RuleFailure]:
    """Validate `frame` against the dataset's suite; return the failing rows per expectation.

    On large frames expectations are run in groups that read the same columns, each on a frame of just
    those columns: GX drops the rows with missing values from the whole batch frame before every
    expectation, so a narrow frame is what keeps an optional, mostly empty column cheap at a million rows
    (0.8 s → 0.1 s each). Small frames (one institution's file) go in one run: there the fixed cost of a
    run is what counts (20 runs ≈ 0.9 s, one run ≈ 0.1 s).
    """
    document = suite_document(dataset)
    expectations = [e for e in document["expectations"] if _columns_present(e, frame)]
    if not expectations or frame.empty:
        return []
    # GX runs only the expectations a vectorised check of the same rule cannot show to hold: a clean file
    # costs no GX run (and, in a new process, no 3–4 s import of great_expectations); GX alone says which
    # rows fail
    plain = _gx_frame(frame, _referenced_columns(expectations))
    expectations = [e for e in expectations if not holds(e, plain)]
    if not expectations:
        return []
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    if len(frame) < NARROW_FROM_ROWS:
        # a school's file: each GX run costs ~40 ms whatever the size, so one run over all columns
        groups[tuple(_referenced_columns(expectations))] = expectations
    else:
        for item in expectations:
            groups.setdefault(tuple(_referenced_columns([item])), []).append(item)
    failures: list[RuleFailure] = []
    for columns, group in groups.items():
        failures.extend(_run_group(dataset, _gx_frame(frame, list(columns)), group))
    return failures


def _run_group(dataset: str, gx_frame: pd.DataFrame, expectations: list[dict[str, Any]]) -> list[RuleFailure]:
    batch = _batch_definition(dataset).get_batch(batch_parameters={"dataframe": gx_frame})
    summary = batch.validate(_suite(dataset, expectations), result_format="SUMMARY")
    failed, errored = [], []
    for result in summary.results:
        item = expectations[result.expectation_config.meta["_idx"]]
        if result.exception_info.get("raised_exception", False):
            errored.append(item)
        elif not result.success:
            failed.append(item)
    if errored:
        raise RuntimeError(
            "expectation suite failed to run: " + ", ".join(f"{e['type']}({e['kwargs']})" for e in errored)
        )
    if not failed:
        return []
    detailed = batch.validate(
        _suite(dataset, failed),
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [POSITION_COLUMN]},
    )
    failures: list[RuleFailure] = []
    for result in detailed.results:
        item = failed[result.expectation_config.meta["_idx"]]
        rows = result.result.get("unexpected_index_list") or []
        positions = np.array(sorted({int(row[POSITION_COLUMN]) for row in rows}), dtype=np.int64)
        if positions.size == 0:
            continue
        meta = item["meta"]
        failures.append(RuleFailure(positions, meta["column"], meta["rule"], meta["message_ru"]))
    return failures


def _columns_present(expectation: dict[str, Any], frame: pd.DataFrame) -> bool:
    kwargs = expectation["kwargs"]
    names = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    return all(name in frame.columns for name in names)


_MISSING_IGNORED = ("both_values_are_missing", "either_value_is_missing")


def holds(expectation: dict[str, Any], frame: pd.DataFrame) -> bool:
    """True when `expectation` certainly holds on `frame` (a `_gx_frame`), by the rule GX's pandas engine
    applies: the row condition through DataFrame.query, missing values skipped by the map expectations.
    False when a row may break it, or for a kind or option not checked here: GX then runs it."""
    kind, kwargs = expectation["type"], expectation["kwargs"]
    known = {"column", "value_set", "min_value", "max_value", "regex", "row_condition", "condition_parser"}
    known |= {"column_A", "column_B", "ignore_row_if", "or_equal"}
    if set(kwargs) - known:  # mostly, strict bounds, parse_strings_as_datetimes …: GX decides
        return False
    condition = kwargs.get("row_condition")
    if condition is not None:
        if kwargs.get("condition_parser") != "pandas" or not isinstance(condition, str):
            return False
        frame = frame.query(condition, parser="pandas")
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        return _pair_holds(frame, kwargs)
    column = frame[kwargs["column"]]
    if kind == "expect_column_values_to_not_be_null":
        return not bool(column.isna().any())
    if kind == "expect_column_values_to_be_null":
        return bool(column.isna().all())
    present = column.dropna()
    if kind == "expect_column_values_to_be_in_set":
        return bool(present.isin(list(kwargs["value_set"])).all())
    if kind == "expect_column_values_to_not_be_in_set":
        return not bool(present.isin(list(kwargs["value_set"])).any())
    if kind == "expect_column_values_to_be_between":
        if not pd.api.types.is_float_dtype(present.dtype):
            return False
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if (low is not None and not isinstance(low, int | float)) or (
            high is not None and not isinstance(high, int | float)
        ):
            return False
        ok = pd.Series(True, index=present.index)
        if low is not None:
            ok &= present >= low
        if high is not None:
            ok &= present <= high
        return bool(ok.all())
    if kind == "expect_column_values_to_match_regex":
        return bool(present.astype(str).str.contains(kwargs["regex"], regex=True).all())
    return False


def _pair_holds(frame: pd.DataFrame, kwargs: dict[str, Any]) -> bool:
    if kwargs.get("ignore_row_if") not in _MISSING_IGNORED:
        return False
    a, b = frame[kwargs["column_A"]], frame[kwargs["column_B"]]
    if not (pd.api.types.is_float_dtype(a.dtype) and pd.api.types.is_float_dtype(b.dtype)):
        return False
    if kwargs["ignore_row_if"] == "either_value_is_missing":
        keep = a.notna() & b.notna()
    else:
        keep = a.notna() | b.notna()
        if (a[keep].isna() | b[keep].isna()).any():
            return False  # a row with one value missing: GX's comparison decides
    a, b = a[keep], b[keep]
    return bool((a >= b).all() if kwargs.get("or_equal") else (a > b).all())
