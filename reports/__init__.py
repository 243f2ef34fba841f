"""Documents: the analytical note (by section), the institution passport, DOCX rendering, Russian grammar."""
