"""The Russian names of the results' subject codes (data contract, datasets 5 and 6), in display order.

One list for the loader (etl/contract.py accepts these names and more spellings), the mart (the build writes
it to `mart.subject_names`, which the flags' messages read) and the dashboards. Olympiad subjects are free
text and are shown as written.
"""

from __future__ import annotations

SUBJECT_NAMES_RU: dict[str, str] = {
    "russian": "русский язык",
    "math": "математика",
    "math_profile": "математика профильного уровня",
    "math_base": "математика базового уровня",
    "physics": "физика",
    "chemistry": "химия",
    "informatics": "информатика",
    "biology": "биология",
    "history": "история",
    "geography": "география",
    "social_studies": "обществознание",
    "literature": "литература",
    "english": "английский язык",
    "german": "немецкий язык",
    "french": "французский язык",
    "spanish": "испанский язык",
    "chinese": "китайский язык",
    # ВПР only
    "world": "окружающий мир",
    "reading": "литературное чтение",
}
