"""The Russian words of the dashboards, kept together (the indicator names live in the catalogue)."""

from __future__ import annotations

from etl import contract

APP_TITLE = "Мониторинг качества образования"

NO_DATA_TITLE = "Данные не загружены"
NO_DATA_BODY = (
    "Данные не загружены — загрузите файлы учреждений на странице «Загрузка данных» или командой "
    "`python -m etl load ПАПКА`. Для знакомства с системой соберите демонстрационную базу: "
    "`python -m etl demo`."
)
BROKEN_BODY = (
    "Хранилище данных не удалось открыть ({detail}). Пересоберите его командой `python -m etl demo` "
    "или загрузите файлы заново; если ошибка повторится, обратитесь к администратору."
)
DEMO_NOTICE = "Демонстрационный режим: данные вымышленные, вход без пароля."
MISSING_NOTE = "«—» — нет данных (организация не представила сведения за период)."
CATALOG_POINTER = "Формулы и источники всех показателей — в разделе «Справочник показателей»."

SECTIONS = {"monitoring": "Мониторинг", "data": "Данные", "help": "Справка"}
PAGE_TITLES = {
    "overview": "Обзор",
    "staff": "Кадры",
    "ict": "Информатизация",
    "innovation": "Инновации",
    "catalog": "Справочник показателей",
}

# filters
FILTER_HEADER = "Фильтры"
F_PERIOD = "Учебный год"
F_MUNICIPALITY = "Муниципалитет"
F_INST_TYPE = "Тип организации"
F_INST = "Организация"
ALL_MUNICIPALITIES = "Все муниципалитеты"
ALL_TYPES = "Все типы"
ALL_INSTITUTIONS = "Все организации"
BAD_PARAM = "Параметр ссылки «{name}» со значением «{value}» не найден — показано: {fallback}."
REGION = "Регион"
REGION_TOTAL = "Итого по региону"
TOTAL_FOR = "Итого: {name}"

AREA_NAMES = {"staff": "Кадры", "ict": "Информатизация", "innovation": "Инновационная деятельность"}
DIRECTIONS = {
    "up": "чем выше, тем лучше",
    "down": "чем ниже, тем лучше",
    "none": "без оценки (справочно)",
}


def inst_type_label(code: str | None) -> str:
    if not code or code == "all":
        return ALL_TYPES
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


# structure groups of the staff page, in display order
STAFF_GROUPS = {
    "category": {
        "methodist": "Педагог-методист",
        "mentor": "Педагог-наставник",
        "highest": "Высшая",
        "first": "Первая",
        "compliance": "Соответствие занимаемой должности",
        "none": "Без категории",
    },
    "education": {
        "higher_ped": "Высшее педагогическое",
        "higher_other": "Высшее непедагогическое",
        "svo_ped": "Среднее профессиональное педагогическое",
        "svo_other": "Среднее профессиональное непедагогическое",
        "none": "Без профессионального",
    },
    "age_band": {
        "<25": "до 25",
        "25-29": "25–29",
        "30-34": "30–34",
        "35-39": "35–39",
        "40-44": "40–44",
        "45-49": "45–49",
        "50-54": "50–54",
        "55-59": "55–59",
        "60-64": "60–64",
        "65+": "65 и старше",
    },
    "experience_band": {
        "<3": "до 3 лет",
        "3-5": "3–5 лет",
        "5-10": "5–10 лет",
        "10-20": "10–20 лет",
        "20-30": "20–30 лет",
        ">30": "свыше 30 лет",
    },
}
STAFF_GROUP_TITLES = {
    "category": "Квалификационные категории",
    "education": "Уровень образования",
    "age_band": "Возраст, лет",
    "experience_band": "Педагогический стаж",
}
GENDERS = {"М": "Мужчины", "Ж": "Женщины"}
DUE_TITLES = {
    "attestation": "Аттестация: категория истекает в ближайшие 12 месяцев",
    "training": "Повышение квалификации: срок наступает в ближайшие 12 месяцев",
}
DUE_EMPTY = "Никого: в ближайшие 12 месяцев сроков нет."
PERSONAL_DATA_NOTE = (
    "Персональные данные (152-ФЗ): списки предназначены для планирования аттестации и курсов, "
    "не пересылайте их за пределы управления образования."
)
COMPONENTS = {
    "c1_pc_per_pupil": "ПК на 100 обучающихся (10 и более = 1)",
    "c2_pc_internet": "Доля ПК с Интернетом",
    "c3_rooms_workstation": "Доля кабинетов с АРМ",
    "c4_speed": "Скорость не ниже целевой",
    "c5_digital_services": "Эл. журнал и ДОТ",
    "readiness_index": "Индекс ИКТ-готовности",
}
CONTEST_TITLES = {
    "staff_contest": "Профессиональные конкурсы педагогов",
    "student_contest": "Олимпиады и конкурсы обучающихся",
}
CONTEST_MEASURES = {
    "participants": "Участники",
    "winners": "Победители",
    "prize_winners": "Призёры",
}
MUNICIPALITY_LEGEND = "Муниципалитеты"
