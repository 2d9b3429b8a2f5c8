"""The themed summary: the database counts, the page shows, small numbers never do."""

import csv
import io
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boarddata import numbers_in_tables, respond
from feedback.extensions import db
from feedback.web.labels import THEME_LABELS
from feedback.models import AgeBand, ParticipationSession, Role, Sentiment
from feedback.services import codes, summaries
from feedback.services.reports import Period, PeriodError, default_period, trend_periods
from feedback.web.caches import caches

Q3 = date(2026, 8, 10)
Q2 = date(2026, 5, 10)


@pytest.fixture()
def board(auth, create_user):
    user = create_user(Role.BOARD, name="Bea Board")
    auth.sign_in(user.email)
    return user


@pytest.fixture()
def version(builtin_questionnaires):
    return builtin_questionnaires["how-are-things"]


@pytest.mark.parametrize("text, code, start, end", [
    ("2026-11", "2026-11", date(2026, 11, 1), date(2026, 12, 1)),
    ("2026-q3", "2026-Q3", date(2026, 7, 1), date(2026, 10, 1)),
    ("2026", "2026", date(2026, 1, 1), date(2027, 1, 1)),
    ("2026-12", "2026-12", date(2026, 12, 1), date(2027, 1, 1)),
])
def test_periods_are_fixed_calendar_months_quarters_and_years(text, code, start, end):
    period = Period.parse(text)
    assert (period.code, period.start, period.end) == (code, start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26-Q1", "2026-07-01", "", "1999"])
def test_anything_else_is_not_a_period(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_the_trend_runs_back_through_the_same_kind_of_period():
    assert Period.parse("2026-Q1").previous().code == "2025-Q4"
    assert Period.parse("2026-01").previous().code == "2025-12"
    assert [p.code for p in trend_periods(Period.parse("2026-Q2"))] == [
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert default_period(date(2026, 11, 26)).code == "2026-Q3"


def test_counts_come_from_the_database_by_theme_child_and_period(app, version, create_case,
                                                                 create_user):
    cases = [create_case() for _ in range(7)]
    for case in cases:
        respond(version, themes=["school"], on=Q3, case=case, commit=False)
    respond(version, themes=["school"], on=Q3, case=cases[0], commit=False)  # a second time
    for case in cases[:6]:
        respond(version, themes=["school"], on=Q2, case=case, commit=False)
    respond(version, themes=["family"], removed=["school"], removed_by=create_user(),
            on=Q3, case=cases[1])
    summary = summaries.build_summary(db.session, Period.parse("2026-Q3"), 6)
    school = summary.theme("school")
    assert (school.responses.shown, school.children.shown, school.previous.shown,
            school.change) == (8, 7, 6, 2)
    assert summary.theme("family").responses.shown == "c"  # 1, and a worker removed "school"
    assert summary.theme("home").responses.shown == 0
    assert [c.shown for c in school.trend] == [0, 0, 0, 0, 6, 8]


def test_session_responses_count_as_responses_never_as_children(app, create_session,
                                                                builtin_questionnaires):
    event = create_session(starts=date(2026, 8, 1))
    for _ in range(8):
        respond(builtin_questionnaires["board-session"], themes=["friends"], on=Q3, event=event,
                age_band=AgeBand.FROM_11, commit=False)
    db.session.commit()
    summary = summaries.build_summary(db.session, Period.parse("2026-Q3"), 6)
    assert summary.theme("friends").responses.shown == 8
    assert summary.theme("friends").children.shown == 0
    assert summary.breakdowns["age_band"].responses["11-13"].shown == 8


def test_a_theme_is_broken_down_only_from_ten_and_small_cells_hide_in_pairs(
        app, version, create_pod, create_case):
    north, south = create_pod("North"), create_pod("South")
    for n in range(12):
        respond(version, themes=["health"], on=Q3,
                case=create_case(north if n < 9 else south), commit=False)
    for n in range(7):
        respond(version, themes=["identity"], on=Q3, case=create_case(north), commit=False)
    db.session.commit()
    summary = summaries.build_summary(db.session, Period.parse("2026-Q3"), 6)
    pods = summary.breakdowns["pod"]
    health = {group: count.shown for group, count in pods.by_theme["health"].items()}
    assert health == {north.id: "c", south.id: "c"}  # 3 is small; 9 would give it away
    assert summary.theme("health").responses.shown == 12
    assert pods.by_theme["identity"] is None  # 7: shown in the theme table, not broken down
    assert summary.theme("identity").responses.shown == 7


def test_the_feelings_of_a_theme_add_up_to_its_comments(app, version, create_case):
    for n in range(14):
        respond(version, themes=["school"], on=Q3, case=create_case(),
                sentiment=Sentiment.POSITIVE if n < 11 else Sentiment.NEGATIVE, commit=False)
    db.session.commit()
    school = summaries.build_summary(db.session, Period.parse("2026-Q3"), 6).theme("school")
    assert school.comments.shown == 14
    assert {k: v.shown for k, v in school.sentiment.items()} == {
        "positive": "c", "negative": "c", "mixed": 0, "neutral": 0, None: 0}


def test_the_page_shows_the_period_chosen_with_a_get_form(client, board, version, create_case):
    for _ in range(6):
        respond(version, themes=["activities"], on=date(2026, 9, 2), case=create_case(),
                commit=False)
    db.session.commit()
    page = client.get("/board/?period=2026-09").get_data(as_text=True)
    assert "What children told us: September 2026" in page
    assert '<form class="app-period-form" method="get"' in page
    assert re.search(r'<option selected value="2026-09">|value="2026-09" selected', page)
    themes = dict(numbers_in_tables(page))["Responses and children by theme"]
    assert themes[:4] == ["0", "0", "0", "0"] and "6" in themes


def test_an_unknown_period_is_an_error_on_the_form(client, board):
    response = client.get("/board/?period=2999-Q1")  # not started
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "<title>Error:" in page


def test_every_chart_has_a_text_alternative_and_a_table(client, board, version, create_case):
    respond(version, themes=["home"], on=Q3, case=create_case())
    page = client.get("/board/?period=2026-Q3").get_data(as_text=True)
    charts = re.findall(r"<svg[^>]*>", page)
    assert len(charts) == 12  # themes, and one trend line per theme
    for chart in charts:
        assert 'role="img"' in chart and "aria-labelledby" in chart
    assert page.count("<title id=") == page.count("<desc id=") == 12
    captions = [caption for caption, _ in numbers_in_tables(page)]
    assert "Responses and children by theme" in captions
    assert "Responses by theme over time" in captions


def test_a_cross_tabulation_is_shown_when_asked_for(client, board, version, create_case,
                                                    create_pod):
    pod = create_pod("Riverside")
    for _ in range(10):
        respond(version, themes=["family"], on=Q3, case=create_case(pod), commit=False)
    db.session.commit()
    page = client.get("/board/?period=2026-Q3&breakdown=pod").get_data(as_text=True)
    crosstab = dict(numbers_in_tables(page))["Responses by theme and pod"]
    assert "Riverside" in page and "10" in crosstab


# --- The property: whatever the data, no small number shows and none can be worked out ---

response_specs = st.lists(st.tuples(
    st.integers(0, 2),                                   # pod, or 2 = the session
    st.integers(0, 5),                                   # which child of that pod
    st.sets(st.sampled_from(["safety", "school", "family", "health"]), max_size=3),
    st.booleans(),                                       # this quarter or the one before
    st.sampled_from(list(Sentiment)),
    st.sampled_from([None, *AgeBand])), max_size=70)


def _csv_tables(text: str) -> list[tuple[str, list[list[str]]]]:
    tables, lines = [], list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    while lines:
        block = []
        while lines and lines[0]:
            block.append(lines.pop(0))
        if lines:
            lines.pop(0)
        if len(block) >= 2:
            tables.append((block[0][0], block[1:]))
    return tables


def _check_lines(title: str, rows: list[list[str]]) -> None:
    """No line (a row with its total, a column with its total) has a lone 'c'."""
    header, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
    if title.startswith("Responses by theme and") or title.startswith("Comments by theme"):
        for row in body:
            cells = row[1:-1]
            assert not (cells.count("c") == 1 and row[-1] != "c"), (title, row)
    elif title.startswith("Responses by") and body and body[-1][0] == "All responses":
        for column in range(1, len(header)):
            cells = [r[column] for r in body[:-1]]
            assert not (cells.count("c") == 1 and body[-1][column] != "c"), (title, column)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=response_specs)
def test_no_page_or_csv_count_is_small_or_recoverable(app, client, board, version, create_pod,
                                                      create_case, builtin_questionnaires,
                                                      specs):
    pods = [create_pod() for _ in range(2)]
    children = {}
    event = ParticipationSession(title="Forum",
                                 join_code_digest=codes.digest(codes.new_join_code(db.session)),
                                 questionnaire=version.questionnaire, safeguarding_lead=board,
                                 starts_on=Q2, ends_on=Q3)
    expected: dict[str, int] = {}
    for pod, child, themes, now, sentiment, band in specs:
        case = None
        if pod < 2:
            case = children.get((pod, child)) or create_case(pods[pod])
            children[pod, child] = case
        respond(version, themes=themes, on=Q3 if now else Q2, case=case,
                event=None if case else event, sentiment=sentiment, age_band=band,
                commit=False)
        for theme in themes if now else ():
            expected[theme] = expected.get(theme, 0) + 1
    db.session.commit()
    page = client.get("/board/?period=2026-Q3&breakdown=pod").get_data(as_text=True)
    for caption, cells in numbers_in_tables(page):
        if caption == "Responses and children by theme":
            cells = [c for n, c in enumerate(cells) if n % 4 != 3]  # not the change column
        assert not any(re.fullmatch(r"[1-5]", cell) for cell in cells), caption
    exported = client.get("/board/export?period=2026-Q3&format=csv").get_data(as_text=True)
    for title, rows in _csv_tables(exported):
        counts = [n for n, header in enumerate(rows[0]) if n and header != "Change"]
        for row in rows[1:]:
            assert not any(re.fullmatch(r"[1-5]", row[n]) for n in counts if n < len(row)), row
        _check_lines(title, rows)
    themes = dict(_csv_tables(exported))["Responses and children by theme"]
    for row in themes[1:]:
        code = next(c for c, label in THEME_LABELS.items() if str(label) == row[0])
        assert row[1] == "c" or int(row[1]) == expected.get(code, 0)
    db.session.rollback()
    caches().clear()  # the next example's data is new
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in ("staff_users", "staff_sessions", "questionnaires",
                              "questionnaire_versions", "audit_events", "web_sessions"):
            db.session.execute(table.delete())
    db.session.commit()
