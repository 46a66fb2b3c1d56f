"""A report as one self-contained HTML page that prints well on A4.

Everything is inline (CSS, figures as PNG data), so the file opens offline and makes no
request. Tables fit the page (cells wrap; no table is wider than the text column); in
print, each section starts a new page and no figure or table row is split.
"""

from __future__ import annotations

import base64
import html as _html

from wellbeing_framework.report.document import (
    Block,
    Document,
    Figure,
    Listing,
    Paragraph,
    Section,
    Table,
    printable,
)

__all__ = ["CSS", "to_html"]


def _escape(text: object, quote: bool = True) -> str:
    """Escaped for HTML, without control characters."""
    return _html.escape(printable(text), quote=quote)


CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:48rem;margin:2rem auto;
padding:0 1rem;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.8rem;margin-bottom:.2rem}
h2{border-top:4px solid #12436D;padding-top:.6rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.8rem 0 .3rem;font-size:.9rem;max-width:100%}
th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{border-bottom:2px solid #0b0c0c}
.num{text-align:right}td.num{white-space:nowrap}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#505a5f}
.reading{font-size:1.1rem}
.note{background:#f3f2f1;border-left:5px solid #12436D;padding:.6rem 1rem;font-size:.9rem}
.small,.foot{font-size:.85rem;color:#505a5f}.foot{margin:.1rem 0}
details{margin:.6rem 0}pre{white-space:pre-wrap;font-size:.8rem}
.wrap{overflow-x:auto}.print-only{display:none}
@page{size:A4 portrait;margin:18mm 16mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10.5pt}
h2{break-before:page;page-break-before:always;border-top:none}
section:first-of-type h2{break-before:auto;page-break-before:auto}
h2,h3,caption,.reading{break-after:avoid;page-break-after:avoid}
figure,tr,.note,.foot{break-inside:avoid;page-break-inside:avoid}
figure img{max-height:120mm;width:auto;max-width:100%}
.wrap{overflow:visible}details{display:none}.print-only{display:block}
a{color:inherit;text-decoration:none}
}
"""


def _css_width(block: Figure) -> int:
    """The figure's width in CSS pixels (96 per inch), read from the PNG header."""
    pixels = int.from_bytes(block.png[16:20], "big")
    return round(pixels * 96 / block.dpi)


def _figure(block: Figure) -> str:
    data = base64.b64encode(block.png).decode("ascii")
    alt = _escape(block.alt, quote=True)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{alt}" '
        f'style="width:{_css_width(block)}px">'
        f"<figcaption>{_escape(block.caption)}</figcaption></figure>"
    )


def _table(block: Table) -> str:
    numeric = block.numeric_columns()
    kind = [' class="num"' if n else "" for n in numeric]
    head = "".join(
        f'<th scope="col"{k}>{_escape(c)}</th>' for c, k in zip(block.header, kind, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{k}>{_escape(c)}</td>" for c, k in zip(row, kind, strict=True))
        + "</tr>"
        for row in block.rows
    )
    foot = "".join(f'<p class="foot">{_escape(n)}</p>' for n in block.footnotes)
    return (
        f'<div class="wrap"><table><caption>{_escape(block.caption)}</caption><thead>'
        f"<tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{foot}"
    )


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        kind = "" if block.kind == "text" else f' class="{block.kind}"'
        return f"<p{kind}>{_escape(block.text)}</p>"
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, Table):
        return _table(block)
    if not isinstance(block, Listing):  # pragma: no cover - every block kind is above
        msg = f"unknown report block {type(block).__name__}"
        raise TypeError(msg)
    text = _escape(block.text)
    return (  # collapsed on screen; printed in full, as a closed <details> prints nothing
        f"<details><summary>{_escape(block.title)}</summary><pre>{text}</pre></details>"
        f'<div class="print-only"><h3>{_escape(block.title)}</h3><pre>{text}</pre></div>'
    )


def _section(section: Section) -> str:
    return (
        f"<section><h2>{_escape(section.title)}</h2>"
        + "".join(_block(b) for b in section.blocks)
        + "</section>"
    )


def to_html(document: Document) -> str:
    """The document as one self-contained HTML page."""
    title = _escape(document.title)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        f'<h1>{title}</h1><p class="small">{_escape(document.subtitle)}</p>'
        + "".join(_section(s) for s in document.sections)
        + "</body></html>\n"
    )
