"""The published report as a Word document (python-docx): an authority's report goes on
in Word. Each point keeps its sources, as the hub's addresses."""
import io

from docx import Document
from docx.shared import Pt


def report_docx(report, address):
    """The .docx of a published report, as bytes; ``address(path)`` is a source's full address."""
    document = Document()
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"Covers {report.period}. Published {report.published_at:%-d %B %Y}"
                           f" by {report.published_by}.")
    for section in report.sections:
        document.add_heading(section["title"], level=1)
        if section.get("intro"):
            document.add_paragraph(section["intro"])
        for group in section["groups"]:
            if group.get("theme"):
                document.add_heading(group["theme"], level=2)
            for point in group["points"]:
                count = point.get("count", 0)
                said = f" ({count} partnerships)" if count > 1 else ""
                document.add_paragraph(point["text"] + said, style="List Bullet")
                if point.get("sources"):
                    sources = document.add_paragraph()
                    run = sources.add_run("Source: " + "; ".join(f"{label} <{address(path)}>"
                                                                 for label, path in point["sources"]))
                    run.font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
