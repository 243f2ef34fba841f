"""The note's fixed words: topics, phrases of institution types, chart and appendix titles, thresholds."""

from __future__ import annotations

from warehouse import catalog as cat
from warehouse import queries as q

# the areas a note may speak of (the results area included) and those it speaks of when none are chosen
AREAS = cat.ALL_AREAS
DEFAULT_AREAS = cat.AREAS
INST_TYPES = q.INST_TYPES
NO_COMPARISON = "none"

# ----------------------------------------------------------------------------------------- the words
DEFAULT_ORGANISATION = "МКУ «Информационно-методический центр»"
DOC_KIND = "АНАЛИТИЧЕСКАЯ СПРАВКА"
AREA_TOPIC_GENT = {
    "staff": "кадрового обеспечения",
    "ict": "информатизации",
    "innovation": "инновационной деятельности",
    "results": "результатов обучения",
}
AREA_TOPIC_NOMN = {
    "staff": "кадровое обеспечение",
    "ict": "информатизация",
    "innovation": "инновационная деятельность",
    "results": "результаты обучения",
}
# the noun phrase of each institution type, in the dictionary form (inflected by reports/russian.py)
TYPE_PHRASE = {
    "school": "общеобразовательная организация",
    "preschool": "дошкольная образовательная организация",
    "additional": "организация дополнительного образования",
}
ANY_TYPE_PHRASE = "образовательная организация"
DATASET_ABOUT = {
    "staff": "о педагогических работниках",
    "ict": "об информатизации",
    "innovation": "об инновационной деятельности",
    "exam_results": "о результатах ГИА",
    "vpr_results": "о результатах ВПР",
    "olympiad": "об участии во всероссийской олимпиаде школьников",
}
# the datasets each area is computed from (innovation shares need staff and pupils as well)
AREA_DATASETS = {
    "staff": ("staff",),
    "ict": ("ict",),
    "innovation": ("innovation",),
    "results": ("exam_results", "vpr_results", "olympiad"),
}
# datasets an institution may rightly not have (no innovation; a basic school has no ГИА-11, a kindergarten no
# results at all): counted in the completeness, never asked for in the recommendations
OPTIONAL_DATASETS = ("innovation", "exam_results", "vpr_results", "olympiad")
REGION_PHRASE = "региона"
# the paragraphs of an area: a run-in lead and the indicators it speaks of, in order; indicators of the area
# that no theme lists are spoken of in a last paragraph
THEMES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "staff": (
        ("Численность.", ("STAFF_COUNT", "STAFF_YOUNG_SPECIALISTS", "STAFF_STUDENTS_PER_PED")),
        ("Образование.", ("STAFF_HIGHER_EDU", "STAFF_HIGHER_PED_EDU")),
        (
            "Квалификационные категории.",
            ("STAFF_CAT_HIGHEST", "STAFF_CAT_FIRST", "STAFF_CAT_ANY", "STAFF_ATTESTATION_DUE"),
        ),
        ("Повышение квалификации.", ("STAFF_TRAINED_3Y", "STAFF_ICT_TRAINED", "STAFF_TRAINING_DUE")),
        (
            "Возраст и стаж.",
            ("STAFF_UNDER_35", "STAFF_55_PLUS", "STAFF_MEAN_AGE", "STAFF_EXP_UNDER_5", "STAFF_EXP_OVER_30"),
        ),
    ),
    "ict": (
        (
            "Компьютерная техника.",
            (
                "ICT_PC_LEARNING_PER_100",
                "ICT_PC_LEARNING_INTERNET_PER_100",
                "ICT_PC_INTERNET_SHARE",
                "ICT_INTERACTIVE_PER_100",
            ),
        ),
        ("Оснащение кабинетов и подключение к сети Интернет.", ("ICT_WORKSTATION_ROOMS", "ICT_SPEED_TARGET")),
        ("Цифровые сервисы.", ("ICT_EJOURNAL", "ICT_DISTANCE", "ICT_READINESS_INDEX")),
    ),
    "innovation": (
        ("Инновационные площадки и проекты.", ("INNO_SITES", "INNO_ORGS_WITH_SITE", "INNO_PROJECTS")),
        ("Методическая работа.", ("INNO_EVENTS", "INNO_PUBLICATIONS")),
        (
            "Конкурсы и олимпиады.",
            ("INNO_STAFF_CONTEST_PER_100", "INNO_STAFF_CONTEST_WINNERS", "INNO_STUDENT_WINNERS_PER_100"),
        ),
    ),
}
OTHER_THEME = "Другие показатели."
# the charts of an area: institutions ranked on one indicator, and a trend of indicators of one unit
RANK_CHART = {
    "staff": "STAFF_CAT_ANY",
    "ict": "ICT_READINESS_INDEX",
    "innovation": "INNO_STAFF_CONTEST_PER_100",
}
TREND_CHART = {
    "staff": ("STAFF_CAT_ANY", "STAFF_CAT_HIGHEST", "STAFF_TRAINED_3Y"),
    "ict": ("ICT_SPEED_TARGET", "ICT_WORKSTATION_ROOMS", "ICT_PC_INTERNET_SHARE"),
    "innovation": ("INNO_SITES", "INNO_PROJECTS", "INNO_EVENTS", "INNO_PUBLICATIONS"),
}
# at most this many institutions are named in a sentence; a longer list points to the table instead
MAX_NAMED = 8
# institutions missing a target are named up to this many (a methodologist needs the list)
MAX_NAMED_TARGET = 15
# how many institutions are named as the best and the furthest behind on a key indicator
NAMED_EXTREMES = 3
# changes that make the conclusions: shares by at least 1 п.п., other indicators by at least 5 %
SIGNIFICANT_PP = 1.0
SIGNIFICANT_RELATIVE = 0.05
# a training plan is urgent when at least this share of the pedagogical staff is due
TRAINING_URGENT_SHARE = 0.2
PERSONAL_DATA_NOTE = (
    "Приложение содержит персональные данные (Федеральный закон от 27.07.2006 № 152-ФЗ «О персональных "
    "данных»): используется для планирования аттестации и повышения квалификации, не подлежит размещению "
    "в открытом доступе и пересылке за пределы органа управления образованием."
)
APPENDIX_TITLES = {
    "training": "Педагогические работники, которым необходимо повышение квалификации в ближайшие 12 месяцев",
    "attestation": (
        "Педагогические работники, у которых срок действия квалификационной категории истёк или истекает "
        "в ближайшие 12 месяцев"
    ),
}
DEMO_NOTE = "Справка сформирована по демонстрационным данным: организации и работники вымышлены."
DRAFT_NOTE = (
    "Справка подготовлена автоматически по данным системы мониторинга (черновик): числовые значения взяты "
    "из хранилища без изменений, формулировки выводов и рекомендаций подлежат проверке методистом."
)
MISSING_NOTE = "«—» — нет данных (организация не представила сведения за период)."
