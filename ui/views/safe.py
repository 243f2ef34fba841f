"""Text that came from files (institution and municipality names, innovation titles, file names) shown as
text, never as markup.

Streamlit renders Markdown in `st.markdown`, captions, titles, info boxes, tooltips (`help=`), button and link
labels and progress texts; plotly renders a subset of HTML (`<b>`, `<a href=…>`, `<br>`) in titles, axis
labels, legends and hover labels. A name such as `**Школа**`, `[сайт](javascript:…)`, `![](http://…)` or
`<img src=x onerror=…>` must show exactly as written. Every sink that interpolates such a value passes it
through `md()` (Markdown) or the whole figure through `figure()` (plotly).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# the characters that open Markdown/HTML markup — emphasis, code, links and images, HTML and autolinks
# (`<…>`, `http://`, `a@b`), tables, LaTeX (`$`), entities (`&lt;`) and Streamlit's directives (`:red[…]`,
# `:material/…:`, emoji shortcodes) — are backslash-escaped (CommonMark: any ASCII punctuation may be);
# the rest of a name (`г. Бугуруслан`, `МОБУ «СОШ № 2» (филиал)`) stays as it is, so that the raw text stays
# readable; block markup needs a line start, and a name is put on one line
_MD_MARKUP = re.compile(r"([\\`*_{}\[\]<>#+!|~$:@&])")
_MD_LINE_START = re.compile(r"^(\s*)([-=]|\d+[.)])")
_MD_WWW = re.compile(r"(www)\.", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
# the markup our own charts use on purpose; any other tag in a chart's text is shown literally
_PLOTLY_OWN_TAGS = re.compile(r"<(?!(?:br|/?extra)>)", re.IGNORECASE)


# Streamlit's GFM autolinks (`https://…`, `www.…`, `a@b.c`) are found in the text *after* backslash escapes
# are resolved, so escaping does not stop them: a zero-width joiner (invisible) breaks each pattern
_ZWJ = "\u200d"
_AUTOLINK_SCHEME = re.compile(r"(?i)([a-z][a-z0-9+.-]*:)(?=/)")
_AUTOLINK_WWW = re.compile(r"(?i)(www)(?=\.)")


def md(value: Any) -> str:
    """`value` as Markdown that displays it literally, on one line, with no autolink."""
    text = _CONTROL.sub(" ", "" if value is None else str(value))
    text = _AUTOLINK_SCHEME.sub(lambda m: m.group(1) + _ZWJ, text)
    text = _AUTOLINK_WWW.sub(lambda m: m.group(1) + _ZWJ, text)
    text = text.replace("@", _ZWJ + "@")
    text = _MD_MARKUP.sub(r"\\\1", text)
    text = _MD_WWW.sub(r"\1\\.", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def plot_text(value: str) -> str:
    """A string of a plotly figure with every `<` that does not open our own `<br>`/`<extra>` made literal
    (plotly shows `&lt;` as `<`); `&` too, so that an entity in a name is shown as written."""
    text = value.replace("&", "&amp;")
    return _PLOTLY_OWN_TAGS.sub("&lt;", text)


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return plot_text(value) if ("<" in value or "&" in value) else value
    if isinstance(value, Mapping):
        return {k: _walk(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(v) for v in value]
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in ("O", "U", "S"):
        return [_walk(v) for v in value.tolist()]
    return value


def figure(fig: Mapping[str, Any]) -> dict[str, Any]:
    """A plotly figure (as a dict) whose every text shows literally: titles, axis categories, tick texts,
    legend names, hover texts and custom data."""
    return _walk(fig)  # type: ignore[no-any-return]
