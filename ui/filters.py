"""The sidebar filters, kept in the URL's query parameters.

`?period=2024/2025&mun=…&type=school&inst=…` — a view can be shared and survives a reload. The URL is read
first; without any filter parameter (after a page switch) the session's last choice is used. A parameter
that does not match the warehouse falls back to its default with a notice, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from auth.identity import User
from ui import data, messages
from ui.data import Context
from warehouse import queries
from warehouse.queries import INST_TYPES, Scope

PARAMS = ("period", "mun", "type", "inst")
STORE_KEY = "_imc_filters"
_PARAM_LABELS = {
    "period": messages.F_PERIOD,
    "mun": messages.F_MUNICIPALITY,
    "type": messages.F_INST_TYPE,
    "inst": messages.F_INST,
}


@dataclass(frozen=True)
class Selection:
    period: str
    municipality: str | None
    inst_type: str | None
    inst_id: str | None
    multi_municipality: bool
    notices: tuple[str, ...] = ()

    @property
    def scope(self) -> Scope:
        return Scope(self.period, self.municipality, self.inst_type, self.inst_id)

    @property
    def by(self) -> str:
        """Tables and charts list municipalities at region level, institutions within a municipality."""
        return "municipality" if self.multi_municipality and self.municipality is None else "institution"

    def params(self) -> dict[str, str]:
        out = {"period": self.period}
        if self.municipality and self.multi_municipality:
            out["mun"] = self.municipality
        if self.inst_type:
            out["type"] = self.inst_type
        if self.inst_id:
            out["inst"] = self.inst_id
        return out


def _shown(value: Any) -> str:
    """A hostile parameter, made harmless for a notice: one line, no markup, at most 40 characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(value))
    text = text if len(text) <= 40 else text[:40] + "…"
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~$-])", r"\\\1", text)


