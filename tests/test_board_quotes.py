"""Quotes: an excerpt, redacted automatically, approved by a second person, shown with care."""

from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from boarddata import respond
from feedback.extensions import db
from feedback.models import AuditEvent, Quote, QuoteState, Role, utcnow
from feedback.services import quotes, redaction, summaries
from feedback.services.reports import Period

Q3 = date(2026, 8, 10)


@pytest.mark.parametrize("text, redacted", [
    ("Amy Jones said I can call her", "[name] said I can call her"),
    ("amy's mum is nice", "[name]'s mum is nice"),
    ("text me on 07700 900123 or +44 (0)20 7946 0000",
     "text me on [phone] or [phone]"),
    ("my email is kid.name+x@example.co.uk ok", "my email is [email] ok"),
    ("we live in LS1 4AB and then ls14ab", "we live in [postcode] and then [postcode]"),
    ("we moved to 12 Acacia Avenue last year", "we moved to [address] last year"),
    ("i live on oak road with nan", "i live on [address] with nan"),
    ("i go to Hillside Primary and st anne's is near", "i go to [school] and [school] is near"),
    ("Greenfield Academy is strict", "[school] is strict"),
    # Ordinary words stay: no name, place or school in these.
    ("down the road there is a park", "down the road there is a park"),
    ("my new school is big and the family court was scary",
     "my new school is big and the family court was scary"),
    ("i was 12 in 2019 and 13 in 2020", "i was 12 in 2019 and 13 in 2020"),
])
def test_redaction_takes_out_what_could_identify_someone(text, redacted):
    assert redaction.redact(text, names=["Amy Jones"],
                            school_names=["Hillside Primary School", "St Anne's"]) == redacted


@pytest.mark.parametrize("excerpt, is_excerpt", [
    ("my nan", True), ("I LIKE school", True), ("i like ... my nan", True),
    ("i like … nan", True), ("my nan ... i like school", False), ("i love school", False),
])
def test_a_quote_is_made_only_of_words_the_child_wrote(excerpt, is_excerpt):
    assert quotes.is_excerpt_of(excerpt, "I like  school and I like my nan") is is_excerpt


@pytest.fixture()
def comment(app, create_case, builtin_questionnaires):
    case = create_case()
    response = respond(builtin_questionnaires["how-are-things"], themes=["school"], on=Q3,
                       case=case, text="Mr Smith at Hillside Primary helps me with maths")
    return response.comments[0]


@pytest.fixture()
def people(create_user):
    return {"worker": create_user(Role.WORKER), "board": create_user(Role.BOARD),
            "other": create_user(Role.BOARD)}


def test_a_worker_proposes_and_someone_else_approves(comment, people):
    quote = quotes.propose(db.session, comment, "Mr Smith at Hillside Primary helps me",
                           "school", people["worker"], names=["Smith"],
                           school_names=["Hillside Primary School"])
    assert quote.excerpt == "Mr [name] at [school] helps me …"  # words left out, marked
    with pytest.raises(quotes.QuoteError) as own:
        quotes.decide(db.session, quote, people["worker"], approve=True)
    assert own.value.reason == "own_quote"
    quotes.decide(db.session, quote, people["board"], approve=True)
    db.session.commit()
    assert quote.state == QuoteState.APPROVED and quote.decided_by_id == people["board"].id
    with pytest.raises(quotes.QuoteError, match="decided"):
        quotes.decide(db.session, quote, people["other"], approve=False)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "quote").order_by(AuditEvent.id)).all()
    assert actions == ["quote.propose", "quote.approve"]


@pytest.mark.parametrize("excerpt, theme, reason", [
    ("", "school", "empty"), ("...", "school", "empty"), ("helps me", "maths", "unknown_theme"),
    ("x" * 501, "school", "too_long"), ("helps me with English", "school", "not_in_comment"),
])
def test_a_quote_that_cannot_be_is_refused_with_a_reason(comment, people, excerpt, theme,
                                                         reason):
    with pytest.raises(quotes.QuoteError) as refused:
        quotes.propose(db.session, comment, excerpt, theme, people["worker"], [], [])
    assert refused.value.reason == reason


def test_the_database_itself_refuses_a_proposer_approving_their_own(comment, people):
    quote = quotes.propose(db.session, comment, "helps me", "school", people["worker"], [], [])
    db.session.commit()
    with pytest.raises(IntegrityError, match="second_person_decides"):
        db.session.execute(update(Quote).where(Quote.id == quote.id).values(
            state=QuoteState.APPROVED, decided_by_id=people["worker"].id, decided_at=utcnow()))
    db.session.rollback()


def test_the_approval_page_shows_redacted_words_and_lets_a_second_person_decide(
        auth, client, comment, people):
    mine = quotes.propose(db.session, comment, "helps me with maths", "school", people["board"],
                          [], [])
    theirs = quotes.propose(db.session, comment, "Mr Smith at Hillside Primary", "school",
                            people["worker"], ["Smith"], ["Hillside Primary"])
    db.session.commit()
    auth.sign_in(people["board"].email)
    page = client.get("/board/quotes").get_data(as_text=True)
    assert "Mr [name] at [school]" in page
    assert "What the child wrote" in page and "helps me with maths" in page  # beside it
    assert "You proposed this quote, so someone else must approve or reject it." in page
    assert "School and learning" in page
    refused = client.post(f"/board/quotes/{mine.id}/approve")
    assert refused.status_code == 409 and "someone else must" in refused.get_data(as_text=True)
    assert client.post(f"/board/quotes/{theirs.id}/approve").status_code == 302
    db.session.refresh(theirs)
    assert theirs.state == QuoteState.APPROVED
    assert client.post(f"/board/quotes/{theirs.id}/reject").status_code == 404  # decided


def test_a_rejected_quote_never_appears(auth, client, comment, people):
    quote = quotes.propose(db.session, comment, "helps me", "school", people["worker"], [], [])
    db.session.commit()
    auth.sign_in(people["board"].email)
    client.post(f"/board/quotes/{quote.id}/reject")
    db.session.refresh(quote)
    assert quote.state == QuoteState.REJECTED
    assert quotes.approved(db.session, Period.parse("2026-Q3"), ["school"]) == {}


def test_approved_quotes_appear_only_for_themes_whose_count_shows(
        auth, client, app, create_case, builtin_questionnaires, people):
    version = builtin_questionnaires["how-are-things"]
    many = [respond(version, themes=["school"], on=Q3, case=create_case(), text="school is ok",
                    commit=False) for _ in range(7)]
    few = respond(version, themes=["identity"], on=Q3, case=create_case(), text="i am proud")
    # A year before: within 2026 one small month would hide its quarter's count too.
    earlier = respond(version, themes=["school"], on=date(2025, 2, 1), case=create_case(),
                      text="school was bad")
    for response, excerpt in ((many[0], "school is ok"), (few, "i am proud"),
                              (earlier, "school was bad")):
        quote = quotes.propose(db.session, response.comments[0], excerpt,
                               response.comments[0].text and
                               ("identity" if response is few else "school"),
                               people["worker"], [], [])
        quotes.decide(db.session, quote, people["board"], approve=True)
    db.session.commit()
    summary = summaries.build_summary(db.session, Period.parse("2026-Q3"), 6)
    assert summary.theme("identity").responses.shown == "c"
    assert summary.theme("school").responses.shown != "c"
    auth.sign_in(people["other"].email)
    page = client.get("/board/?period=2026-Q3").get_data(as_text=True)
    assert "school is ok" in page
    assert "i am proud" not in page  # its theme's count is suppressed
    assert "school was bad" not in page  # said in another period
