"""A report as a Word document (.docx), with python-docx.

Headings use Word's heading styles, so the navigation pane lists the sections; tables are
Word tables whose header row repeats on every page; figures are PNG at print resolution
with their alt text (``descr``) set; the page is A4 portrait.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from wellbeing_framework._version import __version__
from wellbeing_framework.report.document import (
    Document,
    Figure,
    Listing,
    Paragraph,
    Table,
    printable,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

__all__ = ["to_docx"]

_TEXT_WIDTH_CM = 16.0


def _page(doc: WordDocument) -> None:
    from docx.shared import Cm

    for section in doc.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.0)
    normal: Any = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = _pt(10.5)


def _page_numbers(doc: WordDocument) -> None:
    """A footer with "Page N", N a field Word fills in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)


def _pt(size: float) -> Any:
    from docx.shared import Pt

    return Pt(size)


def _paragraph(doc: WordDocument, block: Paragraph) -> None:
    from docx.shared import Cm, RGBColor

    para = doc.add_paragraph()
    run = para.add_run(printable(block.text))
    if block.kind == "reading":
        run.bold = True
    elif block.kind == "note":
        para.paragraph_format.left_indent = Cm(0.6)
        run.italic = True
    elif block.kind == "small":
        run.font.size = _pt(8.5)
        run.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)


def _figure(doc: WordDocument, block: Figure) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    shape = doc.add_picture(io.BytesIO(block.png), width=Cm(_TEXT_WIDTH_CM))
    if shape.height > Cm(17):  # a tall figure keeps to about two thirds of the page
        ratio = Cm(17) / shape.height
        shape.height, shape.width = Cm(17), int(shape.width * ratio)
    frame = shape._inline.docPr
    frame.set("descr", printable(block.alt))
    frame.set("title", printable(block.caption))
    picture_paragraph = doc.paragraphs[-1]
    picture_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture_paragraph.paragraph_format.keep_with_next = True
    doc.add_paragraph(printable(block.caption), style="Caption")


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def column_widths(block: Table, total: float = _TEXT_WIDTH_CM) -> list[float]:
    """Column widths in cm that add up to ``total``: each column as wide as its text
    needs (its longest cell, up to 40 characters, plus a margin; its longest heading word, which is
    bold and needs two fifths more room plus a margin, so no word is broken)."""
    needs = []
    for j, heading in enumerate(block.header):
        cells = [row[j] for row in block.rows]
        longest = max([len(c) for c in cells] or [1])
        word = max([len(w) for w in heading.split()] or [1])
        needs.append(max(min(longest, 40) + 1.0, 1.4 * word + 1, 4.0))
    scale = total / sum(needs)
    return [n * scale for n in needs]


def _set_widths(table: Any, block: Table) -> None:
    from docx.shared import Cm

    table.autofit = False
    widths = column_widths(block)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Cm(width)  # the grid, which some readers use instead of the cells
    for j, width in enumerate(widths):
        for cell in table.columns[j].cells:
            cell.width = Cm(width)


def _table(doc: WordDocument, block: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = doc.add_paragraph(printable(block.caption), style="Caption")
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = _pt(12)
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = doc.styles["Light List Accent 1"]
    numeric = block.numeric_columns()
    for i, row in enumerate([block.header, *block.rows]):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.text = printable(text)
            para = cell.paragraphs[0]
            if numeric[j]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in para.runs:
                run.font.size = _pt(9)
                run.bold = i == 0
    _repeat_header(table.rows[0])
    _set_widths(table, block)
    for note in block.footnotes:
        _paragraph(doc, Paragraph(note, "small"))


def _listing(doc: WordDocument, block: Listing) -> None:
    doc.add_heading(printable(block.title), level=2)
    para = doc.add_paragraph()
    run = para.add_run(printable(block.text))
    run.font.name = "Courier New"
    run.font.size = _pt(7.5)


def to_docx(document: Document) -> bytes:
    """The document as the bytes of a .docx file.

    Raises
    ------
    ImportError
        If python-docx is not installed.
    """
    import docx

    doc = docx.Document()
    _page(doc)
    doc.core_properties.title = printable(document.title)[:255]  # the format's limit
    doc.core_properties.author = "wellbeing_framework"
    _page_numbers(doc)
    doc.core_properties.comments = f"Made with wellbeing_framework {__version__}"
    doc.add_heading(printable(document.title), level=0)
    _paragraph(doc, Paragraph(document.subtitle, "small"))
    for section in document.sections:
        heading = doc.add_heading(printable(section.title), level=1)
        heading.paragraph_format.page_break_before = section.appendix
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _paragraph(doc, block)
            elif isinstance(block, Figure):
                _figure(doc, block)
            elif isinstance(block, Table):
                _table(doc, block)
            else:
                _listing(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
