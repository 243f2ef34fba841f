"""The data contract's codes in Russian («school» → «Общеобразовательная организация»), capitalised for a
table cell: the dashboards and the documents read them here, the words themselves are the contract's."""

from __future__ import annotations

import functools

from etl import contract


def code_label(values: dict[str, tuple[str, ...]], code: str) -> str:
    """The Russian label of `code` among the contract's `values`, capitalised."""
    return contract.label_ru(values, code).capitalize()


inst_type_label = functools.partial(code_label, contract.INST_TYPES)
locality_label = functools.partial(code_label, contract.LOCALITIES)
position_label = functools.partial(code_label, contract.POSITIONS)
category_label = functools.partial(code_label, contract.CATEGORIES)
level_label = functools.partial(code_label, contract.LEVELS)
activity_label = functools.partial(code_label, contract.ACTIVITY_TYPES)