def _one(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None else str(value)


def resolve(
    url: Mapping[str, Any],
    stored: Mapping[str, str],
    periods: list[str],
    institutions: pd.DataFrame,
) -> Selection:
    """The selection a run shows, from the URL (or, without filter parameters, the stored choice)."""
    from_url = any(k in url for k in PARAMS)
    source = {k: _one(url.get(k)) for k in PARAMS} if from_url else {k: stored.get(k) for k in PARAMS}
    notices: list[str] = []

    def bad(key: str, value: str, fallback: str) -> None:
        if from_url:
            notices.append(
                messages.BAD_PARAM.format(name=_PARAM_LABELS[key], value=_shown(value), fallback=fallback)
            )

    latest = periods[-1]
    period = source["period"]
    if period is None or period == "":
        period = latest
    elif period not in periods:
        bad("period", period, latest)
        period = latest

    municipalities = sorted(set(institutions["municipality"])) if not institutions.empty else []
    multi = len(municipalities) > 1
    mun = source["mun"] or None
    if not multi:
        if mun is not None and mun not in municipalities:
            bad("mun", mun, municipalities[0] if municipalities else messages.REGION)
        mun = municipalities[0] if municipalities else None
    elif mun is not None and mun not in municipalities:
        bad("mun", mun, messages.ALL_MUNICIPALITIES.lower())
        mun = None

    itype = source["type"] or None
    if itype == "all":
        itype = None
    if itype is not None and itype not in INST_TYPES:
        bad("type", itype, messages.ALL_TYPES.lower())
        itype = None

    inst = source["inst"] or None
    if inst is not None:
        rows = institutions[institutions["inst_id"] == inst]
        if rows.empty:
            bad("inst", inst, messages.ALL_INSTITUTIONS.lower())
            inst = None
        else:
            row = rows.iloc[0]
            if (mun is not None and row["municipality"] != mun) or (
                itype is not None and row["inst_type"] != itype
            ):
                bad("inst", inst, messages.ALL_INSTITUTIONS.lower())
                inst = None
            elif multi and mun is None:
                # an institution belongs to one municipality: show it against its own
                mun = str(row["municipality"])
    return Selection(period, mun, itype, inst, multi, tuple(notices))


def institution_options(institutions: pd.DataFrame, mun: str | None, itype: str | None) -> dict[str, str]:
    """inst_id → a unique label, for the institution selectbox."""
    rows = institutions
    if mun is not None:
        rows = rows[rows["municipality"] == mun]
    if itype is not None:
        rows = rows[rows["inst_type"] == itype]
    labels = rows["short_name"].astype(str)
    dup = labels.duplicated(keep=False)
    labels = labels.where(~dup, labels + " (" + rows["inst_id"].astype(str) + ")")
    return dict(zip(rows["inst_id"].astype(str), labels, strict=True))


@st.cache_data(show_spinner=False, max_entries=64)
def _registry_lists(
    db_path: str, version: tuple[int, int] | None, user: User, mun: str | None, itype: str | None
) -> tuple[dict[str, tuple[str, str]], list[str], dict[str, str]]:
    """What the sidebar needs from the registry, computed once per warehouse version and filter (a country
    registry has 40,000 institutions): inst_id → (municipality, type), the municipalities, and the
    institution options of the chosen municipality and type."""
    institutions = data.cached_call(queries.list_institutions, db_path, version, user)
    ids = institutions["inst_id"].astype(str).tolist()
    membership = dict(
        zip(
            ids,
            zip(
                institutions["municipality"].astype(str).tolist(),
                institutions["inst_type"].astype(str).tolist(),
                strict=True,
            ),
            strict=True,
        )
    )
    muns = sorted(set(institutions["municipality"]))
    return membership, muns, institution_options(institutions, mun, itype)


def _write_url(params: dict[str, str]) -> None:
    qp = st.query_params
    for key in PARAMS:
        want = params.get(key)
        have = qp.get(key)
        if want is None and key in qp:
            del qp[key]
        elif want is not None and have != want:
            qp[key] = want


def _on_change(param: str, widget_key: str, membership: dict[str, tuple[str, str]]) -> None:
    """A widget changed: put its value into the URL (the run that follows reads it from there)."""
    value = st.session_state.get(widget_key)
    qp = st.query_params
    current = {k: qp.get(k) for k in PARAMS if k in qp}
    if "period" not in current:
        stored = st.session_state.get(STORE_KEY, {})
        current.update({k: v for k, v in stored.items() if v})
    if value:
        current[param] = str(value)
    else:
        current.pop(param, None)
    inst = current.get("inst")
    if param in ("mun", "type") and inst in membership:
        mun, itype = membership[inst]
        if (current.get("mun") and current["mun"] != mun) or (
            current.get("type") and current["type"] != itype
        ):
            current.pop("inst", None)
    if param == "inst" and value and value in membership and "mun" in current:
        current["mun"] = membership[value][0]
    _write_url(current)


def open_institution(params: Mapping[str, str], inst_id: str) -> None:
    """A button's callback: show `inst_id` with the other filters of `params`, through the URL (so that a
    copied address opens the same view). A st.page_link to the page already open drops its query
    parameters in Streamlit 1.67, so drill-downs on the same page use a button with this callback."""
    _write_url({**params, "inst": inst_id})


def _select(
    label: str,
    param: str,
    options: list[str],
    value: str,
    labels: Mapping[str, str],
    membership: dict[str, tuple[str, str]],
) -> None:
    widget_key = f"_imc_f_{param}"
    st.session_state[widget_key] = value
    st.selectbox(
        label,
        options,
        key=widget_key,
        format_func=lambda code: labels.get(code, code),
        placeholder="Выберите…",
        on_change=_on_change,
        args=(param, widget_key, membership),
    )


def sidebar_filters(ctx: Context, *, institution: bool = True) -> Selection:
    """Render the filters in the sidebar and return what the page should show."""
    periods = list(ctx.state.periods)
    institutions = ctx.q(queries.list_institutions)
    sel = resolve(st.query_params.to_dict(), st.session_state.get(STORE_KEY, {}), periods, institutions)
    membership, muns, options = _registry_lists(
        ctx.db_path, ctx.version, ctx.user, sel.municipality, sel.inst_type
    )
    with st.sidebar:
        st.header(messages.FILTER_HEADER)
        _select(
            messages.F_PERIOD,
            "period",
            periods[::-1],
            sel.period,
            {p: p for p in periods},
            membership,
        )
        if sel.multi_municipality:
            _select(
                messages.F_MUNICIPALITY,
                "mun",
                ["", *muns],
                sel.municipality or "",
                {"": messages.ALL_MUNICIPALITIES},
                membership,
            )
        _select(
            messages.F_INST_TYPE,
            "type",
            ["", *INST_TYPES],
            sel.inst_type or "",
            {"": messages.ALL_TYPES, **{t: messages.inst_type_label(t) for t in INST_TYPES}},
            membership,
        )
        if institution:
            _select(
                messages.F_INST,
                "inst",
                ["", *options],
                sel.inst_id or "",
                {"": messages.ALL_INSTITUTIONS, **options},
                membership,
            )
    selected = sel.params()
    if not institution:
        selected.pop("inst", None)
    _write_url(selected)
    st.session_state[STORE_KEY] = selected
    for notice in sel.notices:
        st.warning(notice, icon="⚠️")
    return sel
