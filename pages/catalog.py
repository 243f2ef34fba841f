"""Справочник показателей: every indicator with its name, formula, unit, direction, source and target."""

import streamlit as st

from ru import fmt
from ui import messages, widgets
from ui.views import tables as views
from warehouse import queries
from warehouse.catalog import area_names

ctx = widgets.start(messages.PAGE_TITLES["catalog"])
catalog = views.Catalog(ctx.q(queries.indicator_catalog))
st.caption(
    "Все числа на страницах мониторинга — значения этих показателей. Доли и показатели «на 100» "
    "считаются по сумме числителей и знаменателей, а не как среднее значений организаций."
)

code = st.query_params.get("code")
if code is not None:
    if code in catalog:
        info = catalog.info(code)
        with st.container(border=True):
            st.subheader(info["name_ru"])
            st.markdown(
                f"**Код:** `{info['indicator_code']}` · **Раздел:** {area_names().get(info['area'], '')}"
            )
            st.markdown(f"**Что показывает.** {info.get('description_ru') or '—'}")
            st.markdown(f"**Формула.** {info.get('formula_ru') or '—'}")
            st.markdown(
                f"**Единица:** {info.get('unit') or '—'} · **Направление:** "
                f"{messages.DIRECTIONS.get(str(info.get('direction')), '—')} · **Цель:** "
                f"{fmt.value(info['target'], info.get('unit')) if info.get('target') is not None else 'не установлена'}"
            )
            st.markdown(f"**Источник:** {info.get('source_ru') or '—'}")
    else:
        st.warning("Показатель из ссылки не найден в справочнике — показан весь справочник.", icon="⚠️")

left, right = st.columns([3, 2])
with left:
    query = st.text_input(
        "Поиск по названию, коду или формуле", key="catalog_search", placeholder="например, категория"
    )
with right:
    areas = ["", "staff", "ict", "innovation", "results"]
    area = st.selectbox(
        "Раздел",
        areas,
        format_func=lambda a: area_names().get(a, "Все разделы"),
        key="catalog_area",
    )
table = views.catalog_table(catalog, query or "", area or None)
st.caption(f"Показателей: {len(table)} из {len(catalog.frame)}")
widgets.table(
    views.Table(frame=table),
    key="catalog_table",
    title="Справочник показателей мониторинга",
    file_stem="spravochnik_pokazatelei",
)

st.subheader("Минимальные баллы ЕГЭ")
st.caption(
    "Результат ЕГЭ ниже минимального балла по предмету считается непреодолением порога (показатель "
    "«Доля результатов ГИА-11 ниже минимального порога»). Баллы — настройки хранилища; для учебного года, "
    "в котором минимум другой, действует его собственное значение."
)
st.dataframe(views.min_scores_table(ctx.q(queries.ege_min_scores)), hide_index=True, key="catalog_min_scores")
