"""The upload page's Streamlit parts: the templates, the uploader, the handler that loads the files with
the command line's own load function (etl.loader.load_files) showing a progress bar per file, and the
summary that stays on the page afterwards.

The loader (and with it great_expectations) is imported inside the handler only: opening the page costs
nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from auth.identity import User
from etl.contract import DATASETS, LOAD_ORDER
from ru import fmt, labels
from ui import messages, widgets
from ui.data import Context
from ui.views import export, safe
from ui.views import quality as views
from ui.views.tables import Table
from warehouse import quality

RESULT_KEY = "_imc_upload_outcome"
UPLOADER_ROUND_KEY = "_imc_upload_round"


@dataclass
class Outcome:
    """What a load gave, kept in the session so that the summary survives reruns (a download, a filter)."""

    results: list[Any] = field(default_factory=list)  # etl.loader.FileResult
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=views.ERROR_COLUMNS))
    cli_text: str = ""
    exit_code: int = 0
    failure: str | None = None  # the load did not run (busy warehouse, internal error)


# ----------------------------------------------------------------------------------------- templates
@st.cache_data(show_spinner=False)
def template_bytes(dataset: str) -> bytes:
    """The XLSX template of a dataset, as `python -m etl templates` writes it."""
    from etl.templates import build_template, save_reproducibly

    buffer = io.BytesIO()
    save_reproducibly(build_template(DATASETS[dataset]), buffer)  # type: ignore[arg-type]
    return buffer.getvalue()


def templates() -> None:
    from etl.templates import template_path

    st.caption(messages.UPLOAD_TEMPLATES)
    cols = st.columns(len(LOAD_ORDER))
    for col, name in zip(cols, LOAD_ORDER, strict=True):
        with col:
            st.download_button(
                labels.DATASET_NAMES[name],
                data=functools.partial(template_bytes, name),
                file_name=template_path(Path("."), name).name,
                mime=export.XLSX_MIME,
                key=f"template_{name}",
                icon=":material/download:",
                on_click="ignore",
                width="stretch",
                help=DATASETS[name].title_ru,
            )


# ----------------------------------------------------------------------------------------- uploader
def uploader(limit_mb: float) -> list[Any]:
    """The file picker. No type filter in the widget: a wrong file reaches the loader, which rejects it
    with a Russian explanation (the widget's own message would be in English) and records it in the log."""
    st.caption(messages.UPLOAD_LIMITS.format(limit=f"{limit_mb:g}"))
    round_ = st.session_state.get(UPLOADER_ROUND_KEY, 0)
    files = st.file_uploader(
        "Файлы организаций",
        accept_multiple_files=True,
        key=f"upload_files_{round_}",
        max_upload_size=max(1, math.ceil(limit_mb)),
        help="Перетащите файлы сюда или нажмите кнопку выбора.",
    )
    return list(files or [])


def dataset_choice() -> str | None:
    options = ["", *LOAD_ORDER]
    labels = {"": messages.UPLOAD_DATASET_AUTO, **{n: DATASETS[n].title_ru for n in LOAD_ORDER}}
    chosen = st.selectbox(
        messages.UPLOAD_DATASET,
        options,
        format_func=lambda n: labels[n],
        key="upload_dataset",
        help="Обычно набор определяется по заголовкам столбцов; укажите его, если все файлы одного набора.",
    )
    return chosen or None


# ----------------------------------------------------------------------------------------- handler
class _Bars:
    """The progress bars of a load: one per file and one for the whole load, redrawn only when changed."""

    def __init__(self, tracker: views.FileProgress) -> None:
        self.tracker = tracker
        self.files = [st.progress(0.0, text=self._file_text(i)) for i in range(len(tracker.names))]
        self.overall = st.progress(0.0, text=messages.UPLOAD_RUNNING)
        self.drawn: list[tuple[float, str]] = list(tracker.files)
        self.drawn_overall = (0.0, messages.UPLOAD_RUNNING)

    def _file_text(self, i: int) -> str:
        return f"{safe.md(self.tracker.names[i])} — {safe.md(self.tracker.files[i][1])}"

    def draw(self) -> None:
        for i, bar in enumerate(self.files):
            if self.tracker.files[i] != self.drawn[i]:
                bar.progress(self.tracker.files[i][0], text=self._file_text(i))
                self.drawn[i] = self.tracker.files[i]
        if self.tracker.overall != self.drawn_overall:
            fraction, text = self.tracker.overall
            label = text if text == messages.UPLOAD_DONE else f"{messages.UPLOAD_RUNNING} {safe.md(text)}"
            self.overall.progress(fraction, text=label)
            self.drawn_overall = self.tracker.overall


def run_upload(
    ctx: Context, files: Sequence[Any], *, dataset: str | None = None, force: bool = False
) -> Outcome:
    """Load the uploaded files with etl.loader.load_files — the function `python -m etl load` calls — with a
    progress bar per file; then clear the dashboards' caches and keep the outcome in the session.

    A director may load only their own institution's rows (`allowed_inst_ids`); the head of the education
    department may not load at all (the page does not offer it; refused here too).
    """
    if ctx.user.role == "head":
        raise PermissionError("the head of the education department does not load files")
    from etl.loader import DiskFull, InputFile, load_files
    from etl.summary import print_summary
    from warehouse.db import LoadLockBusy

    inputs = [InputFile(name=str(f.name), data=bytes(f.getvalue())) for f in files]
    allowed = {ctx.user.inst_id} if ctx.user.role == "director" and ctx.user.inst_id else None
    tracker = views.FileProgress([i.name for i in inputs])
    outcome = Outcome()
    with st.status(messages.UPLOAD_RUNNING, expanded=True) as status:
        bars = _Bars(tracker)

        def progress(fraction: float, text: str) -> None:
            tracker.update(fraction, text)
            bars.draw()

        try:
            result = load_files(
                inputs,
                ctx.db_path,
                dataset=dataset,
                force=force,
                allowed_inst_ids=allowed,
                progress=progress,
                uploaded_by=ctx.user.login,
            )
        except LoadLockBusy:
            outcome.failure = messages.UPLOAD_BUSY
        except DiskFull as exc:  # the warehouse is unchanged; the message says how much room is needed
            outcome.failure = exc.message_ru
        except Exception as exc:  # our own bug: say so, keep the traceback for the administrator
            detail = "".join(traceback.format_exception_only(exc)).strip()
            outcome.failure = messages.UPLOAD_INTERNAL.format(detail=safe.md(detail[:300]))
            st.session_state["_imc_upload_traceback"] = traceback.format_exc()
        if outcome.failure is not None:
            status.update(label=messages.UPLOAD_FAILED, state="error", expanded=True)
        else:
            tracker.finish(result.files)
            bars.draw()
            status.update(label=messages.UPLOAD_DONE, state="complete", expanded=True)
    if outcome.failure is None:
        # every page shows the new state at once (the caches are keyed on the file's version as well)
        st.cache_data.clear()
        outcome.results = list(result.files)
        outcome.exit_code = result.exit_code
        quarantined = quality.upload_errors(ctx.db_path, ctx.user, [f.batch_id for f in result.files])
        outcome.errors = views.errors_frame(result.files, quarantined)
        text = io.StringIO()
        print_summary(summary_for(ctx.user, result, quarantined), text)
        outcome.cli_text = text.getvalue()
        # a fresh, empty file picker for the next files
        st.session_state[UPLOADER_ROUND_KEY] = st.session_state.get(UPLOADER_ROUND_KEY, 0) + 1
    st.session_state[RESULT_KEY] = outcome
    return outcome


def summary_for(user: User, result: Any, quarantined: pd.DataFrame) -> Any:
    """The load's result as the text summary shows it to `user`: a director's «first errors» come from
    `quarantined` (warehouse.quality.upload_errors for that director), so the rows of other institutions
    carry no values there either — only the file, the row and that it was refused."""
    if user.person_scope is None:
        return result
    from etl.loader import MAX_ERRORS_IN_SUMMARY

    files = []
    for f in result.files:
        part = quarantined[quarantined["batch_id"] == f.batch_id] if not quarantined.empty else quarantined
        lines = [
            f"Файл «{f.source_file}», строка {r.row_number}: {views.rule_name(r.rule)} {messages.UPLOAD_WITHHELD}"
            if fmt.is_missing(r.message_ru)
            else str(r.message_ru)
            for r in part.head(MAX_ERRORS_IN_SUMMARY).itertuples(index=False)
        ]
        files.append(dataclasses.replace(f, errors=lines, errors_total=len(part)))
    return dataclasses.replace(result, files=files)


# ----------------------------------------------------------------------------------------- summary
def show_outcome(outcome: Outcome | None) -> None:
    """The summary of the last load: the total line, a row per file, the errors (downloadable as Excel,
    all together or per file, to send back to the school) and the command line's text."""
    if outcome is None:
        return
    if outcome.failure is not None:
        st.error(outcome.failure)
        return
    st.subheader(messages.UPLOAD_RESULT_TITLE)
    total = views.total_line(outcome.results)
    {0: st.success, 1: st.warning}.get(outcome.exit_code, st.error)(total)
    widgets.table(
        views.file_summary(outcome.results),
        key="upload_summary",
        title="Файлы",
        file_stem="itog_zagruzki",
    )
    st.subheader(messages.UPLOAD_ERRORS_TITLE)
    errors = outcome.errors
    if errors.empty:
        text = views.no_errors_text(outcome.results)
        (st.success if text == messages.UPLOAD_NO_ERRORS else st.warning)(text)
    else:
        widgets.table(
            Table(frame=errors, units={"Строка": "ед."}),
            key="upload_errors",
            title=views.errors_title(),
            file_stem="oshibki_zagruzki",
            preview_rows=2000,
        )
        files_with_errors = list(dict.fromkeys(errors["Файл"]))
        if len(files_with_errors) > 1:
            st.caption("Ошибки каждого файла отдельно — чтобы отправить их организации:")
            cols = st.columns(min(3, len(files_with_errors)))
            for i, name in enumerate(files_with_errors):
                part = errors[errors["Файл"] == name].reset_index(drop=True)
                with cols[i % len(cols)]:
                    st.download_button(
                        f"Ошибки файла «{safe.md(name)}»",
                        data=functools.partial(
                            export.excel_bytes, part, sheet="Ошибки", title=views.errors_title(name)
                        ),
                        file_name=export.file_name(f"oshibki_{Path(name).stem}"),
                        mime=export.XLSX_MIME,
                        key=f"upload_errors_file_{i}",
                        icon=":material/download:",
                        on_click="ignore",
                    )
    with st.expander(messages.UPLOAD_CLI_TEXT):
        st.code(outcome.cli_text, language=None)
    st.page_link("pages/quality.py", label=messages.UPLOAD_QUALITY_POINTER, icon=":material/fact_check:")


def last_outcome() -> Outcome | None:
    outcome = st.session_state.get(RESULT_KEY)
    return outcome if isinstance(outcome, Outcome) else None
