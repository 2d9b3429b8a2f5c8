"""The board paper (issue 19): page 1 is key messages; pages full enough; no heading orphaned
at a page's foot; the report's fonts throughout; impact figures true for past periods; and a
spreadsheet an analyst can use as it is."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from boarddata import respond
from feedback import demo
from feedback.extensions import db
from feedback.models import Comment, Response, Role, ThemeTag
from feedback.services import impact, quotes
from feedback.services.reports import Period
from feedback.web.analyser import current_analyser

TODAY = date(2026, 12, 7)
Q3 = Period.parse("2026-Q3")
#: A4 in points, and the paper's top and bottom margins (16 mm, 18 mm).
PAGE_HEIGHT, TOP, BOTTOM = 841.89, 16 / 25.4 * 72, 18 / 25.4 * 72
HEADINGS = {"Key messages", "Themes", "Trends", "Feelings", "Who responded",
            "Themes broken down", "Impact: the golden thread", "In their own words",
            "Definitions", "Method and small numbers", "What children raised most",
            "What was done about it: the golden thread"}


def _approve_two_quotes(board, other) -> list[str]:
    """Propose and approve two quotes of Q3 case comments about themes with many responses."""
    rows = db.session.execute(
        select(Comment, ThemeTag.theme).join(Response, Response.id == Comment.response_id)
        .join(ThemeTag, ThemeTag.comment_id == Comment.id)
        .where(Response.submitted_on >= Q3.start, Response.submitted_on < Q3.end,
               Response.case_id.is_not(None), Response.language == "en",
               ThemeTag.theme.in_(["school", "activities", "family"]), quotes.is_quotable())
        .order_by(Comment.id)).all()
    texts, themes = [], set()
    for comment, theme in rows:
        words = comment.text.split()
        if theme in themes or len(words) < 4:
            continue
        excerpt = " ".join(words[:6])
        if not quotes.is_excerpt_of(excerpt, comment.text):
            continue
        draft = quotes.propose(db.session, comment, excerpt, theme, board, [], [])
        found = [f.text for f in quotes.names_to_check(draft, [])]
        quotes.decide(db.session, draft, other, approve=True, not_names=found)
        texts.append(draft.excerpt)
        themes.add(theme)
        if len(texts) == 2:
            break
    db.session.commit()
    return texts


@pytest.fixture()
def demo_quarter(app, create_user):
    demo.build_demo(db.session, current_analyser(), today=TODAY)
    db.session.commit()
    board, other = create_user(Role.BOARD), create_user(Role.BOARD)
    return {"board": board, "quotes": _approve_two_quotes(board, other)}


def _lines(page) -> list[tuple[float, str]]:
    """The page's text as (height from the page's foot, line), top to bottom."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():  # the text's origin, through the current transformation, in points
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))
    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda item: -item[0])


def test_the_pdf_of_a_demo_quarter_is_a_paper_a_board_can_use(auth, client, demo_quarter):
    auth.sign_in(demo_quarter["board"].email)
    response = client.get("/board/export?period=2026-Q3&format=pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    pages = [_lines(page) for page in reader.pages]
    total = len(pages)
    assert total >= 4

    # Page 1: key messages, and nothing but.
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Key messages" in first and "What children raised most" in first
    assert "Comments linked to a plan action" in first and "Plan actions completed" in first
    assert "Comments with a reply shared with the child" in first
    assert len(demo_quarter["quotes"]) == 2
    for quote in demo_quarter["quotes"]:
        assert quote.split()[0] in first
    assert "Responses by theme over time" not in first and "Definitions" not in first

    content = PAGE_HEIGHT - TOP - BOTTOM
    running_title = "What children told us: July to September 2026"
    for number, lines in enumerate(pages, start=1):
        assert any(re.fullmatch(rf"{number} / {total}", t) for _y, t in lines)  # page numbers
        assert any(t == running_title and y < BOTTOM for y, t in lines)  # in the foot margin
        # Words in the body (a chart's lone numbers are placed in their own coordinates).
        body = [(y, text) for y, text in lines if re.search(r"[A-Za-z]{2}", text)
                and text != running_title and not re.fullmatch(r"\d+ / \d+", text)]
        lowest = min(y for y, _t in body)
        filled = (PAGE_HEIGHT - TOP - lowest) / content
        if number < total:
            assert filled >= 1 / 3, f"page {number} is only {filled:.0%} full"
        # No heading ends a page: the last line of the body is never a heading.
        last = min(body, key=lambda item: item[0])[1]
        assert last not in HEADINGS, f"page {number} ends with the heading {last!r}"

    # Every piece of text in the report's fonts (page numbers and chart labels too).
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts and all("Liberation" in font or "DejaVu" in font for font in fonts), fonts


def test_the_spreadsheet_is_sized_frozen_and_holds_numbers(auth, client, demo_quarter):
    auth.sign_in(demo_quarter["board"].email)
    book = load_workbook(io.BytesIO(client.get("/board/export?period=2026-Q3&format=xlsx").data))
    assert "Method" in book.sheetnames
    assert book["Method"].max_row >= 3
    for sheet in book.worksheets:
        assert sheet.freeze_panes in ("A3", "B3"), sheet.title
        assert sheet.column_dimensions["A"].width >= 8
    themes = book["Themes"]
    assert themes.column_dimensions["A"].width >= len("My social worker and other workers")
    numbers = [cell.value for row in themes.iter_rows(min_row=3, min_col=2) for cell in row
               if cell.value is not None]
    assert any(isinstance(value, int) for value in numbers)
    assert not any(isinstance(value, str) and value.lstrip("+-").isdigit() for value in numbers)
    shares = [row[3] for row in book["Impact"].iter_rows(min_row=3)]
    shown = [cell for cell in shares if isinstance(cell.value, float)]
    assert shown and all(cell.number_format == "0%" and 0 <= cell.value <= 1 for cell in shown)
    assert not any(isinstance(cell.value, str) and cell.value.endswith("%") for cell in shares)


def test_impact_counts_cases_open_at_the_end_of_a_past_period(app, create_case,
                                                              builtin_questionnaires):
    """A case created here after the period, with the child's responses from before it, was
    open then: a past period never shows "0 out of 0"."""
    version = builtin_questionnaires["how-are-things"]
    cases = [create_case() for _ in range(3)]
    for case in cases:
        case.created_at = datetime(2026, 12, 1, tzinfo=UTC)  # brought in later
    db.session.commit()
    respond(version, on=date(2026, 8, 1), case=cases[0])
    respond(version, on=date(2026, 1, 5), case=cases[1])
    respond(version, on=date(2026, 11, 1), case=cases[2])  # not heard until after Q3
    as_of = impact.as_of(Q3, TODAY)
    assert impact.heard_recently(db.session, as_of) == (1, 2)
    # Open then and not heard in the 42 days before its end: the first two (never the third).
    assert impact.drift(db.session, as_of, days=42) == 2
