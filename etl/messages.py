"""Every Russian sentence the ETL shows a user, in one place."""

from __future__ import annotations

from ru.labels import (
    PARSE_EXPLANATIONS as PARSE_EXPLANATIONS,  # its home is ru/labels.py (the warehouse shows it too)
)

# File-level rejections
EMPTY_FILE = "Файл пуст: в нём нет ни заголовков, ни данных."
NO_DATA_ROWS = "В файле есть строка заголовков, но нет ни одной строки с данными."
NO_HEADER_ROW = (
    "Не найдена строка заголовков: в первых 11 строках нет названий столбцов ни одного из наборов данных "
    "(организации, кадры, информатизация, инновации, результаты ГИА, ВПР, олимпиады, профессиональные "
    "потребности). "
    "Используйте шаблон (python -m etl templates)."
)
MISSING_REQUIRED_COLUMNS = (
    "Файл похож на набор «{dataset}», но в нём нет обязательных столбцов: {columns}. "
    "Добавьте их (заголовки — как в шаблоне) и загрузите файл снова."
)
UNDETECTABLE_ENCODING = (
    "Не удалось определить кодировку файла: это не текст в UTF-8 или Windows-1251. "
    "Сохраните файл как «CSV UTF-8» или как книгу Excel (.xlsx)."
)
CSV_BROKEN = "Файл CSV повреждён и не может быть прочитан ({detail})."
XLSX_BROKEN = (
    "Файл не открывается как книга Excel: он повреждён или на самом деле имеет другой формат. "
    "Откройте его в Excel и сохраните как «Книга Excel (.xlsx)»."
)
XLSX_TOO_PACKED = (
    "Книга Excel распаковывается в {unpacked_mb:.0f} МБ при размере файла {size_mb:.1f} МБ: так не бывает у "
    "обычной таблицы, файл не обрабатывается. Сохраните таблицу заново в Excel или пришлите CSV."
)
SHEET_READ = "Прочитан лист «{sheet}»; листы книги: {sheets}."
DUPLICATE_COLUMN_CONFLICT = (
    "Столбец «{column}» указан в файле {copies} раза, и значения в копиях расходятся (строк с расхождением: "
    "{count}; первая — строка {row}: «{first}» и «{second}»). Оставьте один столбец «{column}» и загрузите файл снова."
)
XLS_UNSUPPORTED = "Старый формат Excel (.xls) не поддерживается: сохраните файл как «Книга Excel (.xlsx)»."
UNSUPPORTED_TYPE = "Тип файла ({suffix}) не поддерживается: загружайте файлы .xlsx или .csv."
TOO_LARGE = "Файл слишком большой: {size_mb:.1f} МБ при допустимых {limit_mb:.0f} МБ."
NOT_FOUND = "Файл не найден: {path}."
UNREADABLE = "Файл не удалось прочитать: {detail}."
DATASET_UNKNOWN = (
    "Неизвестный набор данных «{name}»: допустимы institutions, staff, ict, innovation, exam_results, "
    "vpr_results, olympiad, staff_needs."
)

# Outcomes
DUPLICATE = "Этот файл (те же байты, SHA-256 {sha}) уже был загружен {when}: данные не изменились."
LOADED = "Загружено строк: {loaded} из {read}."
PARTIAL = "Загружено строк: {loaded} из {read}; в карантине: {quarantined}."
NOTHING_LOADED = "Ни одна строка не прошла проверку: все {read} строк в карантине."
# a director's file with no row of their own institution: refused whole, before the checks
FOREIGN_FILE = (
    "Файл отклонён: в нём нет строк вашей организации ({allowed}) — только строки других организаций "
    "({found}). Вы можете загружать данные только своей организации."
)
# a file loaded before (the same bytes): what that load gave
DUPLICATE_BEFORE = " Тогда загружено строк: {loaded}; в карантине: {quarantined}."
UNKNOWN_COLUMNS = "Неизвестные столбцы пропущены: {columns}."
DUPLICATE_COLUMN_AGREE = (
    "Столбец «{column}» указан {copies} раза; значения в копиях совпадают, прочитан один."
)
TWO_ROW_HEADER = "Заголовок занимает две строки ({first} и {second}), прочитаны вместе: {columns}."
NONE_RECOGNISED = "подзаголовки не распознаны"
UNNAMED_COLUMN = (
    "Столбец {letter} без заголовка содержит значения ({count}) и пропущен: дайте ему заголовок из шаблона."
)
NUL_REMOVED = "Из значений удалены нулевые символы (NUL, {count}): файл, вероятно, выгружен с ошибкой."
NUMERIC_CODE = (
    "В столбце «{column}» есть значения, записанные в Excel числом ({count}): ведущие нули (00050) при этом "
    "теряются, и код может не совпасть с прежними периодами. Задайте столбцу текстовый формат."
)
# two files for one dataset, institution and school year in one load: the later one stays
REPLACED_MARK = "Заменено строк"
REPLACED_PART = (
    REPLACED_MARK + ": {replaced} — файлом {later} этой же загрузки (та же организация и учебный год)."
)
REPLACED_WHOLE = (
    "Все загруженные строки файла ({replaced} из {read}) заменены файлом {later} этой же загрузки: у них те же "
    "набор данных, организация и учебный год, а из файлов одной загрузки действует последний по имени."
)
REPLACED_QUARANTINED = "В карантине: {quarantined}."
REPLACES_EARLIER = (
    "Заменяет строки файла {earlier} этой же загрузки (те же организация и учебный год): из файлов одной "
    "загрузки действует последний по имени."
)
# a full disk: nothing changed, nothing left behind
DISK_FULL = (
    "Недостаточно места на диске: нужно {needed} МБ, свободно {free} МБ. Хранилище не изменено; "
    "освободите место и повторите загрузку."
)
DISK_FULL_DURING_LOAD = (
    "Недостаточно места на диске: нужно {needed} МБ, свободно {free} МБ — место кончилось во время записи "
    "(загрузке нужно больше, чем копия хранилища и файлы). Хранилище не изменено; освободите место с запасом "
    "и повторите загрузку."
)

