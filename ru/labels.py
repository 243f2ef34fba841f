"""The Russian names of datasets, load outcomes and loader rules: written here once, read by the loader
(etl/messages.py), the warehouse's explanations (warehouse/compare.py), the dashboards and the documents.

A dataset has two names: the short one of the dashboards' narrow tables and sentences («Кадры», «Инновации»)
and the one a document uses in its tables («Педагогические работники», «Инновационная деятельность»).
An area's name is not here: it is the catalogue's (warehouse/indicators.yaml, `warehouse.catalog.area_names`).
"""

from __future__ import annotations

DATASET_NAMES = {
    "institutions": "Справочник организаций",
    "staff": "Кадры",
    "ict": "Информатизация",
    "innovation": "Инновации",
    "exam_results": "ГИА",
    "vpr_results": "ВПР",
    "olympiad": "Олимпиада",
    "staff_needs": "Потребности",
}
# a dataset in the tables of a document (the passport)
DATASET_DOCUMENT_NAMES = {
    **DATASET_NAMES,
    "staff": "Педагогические работники",
    "innovation": "Инновационная деятельность",
    "staff_needs": "Профессиональные потребности педагогов",
}
# the outcome of loading one file (dq.load_log.status)
LOAD_STATUS_NAMES = {
    "loaded": "загружен полностью",
    "partial": "загружен частично",
    "rejected": "отклонён",
    "duplicate": "повторная загрузка, без изменений",
    "undone": "загрузка отменена",
}
# short names of the loader's rules (the full explanation is in each quarantined row's message)
RULE_NAMES = {
    "required": "Обязательное поле не заполнено",
    "allowed_values": "Недопустимое значение",
    "format_date": "Неверная дата",
    "format_date_year": "Только год вместо даты",
    "format_bool": "Ожидается «да» или «нет»",
    "format_integer": "Ожидается целое число",
    "format_number": "Ожидается число",
    "format_period": "Неверный учебный год",
    "unknown_institution": "Организации нет в справочнике",
    "foreign_institution": "Строка другой организации",
    "duplicate_key": "Повтор ключа",
    "inst_id_format": "Неверный код организации",
    "age_range": "Возраст вне 16–90 лет",
    "category_date_required": "Нет даты присвоения категории",
    "date_after_report": "Дата позже даты среза",
    "date_too_early": "Слишком ранняя дата",
    "experience_vs_age": "Стаж больше возможного по возрасту",
    "total_vs_ped_experience": "Общий стаж меньше педагогического",
    "non_negative": "Отрицательное значение",
    "students_positive": "Численность обучающихся не больше нуля",
    "learning_le_total": "Учебных ПК больше, чем всех",
    "internet_le_total": "ПК с Интернетом больше, чем всех",
    "learning_internet_le_learning": "Учебных ПК с Интернетом больше, чем учебных",
    "learning_internet_le_internet": "Учебных ПК с Интернетом больше, чем ПК с Интернетом",
    "workstation_le_classrooms": "Кабинетов с АРМ больше, чем кабинетов",
    "speed_range": "Скорость вне 0–10 000 Мбит/с",
    "participants_positive": "Участников меньше одного",
    "result_required": "Не указан результат конкурса",
    "result_not_applicable": "Результат указан не для конкурса",
    "file": "Файл отклонён",
}

# Rules the normaliser checks while parsing values
PARSE_EXPLANATIONS = {
    "format_date": "не является датой (ожидается ДД.ММ.ГГГГ, например 20.09.2024)",
    "format_date_year": "указан только год, а нужна полная дата (ДД.ММ.ГГГГ, например 01.09.2019)",
    "format_bool": "ожидается «да» или «нет»",
    "format_integer": "ожидается целое число",
    "format_number": "ожидается число (например 12,5)",
    "format_period": "не является учебным годом (ожидается, например, 2024/2025)",
}
