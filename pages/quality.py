"""Качество данных: who has submitted what for a period (completeness), a data-quality score per
institution, the data contract's warnings explained, the quarantine and the load history."""

import streamlit as st

from etl import undo
from ru import fmt, labels
from ui import auth, dq_widgets, filters, messages, widgets
from ui.views import quality as dq
from ui.views import safe
from ui.views import tables as views
from warehouse import lake, quality, queries

ctx = dq_widgets.start(messages.PAGE_TITLES["quality"])
if ctx.state.status == "missing":
    st.info(messages.NO_WAREHOUSE_YET, icon="ℹ️")
    if auth.may_open(ctx.user, "upload"):  # the head has no upload page
        st.page_link("pages/upload.py", label=messages.PAGE_TITLES["upload"], icon=":material/upload_file:")
    st.stop()

TAB_COMPLETENESS, TAB_SCORE, TAB_WARNINGS = "Полнота сведений", "Оценка качества", "Предупреждения"
TAB_QUARANTINE, TAB_LOG = "Карантин", "Журнал загрузок"

if ctx.state.ready:
    sel = filters.sidebar_filters(ctx, institution=False)
    where = views.scope_label(sel.municipality)
    long = ctx.q(quality.completeness, sel.period, sel.municipality, sel.inst_type)
    summary = dq.completeness_summary(long)
    scores = ctx.q(quality.quality_scores, sel.period, sel.municipality, sel.inst_type)
    warns = ctx.q(quality.warnings, sel.period, sel.municipality, sel.inst_type)
    st.caption(safe.md(f"{where} · {messages.inst_type_label(sel.inst_type)} · {fmt.period(sel.period)}"))
    cols = st.columns(4)
    cols[0].metric(
        "Представили всё",
        f"{fmt.integer(summary.complete)} из {fmt.integer(summary.total)}",
        help="Организации справочника, у которых за учебный год есть и сведения о кадрах, "
        "и сведения об информатизации (обязательные наборы).",
    )
    cols[0].caption(f"Доля: {fmt.percent(summary.share)}")
    cols[1].metric(
        "Не представили",
        fmt.integer(summary.missing_any),
        help="Организации, у которых нет сведений о кадрах или об информатизации (или все строки "
        "последнего файла попали в карантин).",
    )
    cols[1].caption(
        " · ".join(f"{labels.DATASET_NAMES[d].lower()}: {fmt.integer(n)}" for d, n in summary.missing.items())
    )
    cols[2].metric(
        "С ошибками",
        fmt.integer(summary.with_quarantine),
        help="Сведения представлены, но часть строк последней загрузки — в карантине.",
    )
    score_info = dq.score_summary(scores)
    cols[3].metric(
        "Оценка качества, средняя",
        fmt.number(score_info["mean"], 1) if score_info["mean"] is not None else fmt.MISSING,
        help="Среднее оценок организаций (0–100); как считается оценка — на вкладке «Оценка качества».",
    )
    cols[3].caption(f"Предупреждений за год: {fmt.integer(len(warns))}")
    tab_names = [TAB_COMPLETENESS, TAB_SCORE, TAB_WARNINGS, TAB_QUARANTINE, TAB_LOG]
else:
    st.info(messages.NO_PERIODS_YET, icon="ℹ️")
    tab_names = [TAB_QUARANTINE, TAB_LOG]
tabs = dict(zip(tab_names, st.tabs(tab_names), strict=True))

if TAB_COMPLETENESS in tabs:
    with tabs[TAB_COMPLETENESS]:
        st.caption(messages.COMPLETENESS_EXPLANATION)
        if sel.by == "municipality":
            widgets.table(
                dq.completeness_by_municipality(long),
                key="completeness_municipalities",
                title=views.title("Полнота сведений по муниципалитетам", sel.period, where),
                file_stem="polnota_municipalitety",
                period=sel.period,
            )
        dq_widgets.completeness_matrix(
            dq.completeness_matrix(long, with_municipality=sel.multi_municipality),
            key="completeness_matrix",
            title=views.title("Полнота сведений по организациям", sel.period, where),
            period=sel.period,
        )

if TAB_SCORE in tabs:
    with tabs[TAB_SCORE]:
        st.markdown(dq.score_explanation())
        st.caption(
            " · ".join(
                f"{messages.SCORE_BANDS[b]}: {fmt.integer(score_info[b])}" for b in messages.SCORE_BANDS
            )
        )
        widgets.table(
            dq.score_table(scores, with_municipality=sel.multi_municipality),
            key="score_table",
            title=views.title("Оценка качества данных организаций (сначала низкие)", sel.period, where),
            file_stem="ocenka_kachestva",
            period=sel.period,
        )

