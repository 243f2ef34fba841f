-- Subject codes and their Russian names (mart.subject_names).
SELECT subject, name_ru FROM mart.subject_names ORDER BY subject
