"""The case record (PDF and JSON) says what the case page says: words, not internal keys."""

import io
import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from apps import AuthActions, ChildActions
from feedback.extensions import db
from feedback.models import ActionStatus, Alert, PlanAction, Role

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs"
                     / "case-record.schema.json").read_text())
DISCLOSURE = "my mum shouts when she drinks and i hide upstairs"
#: Keys and codes a reader must never meet in the file.
KEYS = ["houses.worries", "not_good", "referred_front_door", "a_bit", "in_progress",
        "how-are-things", "three-houses", "detector", "acknowledged", '"home"', "auto"]
#: What the page and the file say instead.
WORDS = ["House of worries", "What has not been so good?", "Referred to the front door / MASH",
         "A bit", "In progress", "How are things?", "Three houses", "Very sad", "Happy",
         "Stability / basic care", "Possible disclosure found in the words",
         "How are things for you at the moment?", "Did your worker listen to you this time?"]
WHEN = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}:\d{2}[ap]m")


@pytest.fixture()
def full_case(app, create_case, create_user, create_access_code):
    """A case with a how-are-things response (faces, a choice, a disclosure whose alert
    was acknowledged) and a three-houses one, and a plan action in progress."""
    case = create_case()
    worker = create_user(Role.WORKER, case.pod, name="Sam Worker")
    child = ChildActions(app.test_client())
    child.enter_code(create_access_code(case))
    for number, answer in enumerate(["1", "4", "", DISCLOSURE, "a_bit", ""], 1):
        child.answer(number, answer=answer)
    child.send()
    child = ChildActions(app.test_client())
    child.enter_code(create_access_code(case, "three-houses"))
    child.answer(1, worries="the bus to school is scary", good="", dreams="a dog")
    child.send()
    db.session.add(PlanAction(case=case, title="Weekly calls with mum", section="home",
                              owner="Sam Worker", status=ActionStatus.IN_PROGRESS,
                              due_on=date(2027, 1, 15)))
    db.session.commit()
    staff = app.test_client()
    AuthActions(staff).sign_in(worker.email)
    alert = db.session.scalar(select(Alert))
    staff.post(f"/staff/alerts/{alert.id}", data={"action": "referred_front_door",
                                                  "note": "MASH referral made"})
    return case, staff


def export(client, case, fmt):
    return client.post(f"/staff/cases/{case.reference}/export",
                       data={"from_date": "2020-01-01", "to_date": "2030-12-31", "format": fmt})


def leaves(node):
    """Every string value in a JSON document (not its field names)."""
    if isinstance(node, dict):
        for value in node.values():
            yield from leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value)
    elif isinstance(node, str):
        yield node


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_uses_the_words_of_the_case_page(full_case):
    case, staff = full_case
    text = " ".join(pdf_text(export(staff, case, "pdf").data).split())
    for words in WORDS:
        assert words in text
    for key in KEYS:
        assert key.strip('"') not in text.replace("Sam Worker", ""), key
    assert WHEN.search(text)
    assert "15 January 2027" in text


def test_the_json_uses_the_same_words_and_holds_no_keys(full_case):
    case, staff = full_case
    body = export(staff, case, "json").get_data(as_text=True)
    document = json.loads(body)
    jsonschema.validate(document, SCHEMA)
    for words in WORDS:
        assert words in body
    values = list(leaves(document))
    for key in KEYS:
        assert not [v for v in values if key.strip('"') in v.split()], key
    first = document["responses"][0]
    assert first["answers"][:2] == [
        {"question": "How are things for you at the moment?", "answer": "Very sad"},
        {"question": "How do you feel about where you live?", "answer": "Happy"}]
    assert WHEN.fullmatch(first["submitted"])
    [alert] = first["comments"][0]["alerts"]
    assert alert["action"] == "Referred to the front door / MASH"
    assert alert["state"] == "Acknowledged"


def test_the_case_page_shows_faces_and_choices_in_words(full_case):
    case, staff = full_case
    page = staff.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "Very sad" in page and "A bit" in page
    assert '<dd class="govuk-summary-list__value">1</dd>' not in page
