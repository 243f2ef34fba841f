"""The data contract (../shared/spec/data-contract.md) as data.

Every dataset's columns with their canonical name, Russian header, type and allowed values. The readers,
the normaliser, the templates, the demo generator and the expectation suites all read this one module;
row rules that need more than a type (ranges, cross-field rules) live in `expectations/*.json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from warehouse.subjects import SUBJECT_NAMES_RU

# Column kinds understood by the normaliser.
TEXT = "text"
ENUM = "enum"
DATE = "date"
BOOL = "bool"
INT = "int"
NUMBER = "number"
PERIOD = "period"


@dataclass(frozen=True)
class Column:
    name: str
    header_ru: str
    kind: str
    required: bool = False
    # code -> Russian labels accepted for it (the first label is the one templates show)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    personal: bool = False


@dataclass(frozen=True)
class Dataset:
    name: str
    title_ru: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # datasets whose rows replace an institution's previous rows of the same period
    replace_by_period: bool = True
    # the replace unit (data contract, "Replace, don't append"): a file's rows replace the stored rows that
    # share these columns' values with one of its rows; (period, inst_id) unless a dataset says otherwise
    replace_unit: tuple[str, ...] = ("period", "inst_id")
    # key or unit columns compared through a derived column (olympiad subjects after normalisation)
    compared_as: tuple[tuple[str, str], ...] = ()
    # derived columns (added by the normaliser) that are stored in core.<dataset> beside the contract's
    stored_derived: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def compared(self, names: tuple[str, ...]) -> list[str]:
        """The columns `names` are compared through (e.g. olympiad `subject` → `subject_key`)."""
        mapping = dict(self.compared_as)
        return [mapping.get(n, n) for n in names]


INST_TYPES: dict[str, tuple[str, ...]] = {
    "school": ("общеобразовательная", "общеобразовательная организация", "школа"),
    "preschool": ("дошкольная", "дошкольная образовательная организация", "детский сад"),
    "additional": (
        "дополнительного образования",
        "организация дополнительного образования",
        "дополнительное образование",
    ),
}
LOCALITIES: dict[str, tuple[str, ...]] = {
    "urban": ("город", "городская местность", "городская"),
    "rural": ("село", "сельская местность", "сельская"),
}
POSITIONS: dict[str, tuple[str, ...]] = {
    "teacher": ("учитель",),
    "preschool_teacher": ("воспитатель",),
    "senior_preschool_teacher": ("старший воспитатель",),
    "additional_teacher": ("педагог дополнительного образования",),
    "psychologist": ("педагог-психолог",),
    "social_pedagogue": ("социальный педагог",),
    "speech_therapist": ("учитель-логопед",),
    "defectologist": ("учитель-дефектолог",),
    "music_director": ("музыкальный руководитель",),
    "pe_instructor": ("инструктор по физической культуре",),
    "organizer": ("педагог-организатор",),
    "methodist": ("методист",),
    "tutor": ("тьютор",),
    "education_advisor": ("советник директора по воспитанию",),
    "head": ("руководитель",),
    "deputy_head": ("заместитель руководителя",),
}
ADMIN_POSITIONS = ("head", "deputy_head")
EMPLOYMENT: dict[str, tuple[str, ...]] = {
    "main": ("основное место работы", "основное"),
    "internal": ("внутреннее совместительство",),
    "external": ("внешнее совместительство",),
}
GENDERS: dict[str, tuple[str, ...]] = {
    # the Cyrillic letters are the codes; Latin look-alikes and words are accepted too
    "М": ("мужской", "M", "муж"),
    "Ж": ("женский", "жен"),
}
EDUCATION_LEVELS: dict[str, tuple[str, ...]] = {
    "higher": ("высшее",),
    "secondary_vocational": ("среднее профессиональное",),
    "none": ("без профессионального", "без профессионального образования"),
}
CATEGORIES: dict[str, tuple[str, ...]] = {
    "highest": ("высшая", "высшая квалификационная категория"),
    "first": ("первая", "первая квалификационная категория"),
    "compliance": ("соответствие занимаемой должности", "сзд"),
    "none": ("без категории", "нет"),
    "methodist": ("педагог-методист",),
    "mentor": ("педагог-наставник",),
}
# categories whose assignment date is required
DATED_CATEGORIES = ("highest", "first", "methodist", "mentor")
ACTIVITY_TYPES: dict[str, tuple[str, ...]] = {
    "innovation_site": ("инновационная площадка",),
    "project": ("инновационный проект",),
    "event": ("методическое мероприятие",),
    "staff_contest": ("профессиональный конкурс педагогов",),
    "student_contest": ("олимпиада или конкурс обучающихся",),
    "publication": ("публикация, обобщение опыта", "публикация"),
}
CONTEST_TYPES = ("staff_contest", "student_contest")
LEVELS: dict[str, tuple[str, ...]] = {
    "institution": ("уровень ОО", "уровень организации"),
    "municipal": ("муниципальный",),
    "regional": ("региональный",),
    "federal": ("всероссийский", "федеральный"),
    "international": ("международный",),
}
RESULTS: dict[str, tuple[str, ...]] = {
    "participant": ("участник",),
    "prize_winner": ("призёр", "призер"),
    "winner": ("победитель",),
}

# the columns every dataset but the registry begins with: which school year, which institution
PERIOD_AND_INSTITUTION = (
    Column("period", "Учебный год", PERIOD, required=True),
    Column("inst_id", "Код организации", TEXT, required=True),
)

INSTITUTIONS = Dataset(
    name="institutions",
    title_ru="Справочник организаций",
    key=("inst_id",),
    replace_by_period=False,
    columns=(
        Column("inst_id", "Код организации", TEXT, required=True),
        Column("name", "Полное наименование", TEXT, required=True),
        Column("short_name", "Краткое наименование", TEXT),
        Column("inst_type", "Тип организации", ENUM, required=True, labels=INST_TYPES),
        Column("municipality", "Муниципалитет", TEXT, required=True),
        Column("locality", "Местность", ENUM, required=True, labels=LOCALITIES),
        Column("address", "Адрес", TEXT),
    ),
)

STAFF = Dataset(
    name="staff",
    title_ru="Сведения о педагогических работниках",
    key=("period", "inst_id", "staff_id"),
    columns=(
        *PERIOD_AND_INSTITUTION,
        Column("staff_id", "Табельный номер", TEXT, required=True),
        Column("full_name", "ФИО", TEXT, personal=True),
        Column("position", "Должность", ENUM, required=True, labels=POSITIONS),
        Column("employment", "Условия работы", ENUM, required=True, labels=EMPLOYMENT),
        Column("gender", "Пол", ENUM, required=True, labels=GENDERS),
        Column("birth_date", "Дата рождения", DATE, required=True, personal=True),
        Column("education_level", "Уровень образования", ENUM, required=True, labels=EDUCATION_LEVELS),
        Column("pedagogical_education", "Педагогическое образование", BOOL, required=True),
        Column("category", "Квалификационная категория", ENUM, required=True, labels=CATEGORIES),
        Column("category_date", "Дата присвоения категории", DATE),
        Column("category_valid_until", "Категория действует до", DATE),
        Column("last_training_date", "Дата окончания последних КПК", DATE),
        Column("ict_training", "Обучение ИКТ за 3 года", BOOL, required=True),
        Column("ped_experience_years", "Педагогический стаж, лет", NUMBER, required=True),
        Column("total_experience_years", "Общий стаж, лет", NUMBER),
        Column("subject", "Предмет", TEXT),
        # the person's mentor (наставник): a pedagogical worker of the same institution and period; a row
        # whose mentor is not one loads all the same, and dq.warnings reports it (rule mentor_unknown)
        Column("mentor_staff_id", "Табельный номер наставника", TEXT),
    ),
)

ICT = Dataset(
    name="ict",
    title_ru="Сведения об информатизации",
    key=("period", "inst_id"),
    columns=(
        *PERIOD_AND_INSTITUTION,
        Column("students", "Численность обучающихся (воспитанников)", INT, required=True),
        Column("computers_total", "Персональных компьютеров всего", INT, required=True),
        Column("computers_learning", "из них используемых в учебных целях", INT, required=True),
        Column("computers_internet", "из них с доступом к Интернету", INT, required=True),
        Column(
            "computers_learning_internet",
            "используемых в учебных целях с доступом к Интернету",
            INT,
            required=True,
        ),
        Column(
            "classrooms_total",
            "Учебных кабинетов (групповых помещений) всего",
            INT,
            required=True,
        ),
        Column("classrooms_workstation", "из них с АРМ педагога", INT, required=True),
        Column("interactive_boards", "Интерактивных досок и панелей", INT, required=True),
        Column(
            "internet_speed_mbps",
            "Скорость подключения к Интернету, Мбит/с",
            NUMBER,
            required=True,
        ),
        Column("e_journal", "Электронный журнал/дневник", BOOL, required=True),
        Column("distance_learning", "Реализация программ с применением ДОТ", BOOL, required=True),
    ),
)

INNOVATION = Dataset(
    name="innovation",
    title_ru="Сведения об инновационной деятельности",
    key=("period", "inst_id", "record_id"),
    columns=(
        *PERIOD_AND_INSTITUTION,
        Column("record_id", "Номер записи", TEXT, required=True),
        Column("activity_type", "Вид деятельности", ENUM, required=True, labels=ACTIVITY_TYPES),
        Column("level", "Уровень", ENUM, required=True, labels=LEVELS),
        Column("title", "Наименование", TEXT, required=True),
        Column("event_date", "Дата", DATE),
        Column("participants", "Количество участников", INT),
        Column("result", "Результат", ENUM, labels=RESULTS),
        Column("staff_id", "Табельный номер педагога", TEXT),
    ),
)

# --------------------------------------------------------------------------------------------- results
EXAMS: dict[str, tuple[str, ...]] = {
    "ege": ("ЕГЭ", "единый государственный экзамен"),
    "oge": ("ОГЭ", "основной государственный экзамен"),
    "gve": ("ГВЭ", "государственный выпускной экзамен"),
}
# ГИА subjects (data contract, dataset 5): the Russian name (warehouse/subjects.py), then other spellings
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "math_profile": (
        "математика (профильный уровень)",
        "математика профильная",
        "математика (профиль)",
        "профильная математика",
    ),
    "math_base": (
        "математика (базовый уровень)",
        "математика базовая",
        "математика (база)",
        "базовая математика",
    ),
    "informatics": ("информатика и ИКТ",),
}
EXAM_SUBJECTS: dict[str, tuple[str, ...]] = {
    code: (name, *_SPELLINGS.get(code, ()))
    for code, name in SUBJECT_NAMES_RU.items()
    if code not in ("world", "reading")
}
# ВПР subjects: those of the ГИА, without the two levels of mathematics, plus two primary-school subjects
VPR_SUBJECTS: dict[str, tuple[str, ...]] = {
    code: (name, *_SPELLINGS.get(code, ()))
    for code, name in SUBJECT_NAMES_RU.items()
    if code not in ("math_profile", "math_base")
}
STAGES: dict[str, tuple[str, ...]] = {
    "school": ("школьный", "школьный этап"),
    "municipal": ("муниципальный", "муниципальный этап"),
    "regional": ("региональный", "региональный этап"),
    "final": ("заключительный", "заключительный этап"),
}

# the columns the three results datasets share: a participant is a code from the protocol, never a name
GRADE = Column("grade", "Класс", INT, required=True)
PARTICIPANT = Column("participant_id", "Код участника", TEXT, required=True, personal=True)
PRIMARY_SCORE = Column("primary_score", "Первичный балл", NUMBER)


def _results_dataset(
    name: str, title_ru: str, unit: tuple[str, ...], columns: tuple[Column, ...], **more: Any
) -> Dataset:
    """A results dataset: a file's rows replace the stored rows of their institution, period and `unit`
    (data contract, "Replace, don't append"), and a participant has one row per unit (the key)."""
    return Dataset(
        name=name,
        title_ru=title_ru,
        key=("period", "inst_id", *unit, "participant_id"),
        replace_unit=("period", "inst_id", *unit),
        columns=(*PERIOD_AND_INSTITUTION, *columns),
        **more,
    )


EXAM_RESULTS = _results_dataset(
    "exam_results",
    "Результаты ГИА (ЕГЭ, ОГЭ, ГВЭ)",
    # a РЦОИ file is one subject for all schools: loading mathematics never removes Russian
    unit=("exam", "subject"),
    columns=(
        Column("exam", "Форма ГИА", ENUM, required=True, labels=EXAMS),
        GRADE,
        Column("subject", "Предмет", ENUM, required=True, labels=EXAM_SUBJECTS),
        PARTICIPANT,
        PRIMARY_SCORE,
        Column("score", "Тестовый балл", INT),
        Column("mark", "Отметка", INT),
    ),
)

VPR_RESULTS = _results_dataset(
    "vpr_results",
    "Результаты ВПР",
    unit=("grade", "subject"),
    columns=(
        GRADE,
        Column("subject", "Предмет", ENUM, required=True, labels=VPR_SUBJECTS),
        PARTICIPANT,
        PRIMARY_SCORE,
        Column("mark", "Отметка за ВПР", INT, required=True),
        Column("journal_mark", "Отметка по журналу", INT),
    ),
)

OLYMPIAD = _results_dataset(
    "olympiad",
    "Результаты всероссийской олимпиады школьников",
    unit=("stage", "subject"),
    columns=(
        Column("stage", "Этап", ENUM, required=True, labels=STAGES),
        Column("subject", "Предмет", TEXT, required=True),
        GRADE,
        PARTICIPANT,
        Column("score", "Балл", NUMBER),
        Column("status", "Статус", ENUM, required=True, labels=RESULTS),
    ),
    # the olympiad's subject is free text: «Математика » and «математика» are one subject (indicators.md)
    compared_as=(("subject", "subject_key"),),
    stored_derived=("subject_key",),
)

RESULT_DATASETS = ("exam_results", "vpr_results", "olympiad")

# ------------------------------------------------------------------------------------------ staff needs
# professional needs of the survey (мониторинг профессиональных потребностей), data contract dataset 8
NEEDS: dict[str, tuple[str, ...]] = {
    "fgos": ("обновлённые ФГОС и ФОП", "обновленные ФГОС и ФОП", "ФГОС"),
    "functional_literacy": ("функциональная грамотность",),
    "digital": ("цифровые образовательные технологии", "цифровые технологии"),
    "inclusive": ("обучение детей с ОВЗ, инклюзивное образование", "инклюзивное образование", "ОВЗ"),
    "upbringing": ("воспитательная работа",),
    "gia_preparation": ("подготовка обучающихся к ГИА", "подготовка к ГИА"),
    "subject_content": ("предметное содержание",),
    "assessment": ("оценивание образовательных результатов",),
    "psychology": ("психолого-педагогические компетенции",),
    "gifted": ("работа с одарёнными детьми", "работа с одаренными детьми"),
    "management": ("управление образовательной организацией",),
    "other": ("другое",),
}
NEED_FORMS: dict[str, tuple[str, ...]] = {
    "course": ("курсы повышения квалификации", "КПК", "курсы"),
    "seminar": ("семинар, вебинар", "семинар", "вебинар"),
    "mentoring": ("наставничество",),
    "self_study": ("самообразование",),
    "internship": ("стажировка",),
}

STAFF_NEEDS = Dataset(
    name="staff_needs",
    title_ru="Профессиональные потребности педагогических работников",
    key=("period", "inst_id", "staff_id", "need"),
    # like staff: a survey file replaces the institution's whole survey of the period
    columns=(
        *PERIOD_AND_INSTITUTION,
        Column("staff_id", "Табельный номер", TEXT, required=True),
        Column("need", "Профессиональная потребность", ENUM, required=True, labels=NEEDS),
        Column("form", "Предпочтительная форма", ENUM, labels=NEED_FORMS),
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (INSTITUTIONS, STAFF, ICT, INNOVATION, EXAM_RESULTS, VPR_RESULTS, OLYMPIAD, STAFF_NEEDS)
}
# the order a folder is loaded in: the registry first, so that new institutions are known
LOAD_ORDER = (
    "institutions",
    "staff",
    "ict",
    "innovation",
    "exam_results",
    "vpr_results",
    "olympiad",
    "staff_needs",
)


def label_ru(labels: dict[str, tuple[str, ...]], code: str) -> str:
    """The Russian label shown for an enumerated code (the first accepted label)."""
    return labels[code][0] if code in labels and labels[code] else code
