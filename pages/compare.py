"""Сравнение: an institution against its municipality and its peers (same type, similar size), its strengths
and weaknesses, 2–6 institutions side by side, and the institution's passport (DOCX).

The link keeps everything: `?period=…&inst=…` (the sidebar filters), `with=ID,ID,…` (side by side) and
`codes=CODE,…` (the indicators compared side by side)."""

import functools

import streamlit as st

from ru import fmt
from ui import filters, messages, widgets
from ui.views import compare as cc
from ui.views import export, safe
from ui.views import tables as views
from warehouse import compare, queries
from warehouse.catalog import area_names


def passport_bytes(db_path, user, inst_id, period):  # type: ignore[no-untyped-def]
    # python-docx and matplotlib only when a passport is asked for
    from reports.passport import build_passport

    return build_passport(db_path, user, inst_id, period)


def keep_in_url(param, widget_key):  # type: ignore[no-untyped-def]
    """A multiselect changed: its values go into the link (an emptied choice stays empty, not the default)."""
    st.query_params[param] = cc.join_list(st.session_state.get(widget_key) or [])


ctx = widgets.start(cc.PAGE_TITLE)
stored = st.session_state.get(filters.STORE_KEY, {})
if ctx.user.person_scope and "inst" not in st.query_params and not stored.get("inst"):
    # a director lands on their own institution
    st.query_params["inst"] = ctx.user.person_scope
sel = filters.sidebar_filters(ctx)
catalog = views.Catalog(ctx.q(queries.indicator_catalog))
institutions = ctx.q(queries.list_institutions)
labels = filters.institution_options(institutions, None, None)

if not sel.inst_id:
    st.info(
        "Выберите организацию в боковой панели: её показатели будут сопоставлены со значениями "
        "муниципалитета и организаций того же типа и близкой численности обучающихся.",
        icon="ℹ️",
    )
    st.stop()

inst = ctx.q(compare.institution_info, sel.inst_id)
group = ctx.q(compare.peer_group, sel.inst_id, sel.period)
members = ctx.q(compare.peer_members, sel.inst_id, sel.period)
profile = ctx.q(compare.institution_profile, sel.inst_id, sel.period)
previous = ctx.q(compare.previous_period, sel.period)
where = inst.municipality
inst_label = labels.get(inst.inst_id, inst.short_name)

st.subheader(safe.md(inst.name))
st.caption(
    safe.md(
        f"{messages.inst_type_label(inst.inst_type)} · {where} · {sel.period} учебный год"
        + (f" · изменение к {previous}" if previous else "")
    )
)
if profile["value"].isna().all():
    st.warning(f"Организация не представила сведения за {sel.period} учебный год.", icon="⚠️")
notice = safe.md(cc.peer_group_text(group, where))
if group.too_small:
    st.info(notice, icon="ℹ️")
else:
    st.markdown(notice)
if not members.empty:
    with st.expander(f"Организации группы сравнения ({fmt.integer(len(members))})"):
        st.dataframe(cc.members_table(members), hide_index=True, key="cmp_members")

tab_profile, tab_charts, tab_side, tab_passport = st.tabs(
    ["Профиль", "Графики", "Рядом: несколько организаций", "Паспорт организации"]
)

