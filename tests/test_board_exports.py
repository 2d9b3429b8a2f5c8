"""Exports of the summary: CSV, XLSX and a PDF board report that never reveal a child."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from boarddata import respond
from feedback.exports.charts import bar_chart, line_chart
from feedback.exports.tabular import Sheet, csv_chunks, neutralise, xlsx_bytes
from feedback.extensions import db
from feedback.models import AuditEvent, Comment, Quote, QuoteState, Response, Role, utcnow

Q3 = date(2026, 8, 10)
CHILD_WORDS = "my foster carer Jo shouts at me on Elm Road"


@pytest.fixture()
def board(auth, create_user):
    user = create_user(Role.BOARD, name="Bea Board")
    auth.sign_in(user.email)
    return user


@pytest.fixture()
def period_data(app, create_pod, create_case, create_user, builtin_questionnaires):
    """A quarter with enough responses to show, a case reference and a worker's name."""
    pod = create_pod("=HYPERLINK(\"http://evil.example\")")
    worker = create_user(Role.WORKER, pod, name="Walter Worker")
    version = builtin_questionnaires["how-are-things"]
    cases = [create_case(pod, reference=f"CASE-REF-{n:03d}") for n in range(12)]
    for n, case in enumerate(cases):
        respond(version, themes=["home", "school"] if n % 3 else ["home"], on=Q3, case=case,
                text=CHILD_WORDS, commit=False)
    db.session.commit()
    return {"worker": worker, "cases": cases}


def test_cells_a_spreadsheet_would_run_are_made_inert():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise(-3) == -3 and neutralise("School") == "School" and neutralise(None) is None


def test_the_csv_is_utf8_with_its_formulas_neutralised(client, board, period_data):
    response = client.get("/board/export?period=2026-Q3&format=csv")
    assert response.mimetype == "text/csv"
    assert 'filename="board-summary-2026-Q3.csv"' in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["'=HYPERLINK(\"http://evil.example\")", "12", "12"] in rows
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_the_csv_streams_one_table_at_a_time():
    sheets = [Sheet("a", "First", ["x"], [[1]]), Sheet("b", "Second", ["y"], [[2]])]
    chunks = list(csv_chunks(sheets))
    assert chunks[0] == "\ufeff" and len(chunks) == 3 and "Second" in chunks[2]


def test_the_xlsx_has_one_sheet_per_table_with_the_definitions(client, board, period_data):
    response = client.get("/board/export?period=2026-Q3&format=xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:4] == ["About", "Themes", "Feelings", "Trend"]
    assert {"By pod", "Themes by pod", "Impact", "Quotes", "Definitions"} <= set(book.sheetnames)
    themes = list(book["Themes"].iter_rows(values_only=True))
    assert themes[1][:3] == ("Theme", "Responses", "Children")
    assert ("Home and where I live", 12, 12, 0, 12) in [tuple(r[:5]) for r in themes]
    pods = [row for row in book["By pod"].iter_rows(values_only=True)]
    assert pods[2][0] == "'=HYPERLINK(\"http://evil.example\")"
    terms = [row[0] for row in book["Definitions"].iter_rows(values_only=True)]
    assert "Children" in terms
    assert book.properties.created.day == 1  # never a date finer than the month


def test_the_pdf_report_has_its_charts_tables_and_pages(client, board, period_data):
    response = client.get("/board/export?period=2026-Q3&format=pdf")
    assert response.mimetype == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    # Line breaks depend on the fonts the machine has: compare words, not lines.
    words = " ".join(text.split())
    assert len(pdf.pages) >= 5
    assert "What children told us: July to September 2026" in words
    assert "Responses and children by theme" in text
    assert "Impact: the golden thread" in text and "Method and small numbers" in text
    # The charts are drawn: each trend line's axis labels and the bar chart's labels.
    assert text.count("Q2 2025") >= 11 and text.count("Growing up and the future") >= 3
    assert "/CreationDate" not in str(pdf.metadata)


def test_every_export_is_audited(client, board, period_data):
    for fmt in ("csv", "xlsx", "pdf"):
        client.get(f"/board/export?period=2026-Q3&format={fmt}")
    details = db.session.scalars(select(AuditEvent.detail)
                                 .where(AuditEvent.action == "board.export")).all()
    assert sorted(d["format"] for d in details) == ["csv", "pdf", "xlsx"]
    assert {d["period"] for d in details} == {"2026-Q3"}


@pytest.mark.parametrize("query", ["period=2026-Q3&format=docx", "period=2999-Q1&format=csv",
                                   "period=July&format=csv"])
def test_an_export_of_nothing_sensible_is_not_found(client, board, query):
    assert client.get(f"/board/export?{query}").status_code == 404


def _export_text(client, fmt: str) -> str:
    data = client.get(f"/board/export?period=2026-Q3&format={fmt}").data
    if fmt == "csv":
        return data.decode("utf-8")
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None) + str(book.properties.created)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_no_export_carries_a_child_a_case_or_a_worker(client, board, period_data, fmt,
                                                      create_user):
    approver = create_user(Role.BOARD)
    case = period_data["cases"][0]
    comment_id = db.session.scalar(select(Comment.id).join(Response)
                                   .where(Response.case_id == case.id))
    db.session.add(Quote(comment_id=comment_id, theme="home", excerpt="[name] is kind to me",
                         state=QuoteState.APPROVED, proposed_by_id=period_data["worker"].id,
                         decided_by_id=approver.id, decided_at=utcnow()))
    db.session.commit()
    text = _export_text(client, fmt)
    assert "[name] is kind to me" in text  # the approved quote, and no other words of a child
    assert "foster carer" not in text and "Elm Road" not in text
    assert "CASE-REF" not in text
    assert "Walter Worker" not in text and "Bea Board" not in text
    dates = re.findall(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|"
                       r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
                       r"September|October|November|December) \d{4}\b", text)
    assert all(d.endswith("-01") for d in dates), dates  # only a workbook's month


def test_the_command_line_writes_the_report_and_shows_progress(app, period_data, tmp_path):
    target = tmp_path / "board.csv"
    result = app.test_cli_runner().invoke(
        args=["board", "export", "--period", "2026-Q3", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Writing csv" in result.stderr and "Wrote" in result.stderr
    assert "Responses and children by theme" in target.read_text("utf-8")
    assert db.session.scalar(select(AuditEvent.detail)
                             .where(AuditEvent.action == "board.export"))["via"] \
        == "command line"


def test_the_command_line_refuses_a_period_that_is_not_one(app):
    result = app.test_cli_runner().invoke(args=["board", "export", "--period", "Q3"])
    assert result.exit_code == 2 and "not a reporting period" in result.output


def test_charts_escape_their_words_and_draw_no_bar_for_a_suppressed_count():
    svg = str(bar_chart("c1", "<Title>", "Desc & more", [("A <b>", 12), ("B", "c")]))
    assert "&lt;Title&gt;" in svg and "A &lt;b&gt;" in svg and "<b>" not in svg
    assert svg.count("<rect") == 1 and 'role="img"' in svg
    line = str(line_chart("c2", "T", "D", ["Q1", "Q2", "Q3"], [10, "c", 12]))
    assert line.count("<circle") == 2 and line.count("<line") == 1  # the axis; no gap-spanning


def test_a_workbook_is_dated_to_its_month():
    data = xlsx_bytes([Sheet("T", "Title", ["A"], [[1]])], "Report",
                      created=utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    book = load_workbook(io.BytesIO(data))
    assert (book.properties.created.day, book.properties.created.hour) == (1, 0)
