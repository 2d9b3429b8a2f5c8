"""When a person will read an urgent message: the promise a child is given, at every hour."""

from datetime import UTC, date, datetime, time

import pytest

from feedback.services.working_time import LONDON, DueDay, when_read


def london(*args: int) -> datetime:
    """Return a wall-clock time in England as an aware UTC datetime (as the app's clock is)."""
    return datetime(*args, tzinfo=LONDON).astimezone(UTC)


def test_a_weekday_afternoon_is_read_today_with_the_office_open():
    reading = when_read(london(2026, 12, 9, 14, 0), 2)  # Wednesday
    assert reading.is_open and not reading.is_night
    assert (reading.due_day, reading.due_on) == (DueDay.TODAY, date(2026, 12, 9))
    assert reading.due_at.time() == time(16, 0)
    assert reading.promise == "today"


def test_at_half_past_four_the_deadline_runs_into_the_next_morning():
    # Open now, but only half an hour of the two working hours is left today.
    reading = when_read(london(2026, 12, 9, 16, 30), 2)
    assert reading.is_open
    assert (reading.due_day, reading.due_on) == (DueDay.TOMORROW, date(2026, 12, 10))
    assert reading.due_at.time() == time(10, 30)
    assert reading.promise == "tomorrow_morning"


def test_a_weekday_night_is_read_tomorrow_morning():
    reading = when_read(london(2026, 12, 9, 22, 33), 2)
    assert not reading.is_open and reading.is_night
    assert reading.due_at == datetime(2026, 12, 10, 11, 0, tzinfo=LONDON)
    assert reading.promise == "tomorrow_morning"


def test_after_midnight_tomorrow_morning_has_become_this_morning():
    reading = when_read(london(2026, 12, 10, 2, 0), 2)
    assert not reading.is_open and reading.is_night
    assert (reading.due_day, reading.due_at.time()) == (DueDay.TODAY, time(11, 0))
    assert reading.promise == "this_morning"


def test_early_morning_before_nine_is_read_this_morning_after_opening():
    reading = when_read(london(2026, 12, 10, 7, 45), 2)
    assert not reading.is_open and not reading.is_night
    assert reading.due_day is DueDay.TODAY and reading.is_morning
    assert reading.promise == "this_morning"


def test_early_morning_with_a_longer_deadline_is_read_today_after_opening():
    reading = when_read(london(2026, 12, 10, 7, 45), 4)
    assert reading.due_at.time() == time(13, 0)
    assert reading.promise == "today_after_opening"


def test_friday_evening_is_read_on_monday_morning():
    reading = when_read(london(2026, 12, 4, 18, 10), 2)
    assert not reading.is_open and reading.is_night
    assert (reading.due_day, reading.due_on) == (DueDay.LATER, date(2026, 12, 7))
    assert reading.due_on.strftime("%A") == "Monday"
    assert reading.promise == "day_morning"


def test_friday_afternoon_with_little_time_left_is_read_on_monday_morning():
    reading = when_read(london(2026, 12, 4, 16, 0), 2)
    assert reading.is_open
    assert reading.due_at == datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)
    assert reading.promise == "day_morning"


def test_sunday_is_read_tomorrow_morning():
    reading = when_read(london(2026, 12, 6, 22, 33), 2)  # the child in the report
    assert not reading.is_open and reading.is_night
    assert reading.due_at == datetime(2026, 12, 7, 11, 0, tzinfo=LONDON)
    assert reading.promise == "tomorrow_morning"


def test_a_sunday_afternoon_is_not_night_but_the_office_is_closed():
    reading = when_read(london(2026, 12, 6, 14, 0), 2)
    assert not reading.is_open and not reading.is_night
    assert reading.promise == "tomorrow_morning"


def test_christmas_day_is_read_after_the_boxing_day_holiday():
    # Friday 25 December 2026; Boxing Day falls on Saturday, so Monday 28th is a holiday.
    reading = when_read(london(2026, 12, 25, 10, 0), 2)
    assert not reading.is_open
    assert reading.due_at == datetime(2026, 12, 29, 11, 0, tzinfo=LONDON)
    assert reading.due_on.strftime("%A") == "Tuesday"
    assert reading.promise == "day_morning"


def test_a_summer_bank_holiday_is_read_tomorrow_morning_in_british_summer_time():
    reading = when_read(london(2026, 8, 31, 15, 0), 2)  # Monday, a bank holiday
    assert not reading.is_open and not reading.is_night
    assert reading.due_at == datetime(2026, 9, 1, 11, 0, tzinfo=LONDON)
    assert reading.due_at.utcoffset().total_seconds() == 3600
    assert reading.promise == "tomorrow_morning"


def test_the_evening_before_a_bank_holiday_skips_the_holiday():
    reading = when_read(london(2026, 12, 24, 19, 0), 2)  # Thursday, Christmas Eve
    assert reading.due_on == date(2026, 12, 29)
    assert reading.promise == "day_morning"


def test_the_last_hour_before_a_long_weekend_runs_past_it():
    reading = when_read(london(2026, 8, 28, 16, 30), 2)  # Friday before the August holiday
    assert reading.is_open
    assert reading.due_at == datetime(2026, 9, 1, 10, 30, tzinfo=LONDON)
    assert reading.due_on.strftime("%A") == "Tuesday"


@pytest.mark.parametrize(("hours", "promise"), [(2, "tomorrow_morning"), (5, "tomorrow")])
def test_a_long_deadline_is_not_promised_for_the_morning(hours, promise):
    reading = when_read(london(2026, 12, 9, 20, 0), hours)
    assert reading.promise == promise


def test_a_long_deadline_on_a_later_day_names_only_the_day():
    reading = when_read(london(2026, 12, 4, 20, 0), 5)
    assert reading.due_at == datetime(2026, 12, 7, 14, 0, tzinfo=LONDON)
    assert reading.promise == "day"


@pytest.mark.parametrize(("clock", "is_open"), [
    ((8, 59), False), ((9, 0), True), ((16, 59), True), ((17, 0), False)])
def test_the_office_opens_at_nine_and_closes_at_five(clock, is_open):
    assert when_read(london(2026, 12, 9, *clock), 2).is_open is is_open


@pytest.mark.parametrize(("clock", "is_night"), [
    ((5, 59), True), ((6, 0), False), ((16, 59), False), ((17, 0), True)])
def test_night_runs_from_five_in_the_evening_to_six_in_the_morning(clock, is_night):
    assert when_read(london(2026, 12, 6, *clock), 2).is_night is is_night
