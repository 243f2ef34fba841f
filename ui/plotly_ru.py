"""Plotly's toolbar in Russian: Streamlit's bundled plotly.js carries only the English locales, so the
Russian one is passed with every chart in its `config` (`locales` + `locale`, plotly.js's documented way
to register a locale per chart). The keys are plotly.js's own English strings."""

from __future__ import annotations

from typing import Any

DICTIONARY = {
    "Autoscale": "Автомасштаб",
    "Box Select": "Выделить прямоугольником",
    "Compare data on hover": "Сравнить значения при наведении",
    "Download plot": "Скачать график",
    "Download plot as a PNG": "Скачать график (PNG)",
    "Download plot as JSON": "Скачать график (JSON)",
    "Erase active shape": "Удалить фигуру",
    "Image download succeeded": "Изображение скачано",
    "Lasso Select": "Выделить лассо",
    "Pan": "Сдвиг",
    "Preparing image - this may take a few seconds": "Готовим изображение — это может занять несколько секунд",
    "Reset": "Сбросить",
    "Reset axes": "Исходный масштаб",
    "Reset view": "Исходный вид",
    "Reset views": "Исходный вид",
    "Show closest data on hover": "Ближайшее значение при наведении",
    "Sorry, there was a problem downloading your image!": "Не удалось скачать изображение",
    "Toggle Spike Lines": "Линии к осям",
    "Toggle show closest data on hover": "Переключить подсказки при наведении",
    "Zoom": "Увеличить область",
    "Zoom in": "Крупнее",
    "Zoom out": "Мельче",
    "Double-click to zoom back out": "Двойной щелчок — исходный масштаб",
    "Click to enter Plot title": "Заголовок графика",
}
FORMAT = {
    "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
    "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
    "months": [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ],  # fmt: skip
    "shortMonths": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
    "date": "%d.%m.%Y",
    "decimal": ",",
    "thousands": "\u00a0",
}


def config(**extra: Any) -> dict[str, Any]:
    """A plotly `config` with the Russian locale registered and chosen."""
    return {"locale": "ru", "locales": {"ru": {"dictionary": DICTIONARY, "format": FORMAT}}, **extra}
