"""The lists of who is due for attestation and training on Кадры: person-level, so a director always sees
their own institution's lists and is told so, whatever institution the page shows."""

from __future__ import annotations

import functools

import streamlit as st

from auth import identity
from ru import fmt
from ui import messages, widgets
from ui.area import AreaPage
from ui.views import safe
from ui.views import tables as views
from warehouse import queries

DUE_SHOWN = 500


def full_due_table(db_path: str, user: identity.User, scope: queries.Scope, kind: str) -> views.Table:
    return views.due_table(queries.staff_due_list(db_path, user, scope, kind), kind)


def due_lists(page: AreaPage) -> None:
    """The two lists (attestation with the lapsed categories first, then training), each with its counts by
    status and an Excel download of the whole list."""
    st.caption(messages.PERSONAL_DATA_NOTE)
    user = page.ctx.user
    scope = queries.due_scope(user, page.sel.scope)
    subject = page.subject
    if user.person_scope:
        institutions = page.ctx.q(queries.list_institutions)
        names = institutions.loc[institutions["inst_id"] == user.person_scope, "short_name"]
        subject = str(names.iloc[0]) if len(names) else user.person_scope
        other = page.inst_name if page.sel.inst_id and page.sel.inst_id != user.person_scope else None
        (st.info if other else st.caption)(safe.md(messages.due_own_only(subject, other)))
    for kind in queries.DUE_KINDS:
        statuses = page.ctx.q(queries.staff_due_statuses, scope, kind)
        total = sum(statuses.values())
        title = views.title(messages.DUE_TITLES[kind], page.sel.period, subject)
        if not total:
            st.markdown(f"**{safe.md(title)}**")
            st.caption(messages.DUE_EMPTY[kind])
            continue
        st.caption(safe.md(views.due_counts(kind, statuses)))
        # the page shows the first DUE_SHOWN people; the Excel file is the whole list, read when clicked
        widgets.table(
            views.due_table(page.ctx.q(queries.staff_due_list, scope, kind, limit=DUE_SHOWN), kind),
            key=f"due_{kind}",
            title=f"{title}: {fmt.integer(total)} чел.",
            file_stem=kind,
            period=page.sel.period,
            full=functools.partial(full_due_table, page.ctx.db_path, user, scope, kind),
            total_rows=total,
        )
