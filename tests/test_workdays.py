"""The working-day calendar against the State Council notices, the local days, and the
`holidays` package as an independent second source."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from zhixing.engine import Engine
from zhixing.workdays import CalendarGap, WorkCalendar


@pytest.fixture(scope="module")
def calendar(engine: Engine) -> WorkCalendar:
    return engine.policies.calendar


def test_2024_09_29_sunday_is_a_working_day(calendar: WorkCalendar) -> None:
    assert date(2024, 9, 29).weekday() == 6
    assert calendar.is_workday(date(2024, 9, 29))


def test_2020_extension_cancelled_2020_02_01_and_2020_01_19_was_worked(calendar: WorkCalendar) -> None:
    assert not calendar.is_workday(date(2020, 2, 1))
    assert date(2020, 1, 19).weekday() == 6 and calendar.is_workday(date(2020, 1, 19))


def test_2019_may_day_revision(calendar: WorkCalendar) -> None:
    for day in (2, 3, 4):
        assert not calendar.is_workday(date(2019, 5, day))


def test_2026_02_14_saturday_is_a_working_day(calendar: WorkCalendar) -> None:
    assert date(2026, 2, 14).weekday() == 5 and calendar.is_workday(date(2026, 2, 14))


def test_a_2027_date_says_which_year_is_missing(calendar: WorkCalendar) -> None:
    with pytest.raises(CalendarGap, match="no working-day calendar for 2027"):
        calendar.is_workday(date(2027, 3, 1))
    assert not calendar.covers(2027) and calendar.covers(2019)


def test_filed_n_workdays_ahead_counts_the_half_open_interval(calendar: WorkCalendar) -> None:
    start = date(2024, 10, 8)
    assert calendar.latest_filing(start, 6) == date(2024, 9, 24)
    assert calendar.workdays_between(date(2024, 9, 24), start) == 6
    assert calendar.workdays_between(date(2024, 9, 25), start) == 5
    assert calendar.add_workdays(date(2024, 9, 30), 1) == date(2024, 10, 8)


def test_local_rest_days_come_from_policies_with_their_source(calendar: WorkCalendar) -> None:
    assert not calendar.is_workday(date(2019, 4, 8))  # 三月三 (example data in policies/calendar.yaml)
    # the source stays in policies/calendar.yaml (the schema requires it); the engine keeps only
    # what it reads: rest or work, and whether the date is confirmed (the 2019 example days are not)
    assert calendar.local[date(2019, 4, 8)].confirmed is False
    national = WorkCalendar()
    assert national.is_workday(date(2019, 4, 8))


def test_extra_year_extends_coverage() -> None:
    cal = WorkCalendar.from_policy({"local_days": [], "extra_years": [
        {"year": 2027, "source": "国务院办公厅通知", "rest_days": ["2027-01-01"], "work_days": ["2027-01-09"]}]})
    assert cal.covers(2027)
    assert not cal.is_workday(date(2027, 1, 1)) and cal.is_workday(date(2027, 1, 9)) and cal.is_workday(date(2027, 1, 4))


def test_agrees_with_the_holidays_package_for_2019_to_2026() -> None:
    holidays = pytest.importorskip("holidays")
    china = holidays.country_holidays("CN", years=range(2019, 2027))
    national = WorkCalendar()  # without the local days, which the holidays package does not know
    day, differences = date(2019, 1, 1), []
    while day <= date(2026, 12, 31):
        if national.is_workday(day) != china.is_working_day(day):
            differences.append(day)
        day += timedelta(days=1)
    assert differences == []


def test_known_days_decide_when_they_suffice(calendar: WorkCalendar) -> None:
    """2027 is not covered, but filing on 2026-12-10 for 2027-01-05 is in time on 2026's days alone;
    filing on 2027-01-04 is late whatever 2027 holds; only an answer that depends on 2027 is a gap."""
    from zhixing.workdays import CalendarGap

    if calendar.covers(2027):
        pytest.skip("the installed chinesecalendar already covers 2027")
    low, high, gap = calendar.workdays_bounds(date(2026, 12, 10), date(2027, 1, 5))
    assert low >= 6 and gap == 2027
    low, high, gap = calendar.workdays_bounds(date(2027, 1, 4), date(2027, 1, 5))
    assert high < 6
    with pytest.raises(CalendarGap):
        calendar.workdays_between(date(2026, 12, 30), date(2027, 1, 12))


def test_an_unconfirmed_local_day_is_reported_by_every_check_that_counts_over_it() -> None:
    """Counting answers are kept (records share dates); the unconfirmed local day they passed over
    must still be noted by each check, in a long-lived process (mkdocs serve) as in the CLI."""
    calendar = WorkCalendar.from_policy({"local_days": [{"date": "2019-10-09", "type": "rest", "confirmed": False}]})
    first = calendar.add_workdays(date(2019, 10, 8), 2)
    assert calendar.unconfirmed_used == {2019}
    calendar.unconfirmed_used.clear()  # the engine, at the start of the next check
    assert calendar.add_workdays(date(2019, 10, 8), 2) == first == date(2019, 10, 11)
    assert calendar.unconfirmed_used == {2019}
    calendar.unconfirmed_used.clear()
    calendar.add_workdays(date(2019, 10, 10), 2)  # starts after it
    assert calendar.unconfirmed_used == set()