with tab_profile:
    sides = cc.strengths_items(compare.strengths_weaknesses(profile))
    left, right = st.columns(2)
    for col, side in ((left, "strength"), (right, "weakness")):
        with col, st.container(border=True):
            st.markdown(f"**{cc.SIDE_TITLES[side]}**")
            for line in sides[side] or [cc.NO_SIDE[side]]:
                st.markdown(f"- {safe.md(line)}")
    st.caption(cc.PROFILE_NOTE)
    for area in cc.AREAS:
        part = profile[profile["area"] == area]
        if part.empty:
            continue
        st.markdown(f"**{area_names()[area]}**")
        st.dataframe(cc.profile_rows(part), hide_index=True, key=f"cmp_profile_{area}")
        if area == "results":
            st.caption(cc.RESULTS_NOTE)
    st.download_button(
        "Скачать профиль в Excel",
        data=functools.partial(
            export.excel_bytes,
            cc.profile_export(profile),
            sheet="Профиль",
            title=views.title(f"Сравнение: {inst.short_name}", sel.period, where),
        ),
        file_name=export.file_name(f"sravnenie_{inst.inst_id}", sel.period),
        mime=export.XLSX_MIME,
        key="cmp_profile_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )

with tab_charts:
    for area in cc.AREAS:
        part = profile[profile["area"] == area]
        fig = cc.bullet_chart(
            part,
            views.title(area_names()[area], sel.period, inst_label),
            inst_label,
            inst.inst_type,
        )
        widgets.chart(fig, key=f"cmp_bullet_{area}", missing=cc.missing_names(part))
    fig = cc.percentile_radar(
        profile,
        views.title("Процентили в группе сравнения", sel.period, inst_label),
        inst_label,
        inst.inst_type,
    )
    widgets.chart(fig, key="cmp_radar")
    st.caption(cc.RADAR_NOTE)

with tab_side:
    chosen, dropped = cc.parse_list(st.query_params.get_all("with"), list(labels), compare.MAX_SIDE_BY_SIDE)
    if not chosen and ("with" not in st.query_params or dropped):
        chosen = cc.default_side_by_side(sel.inst_id, members)
    all_codes = cc.compared_codes(list(catalog.frame["indicator_code"]))
    codes, dropped_codes = cc.parse_list(st.query_params.get_all("codes"), all_codes)
    if not codes and ("codes" not in st.query_params or dropped_codes):
        codes = cc.compared_codes([c for area in cc.AREAS for c in catalog.key_codes(area)])
    if dropped or dropped_codes:
        st.warning(cc.DROPPED_NOTICE, icon="⚠️")
        # the link keeps only what was understood
        for param, values in (("with", chosen), ("codes", codes)):
            if param in st.query_params:
                st.query_params[param] = cc.join_list(values)
    st.session_state["_cmp_with"] = chosen
    st.multiselect(
        f"Организации (от {compare.MIN_SIDE_BY_SIDE} до {compare.MAX_SIDE_BY_SIDE})",
        list(labels),
        key="_cmp_with",
        format_func=lambda i: labels.get(i, i),
        max_selections=compare.MAX_SIDE_BY_SIDE,
        placeholder="Выберите организации…",
        on_change=keep_in_url,
        args=("with", "_cmp_with"),
    )
    st.session_state["_cmp_codes"] = codes
    st.multiselect(
        "Показатели",
        all_codes,
        key="_cmp_codes",
        format_func=lambda c: str(catalog.info(c)["name_ru"]),
        placeholder="Выберите показатели…",
        on_change=keep_in_url,
        args=("codes", "_cmp_codes"),
    )
    if len(chosen) < compare.MIN_SIDE_BY_SIDE or not codes:
        st.info(cc.SIDE_BY_SIDE_HINT, icon="ℹ️")
    else:
        long = ctx.q(compare.side_by_side, chosen, codes, sel.period)
        muns = sorted(set(institutions.loc[institutions["inst_id"].isin(chosen), "municipality"]))
        total = None
        if len(muns) == 1:
            series = ctx.q(queries.aggregate_series, codes, muns[0], None)
            total = series[series["period"] == sel.period]
        tbl = views.indicator_table(
            long,
            catalog,
            codes,
            by="institution",
            total=total,
            total_label=views.total_label(muns[0] if total is not None else None),
        )
        widgets.table(
            tbl,
            key="cmp_side_table",
            title=views.title("Организации рядом", sel.period, ", ".join(muns)),
            file_stem="ryadom",
            period=sel.period,
        )
        if long["masked"].any():
            st.caption(cc.SIDE_MASKED_NOTE)
        shown = {i: labels.get(i, i) for i in chosen}
        for unit, fig in cc.side_by_side_figures(
            long, {c: catalog.info(c) for c in codes}, codes, shown, sel.period
        ):
            widgets.chart(fig, key=f"cmp_side_{unit}")
    st.caption(cc.SHARE_NOTE)

with tab_passport:
    st.markdown(cc.PASSPORT_ABOUT)
    if compare.may_generate_passport(ctx.user, sel.inst_id):
        st.download_button(
            "Скачать паспорт организации (DOCX)",
            data=functools.partial(passport_bytes, ctx.db_path, ctx.user, sel.inst_id, sel.period),
            file_name=cc.passport_file_name(sel.inst_id, sel.period),
            mime=cc.DOCX_MIME,
            key="cmp_passport",
            icon=":material/description:",
            on_click="ignore",
        )
    else:
        st.caption(cc.PASSPORT_DENIED)
