"""The app's pages, in the order of its menu: app.py registers them (for a user, those their role may open);
the tests and benchmarks that run every page take them from here, so a page added to the app is in them."""

# (page, section, icon): the page is pages/<page>.py, its title messages.PAGE_TITLES[page], its section
# messages.SECTIONS[section]
PAGES = [
    ("overview", "monitoring", ":material/dashboard:"),
    ("staff", "monitoring", ":material/groups:"),
    ("ict", "monitoring", ":material/computer:"),
    ("innovation", "monitoring", ":material/lightbulb:"),
    ("results", "monitoring", ":material/school:"),
    ("plan", "monitoring", ":material/event_note:"),
    ("compare", "monitoring", ":material/compare_arrows:"),
    ("upload", "data", ":material/upload_file:"),
    ("quality", "data", ":material/fact_check:"),
    ("note", "data", ":material/description:"),
    ("catalog", "help", ":material/menu_book:"),
]
NAMES = [name for name, _, _ in PAGES]
FILES = [f"pages/{name}.py" for name in NAMES]
