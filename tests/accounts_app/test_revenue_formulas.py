"""Revenue history's formulas (issue 20), against values worked out by hand
(docs/formulas.md): the windows, year-on-year growth, NRR and GRR — an account that
churned to 0, one that grew, one that shrank, one new — and the Revenue tab's grid and
headline."""

from datetime import date
from decimal import Decimal as D

from accounts_app.revenue import (
    grid,
    headline,
    month_start,
    retention,
    sums_by_window,
    windows,
    yoy_growth_pct,
)


def test_the_windows_are_whole_months_ending_before_the_current_one():
    w = windows(date(2026, 12, 7))
    assert (w.earlier_from, w.later_from, w.until) == (
        date(2024, 12, 1),
        date(2025, 12, 1),
        date(2026, 12, 1),
    )
    assert w.which(date(2026, 11, 1)) == "later" and w.which(date(2025, 12, 1)) == "later"
    assert w.which(date(2025, 11, 1)) == "earlier" and w.which(date(2024, 12, 1)) == "earlier"
    assert w.which(date(2026, 12, 1)) is None and w.which(date(2024, 11, 1)) is None
    assert month_start(date(2026, 1, 31), 1) == date(2025, 12, 1)


def test_an_account_s_windows_and_growth():
    entries = [(date(2025, 1, 1), D(100)), (date(2025, 11, 1), D(50))]  # earlier: 150
    entries += [(date(2025, 12, 1), D(90)), (date(2026, 11, 1), D(90))]  # later: 180
    entries += [(date(2026, 12, 1), D(999)), (date(2024, 11, 1), D(999))]  # outside
    sums = sums_by_window(entries, date(2026, 12, 7))
    assert sums == {"earlier": D(150), "later": D(180)}
    assert yoy_growth_pct(sums["later"], sums["earlier"]) == D(20)  # (180 − 150) / 150
    assert yoy_growth_pct(D(10), D(0)) is None


def test_nrr_and_grr_worked_by_hand():
    # earlier, later:
    #   A grew      100 → 130   kept 100
    #   B shrank    200 → 150   kept 150
    #   C churned   100 →   0   kept   0
    #   D new         0 →  80   (not in the cohort: growth, not retention)
    # Σ earlier 400; Σ later (cohort) 280 → NRR 70 %; Σ kept 250 → GRR 62.5 %.
    r = retention([(D(100), D(130)), (D(200), D(150)), (D(100), D(0)), (D(0), D(80))])
    assert (r.accounts, r.earlier, r.later, r.kept) == (3, D(400), D(280), D(250))
    assert r.nrr_pct == D(70) and r.grr_pct == D("62.5")


def test_growth_above_the_base_shows_in_nrr_only():
    # 100 → 150 and 100 → 100: NRR 125 %, GRR 100 % (GRR never exceeds 100).
    r = retention([(D(100), D(150)), (D(100), D(100))])
    assert (r.nrr_pct, r.grr_pct) == (D(125), D(100))


def test_no_earlier_revenue_no_figure():
    r = retention([(D(0), D(50))])
    assert (r.accounts, r.nrr_pct, r.grr_pct) == (0, None, None)


def test_the_grid_covers_the_last_36_months_and_this_year_newest_first():
    today = date(2026, 3, 15)
    amounts = {date(2019, 6, 1): D(5), date(2026, 2, 1): D(0), date(2025, 3, 1): D(10)}
    rows = grid(amounts, today)
    # 36 months back is March 2023; 2019 has a month recorded.
    assert [r.year for r in rows] == [2026, 2025, 2024, 2023, 2019]
    this_year = rows[0]
    assert [c.future for c in this_year.cells] == [False] * 3 + [True] * 9
    assert (this_year.cells[1].amount, this_year.cells[0].amount) == (D(0), None)
    assert (this_year.total, this_year.recorded) == (D(0), 1)  # a 0 is recorded
    assert (rows[2].total, rows[2].recorded) == (None, 0)  # nothing is not 0
    assert this_year.cells[1].window == "later" and this_year.cells[2].window is None  # running
    assert rows[1].cells[2].window == "later" and rows[1].cells[1].window == "earlier"
    assert all(r.editable for r in rows)
    assert not grid({date(2027, 1, 1): D(1)}, today)[0].editable


def test_the_headline_is_what_the_recompute_works_out_and_names_the_missing_months():
    today = date(2026, 3, 15)
    amounts = {
        date(2024, 3, 1): D(120),  # earlier
        date(2025, 3, 1): D(100),  # later
        date(2026, 2, 1): D(50),  # later
        date(2026, 3, 1): D(999),  # running: not counted
    }
    figures = headline(amounts, today)
    assert (figures.ttm, figures.earlier, figures.yoy_growth_pct) == (D(150), D(120), D(25))
    assert len(figures.missing) == 10 and figures.missing[0] == date(2025, 4, 1)
    assert (figures.windows.later_to, figures.windows.earlier_to) == (
        date(2026, 2, 1),
        date(2025, 2, 1),
    )
    only_running = headline({date(2026, 3, 1): D(5)}, today)
    assert (only_running.ttm, only_running.yoy_growth_pct) == (None, None)
    nothing_earlier = headline({date(2025, 3, 1): D(5)}, today)
    assert (nothing_earlier.ttm, nothing_earlier.earlier) == (D(5), None)
    assert nothing_earlier.yoy_growth_pct is None
