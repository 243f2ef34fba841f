"""The data contract's codes in Russian («school» → «Общеобразовательная организация»), capitalised for a
table cell: the dashboards and the documents read them here, the words themselves are the contract's."""

from __future__ import annotations

from etl import contract


def inst_type_label(code: str) -> str:
    return contract.label_ru(contract.INST_TYPES, code).capitalize()


def locality_label(code: str) -> str:
    return contract.label_ru(contract.LOCALITIES, code).capitalize()


def position_label(code: str) -> str:
    return contract.label_ru(contract.POSITIONS, code).capitalize()


def category_label(code: str) -> str:
    return contract.label_ru(contract.CATEGORIES, code).capitalize()


def level_label(code: str) -> str:
    return contract.label_ru(contract.LEVELS, code).capitalize()


def activity_label(code: str) -> str:
    return contract.label_ru(contract.ACTIVITY_TYPES, code).capitalize()