if TAB_WARNINGS in tabs:
    with tabs[TAB_WARNINGS]:
        explanations = dq.warning_explanations(ctx.q(queries.methodology_settings), ctx.state.periods[-1])
        counts = dq.warning_counts(warns)
        for rule, name in messages.WARNING_NAMES.items():
            st.markdown(f"**{name}** — {fmt.integer(counts[rule])}. {explanations[rule]}")
        if sel.period != ctx.state.periods[-1]:
            st.caption(
                f"Пропуски сведений проверяются для последнего учебного года; за {fmt.period(sel.period)} "
                "их видно на вкладке «Полнота сведений»."
            )
        rule = st.selectbox(
            "Предупреждение",
            ["", *messages.WARNING_NAMES],
            format_func=lambda r: messages.WARNING_NAMES.get(r, "Все предупреждения"),
            key="warnings_rule",
        )
        shown = warns[warns["rule"] == rule] if rule else warns
        widgets.table(
            dq.warnings_table(shown),
            key="warnings_table",
            title=views.title("Предупреждения", sel.period, where) + f": {fmt.integer(len(shown))}",
            file_stem="preduprezhdeniya",
            period=sel.period,
        )

with tabs[TAB_QUARANTINE]:
    st.caption(messages.QUARANTINE_NOTE)
    if ctx.user.person_scope:
        st.caption(messages.QUARANTINE_OWN_ONLY)
    options = dq.quarantine_options(ctx.q(quality.quarantine_facets))
    facets = (
        ("quarantine_inst", messages.F_INST, options.institutions, messages.ALL_INSTITUTIONS),
        ("quarantine_dataset", "Набор данных", options.datasets, messages.ALL),
        ("quarantine_rule", "Правило", options.rules, messages.ALL),
        ("quarantine_period", messages.F_PERIOD, {p: p for p in options.periods}, messages.ALL),
    )
    chosen = {}
    for column, (key, label, names, everything) in zip(st.columns(4), facets, strict=True):
        with column:  # "" = all; a name for each value
            chosen[key] = st.selectbox(
                label, ["", *names], format_func=lambda v, n=names, e=everything: n.get(v, e), key=key
            )
    q_inst, q_dataset, q_rule, q_period = chosen.values()
    hide = st.checkbox(messages.QUARANTINE_SUPERSEDED, value=True, key="quarantine_hide_superseded")
    rows = ctx.q(
        quality.quarantine_rows,
        inst_id=q_inst or None,
        dataset=q_dataset or None,
        rule=q_rule or None,
        period=q_period or None,
        hide_superseded=hide,
    )
    distinct = len(rows.drop_duplicates(["batch_id", "row_number"])) if not rows.empty else 0
    widgets.table(
        dq.quarantine_table(rows, show_superseded=not hide),
        key="quarantine_table",
        title=f"Строк в карантине: {fmt.integer(distinct)} (нарушений правил: {fmt.integer(len(rows))})",
        file_stem="karantin",
        preview_rows=1000,
    )

with tabs[TAB_LOG]:
    st.caption(
        "Каждый файл, переданный загрузчику (со страницы «Загрузка данных» или командой "
        "`python -m etl load`): когда, чем закончилась загрузка, сколько строк прочитано, загружено и "
        "помещено в карантин. Прочитано = загружено + в карантине."
    )
    if ctx.user.person_scope:
        st.caption(messages.LOAD_LOG_OWN_ONLY)
    log = ctx.q(quality.load_log)
    widgets.table(
        dq.load_log_table(log),
        key="load_log_table",
        title="Журнал загрузок (сначала новые)",
        file_stem="zhurnal_zagruzok",
        preview_rows=500,
    )
    if ctx.user.role == "admin" and lake.is_lake(ctx.db_path):
        # DuckLake keeps every load as a snapshot: an administrator may revert one (etl/undo.py, the same as
        # `python -m etl undo`); refused, with the reason, when a later load changed the same data
        with st.expander("Отменить загрузку"):
            choices = dq.undo_choices(log)
            if not choices:
                st.caption("Загрузок, которые можно отменить, нет.")
            else:
                batch = st.selectbox(
                    "Загрузка", list(choices), format_func=choices.__getitem__, key="undo_batch"
                )
                sure = st.checkbox(
                    "Я понимаю, что данные этой загрузки будут удалены, а заменённые ею — восстановлены",
                    key="undo_sure",
                )
                if st.button("Отменить загрузку", type="primary", disabled=not sure, key="undo_go"):
                    try:
                        done = undo.undo_load(ctx.db_path, batch, undone_by=ctx.user.login)
                    except undo.UndoRefused as exc:
                        st.error(safe.md(exc.message_ru))
                    else:
                        st.success(safe.md(undo.done_text(done)))