# Row-level issues: the message names the file, the row, the column and the value
ROW_ISSUE = "Файл «{file}», строка {row}, столбец «{column}»: значение «{value}» — {explanation}."
EMPTY_VALUE = "(пусто)"


# Rules that are not expectation suites (etl/rules.py)
RULE_EXPLANATIONS = {
    "unknown_institution": "организации с таким кодом нет в справочнике организаций; "
    "сначала загрузите справочник или исправьте код",
    "duplicate_key": "строка повторяет ключ {key} другой строки этого файла (строки {rows}); "
    "в карантин помещены все повторы",
    "foreign_institution": "вы можете загружать данные только своей организации ({allowed})",
}

# Command line summary
CLI_FILE_HEADER = "Файл: {file}"
CLI_DATASET = "  Набор данных: {dataset}"
CLI_COUNTS = (
    "  Прочитано строк: {read}; загружено: {loaded}; в карантине: {quarantined}; предупреждений: {warnings}"
)
CLI_STATUS = {
    "loaded": "  Итог: загружен полностью.",
    "partial": "  Итог: загружен частично — строки с ошибками помещены в карантин.",
    "rejected": "  Итог: файл отклонён.",
    "duplicate": "  Итог: повторная загрузка — данные не изменились.",
}
CLI_FIRST_ERRORS = "  Первые ошибки:"
CLI_MORE_ERRORS = "  … и ещё {n}. Полный список — в таблице dq.quarantine и на странице «Качество данных»."
CLI_TOTAL = "Итого файлов: {files}; загружено строк: {loaded}; в карантине: {quarantined}; отклонено файлов: {rejected}."
CLI_NO_FILES = "Не найдено ни одного файла .csv или .xlsx: {paths}."
CLI_BUSY = "Хранилище сейчас занято другой загрузкой; повторите попытку позже."
CLI_INTERNAL = "Внутренняя ошибка программы (это не ошибка в ваших данных). Сообщите разработчикам:"
CLI_WAREHOUSE = "Хранилище: {db}"
PROGRESS_STEPS = {
    "read": "чтение",
    "normalize": "разбор значений",
    "validate": "проверка",
    "write": "запись",
    "marts": "расчёт показателей",
    "publish": "публикация",
}

# python -m etl undo (etl/undo.py)
UNDO_FILE_MODE = (
    "Отмена загрузки доступна только в режиме DuckLake (--db ducklake:postgres:… или ducklake:sqlite:…): "
    "файл DuckDB не хранит прежних состояний. Хранилище не изменено."
)
UNDO_UNKNOWN = "Загрузка с номером пакета {batch} в журнале загрузок не найдена. Хранилище не изменено."
UNDO_ALREADY = "Загрузка с номером пакета {batch} уже отменена. Хранилище не изменено."
UNDO_DEPENDENT = (
    "Загрузку {batch} отменить нельзя: те же организации и периоды позже изменены загрузками {later}. "
    "Отменить можно только последнюю загрузку сведений организации за период (и после её отмены более "
    "ранняя не отменяется); чтобы вернуть прежние сведения, загрузите прежний файл заново. "
    "Хранилище не изменено."
)
UNDO_LOGGED = (
    "Загрузка отменена (python -m etl undo {asked}): её данные убраны из хранилища, показатели пересчитаны."
)
UNDO_DONE = (
    "Загрузка отменена: файлов {files} ({names}); удалено строк: {removed}, восстановлено прежних строк: "
    "{restored}. Показатели пересчитаны."
)

# python -m etl compact (warehouse/lake.py compact)
COMPACT_FILE_MODE = (
    "Уплотнение файлов нужно только хранилищу DuckLake (--db ducklake:postgres:… или ducklake:sqlite:…): "
    "файл DuckDB переписывается целиком при каждой загрузке. Хранилище не изменено."
)
COMPACT_MISSING = "Хранилище {db} не найдено (его создаёт первая загрузка). Ничего не сделано."
COMPACT_DONE = (
    "Файлы хранилища уплотнены: файлов данных было {data_before}, стало {data_after}; файлов удалённых "
    "строк было {deletes_before}, стало {deletes_after}; объём читаемых данных {mb_before} → {mb_after} МБ. "
    "Прежние состояния сохранены: отмена загрузок работает как раньше."
)
