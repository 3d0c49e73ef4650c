"""The account's Scorecard tab: the scorecard of a period (the latest by default) with a
grid of weights, targets and actuals edited in place, attainment and status per line,
the score and a trend per metric; starting the first scorecard, copying into the next
period, adding and removing metrics, and importing actuals from CSV."""

import csv
import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts_app.selectors import account_get_for_user
from accounts_app.views.common import render_account_page
from core import periods
from core.http import wants_fragment

from .. import charts, formulas, selectors, services
from ..forms import ImportForm, LineAddForm, ScorecardStartForm
from ..selectors import line_get_for_user, scorecard_get_for_user

MAX_IMPORT_ROWS = 5000


def _tab_url(account, scorecard=None) -> str:
    url = reverse("scorecards:account", args=[account.pk])
    return f"{url}?period={scorecard.period_start:%Y-%m-%d}" if scorecard else url


def _parse_period(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def decorate(line_views) -> list:
    for view in line_views:
        view.sparkline = charts.sparkline_svg(
            view.trend, status=view.status, label=view.metric.name, unit=view.metric.unit
        )
    return line_views


def _score_sparkline(trend) -> str:
    return charts.sparkline_svg(
        [(start, score, None) for start, score in trend], label="Scorecard score"
    )


def _card_context(request, account, scorecard) -> dict:
    trend = selectors.score_trend(scorecard=scorecard)
    previous = formulas.previous_score(trend)
    cards = selectors.scorecard_periods(account=account)
    available = selectors.available_metrics(scorecard=scorecard)
    return {
        "scorecard": scorecard,
        "period_label": periods.label(scorecard.period_start, scorecard.cadence),
        "period_end": periods.period_end(scorecard.period_start, scorecard.cadence),
        "lines": decorate(selectors.scorecard_lines(scorecard=scorecard)),
        "previous_score": previous,
        "score_change": formulas.score_change(scorecard.score, previous),
        "score_sparkline": _score_sparkline(trend),
        "period_choices": [(start, periods.label(start, cadence)) for start, cadence in cards],
        "has_next": selectors.scorecard_has_next(scorecard=scorecard),
        "next_label": periods.label(
            periods.shift(scorecard.period_start, scorecard.cadence, 1), scorecard.cadence
        ),
        "add_form": LineAddForm(available=available),
        "can_add_metric": available.exists(),
    }


@login_required
def scorecard_tab_view(request, account_id: int):
    services.ensure_defaults()
    account = account_get_for_user(user=request.user, account_id=account_id)
    requested = request.GET.get("period")
    scorecard = selectors.account_scorecard(account=account, period=_parse_period(requested))
    if scorecard is None and requested:
        messages.info(request, "That period has no scorecard: here is the latest.")
        scorecard = selectors.account_scorecard(account=account)
    context = {"start_form": ScorecardStartForm()} if scorecard is None else {}
    if scorecard is not None:
        context = _card_context(request, account, scorecard)
    return render_account_page(
        request, account=account, tab="scorecard", panel="scorecards/_tab.html", context=context
    )


@login_required
@require_POST
def scorecard_start_view(request, account_id: int):
    """The account's first scorecard: cadence, first period and metrics."""
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    form = ScorecardStartForm(request.POST)
    if form.is_valid():
        try:
            scorecard = services.scorecard_create(
                account=account,
                by=request.user,
                cadence=form.cleaned_data["cadence"],
                period_start=form.cleaned_data["period"],
                metrics=form.cleaned_data["metrics"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"Scorecard for {periods.label(scorecard.period_start, scorecard.cadence)} "
                "started: set a target for each metric.",
            )
            return redirect(_tab_url(account, scorecard))
    return render_account_page(
        request,
        account=account,
        tab="scorecard",
        panel="scorecards/_tab.html",
        context={"start_form": form},
    )


@login_required
@require_POST
def scorecard_next_view(request, account_id: int, scorecard_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    scorecard = scorecard_get_for_user(
        user=request.user, account=account, scorecard_id=scorecard_id
    )
    try:
        following = services.scorecard_next(scorecard=scorecard, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_tab_url(account, scorecard))
    messages.success(
        request,
        f"{periods.label(following.period_start, following.cadence)} started with the same "
        "metrics, weights and targets.",
    )
    return redirect(_tab_url(account, following))


def _line_response(request, line, *, errors=None, typed=None):
    scorecard = line.scorecard
    view = next(
        (v for v in selectors.scorecard_lines(scorecard=scorecard) if v.line.pk == line.pk), None
    )
    if view is None:  # removed by someone else in the meantime
        raise Http404("This line is no longer on the scorecard.")
    decorate([view])
    view.errors, view.typed = errors or {}, (typed if errors else {})
    trend = selectors.score_trend(scorecard=scorecard)
    context = {
        "view": view,
        "scorecard": scorecard,
        "score_change": formulas.score_change(scorecard.score, formulas.previous_score(trend)),
        "score_sparkline": _score_sparkline(trend),
    }
    return TemplateResponse(request, "scorecards/_line_result.html", context)


@login_required
@require_POST
def line_update_view(request, line_id: int):
    """Save a line's weight, target or actual (any of them posted). htmx gets the line's
    computed cells and the score back (the inputs stay as typed, the focus where it is);
    a refused value is said beside the line, and nothing is saved."""
    line = line_get_for_user(user=request.user, line_id=line_id, write=True)
    # The grid's inputs are named "actual-<line id>"; a single value may come as "actual".
    data = {}
    for key in services.LINE_FIELDS:
        for name in (f"{key}-{line.pk}", key):
            if name in request.POST:
                data[key] = request.POST[name]
                break
    errors = {}
    try:
        line = services.line_update(line=line, by=request.user, **data)
    except ValidationError as exc:
        errors = exc.message_dict
        line.refresh_from_db()
    if wants_fragment(request):
        return _line_response(request, line, errors=errors, typed=data)
    if errors:
        messages.error(request, f"{line.metric}: " + " ".join(sum(errors.values(), [])))
    return redirect(_tab_url(line.scorecard.account, line.scorecard))


@login_required
@require_POST
def scorecard_save_view(request, account_id: int, scorecard_id: int):
    """Save the whole grid at once (the form's own submit, without JavaScript): every
    line is checked first; with any error nothing is saved and the grid shows what was
    typed with the errors."""
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    scorecard = scorecard_get_for_user(
        user=request.user, account=account, scorecard_id=scorecard_id
    )
    lines = selectors.scorecard_lines_by_id(scorecard=scorecard)
    changes, errors = {}, {}
    for line_id in lines:
        data = {
            key: request.POST[f"{key}-{line_id}"]
            for key in services.LINE_FIELDS
            if f"{key}-{line_id}" in request.POST
        }
        try:
            services.clean_line_values(data, metric=lines[line_id].metric)
        except ValidationError as exc:
            errors[line_id] = exc.message_dict
        changes[line_id] = data
    if not errors:
        for line_id, data in changes.items():
            if data:
                services.line_update(line=lines[line_id], by=request.user, **data)
        messages.success(request, "Scorecard saved.")
        return redirect(_tab_url(account, scorecard))
    context = _card_context(request, account, scorecard)
    for view in context["lines"]:
        view.errors = errors.get(view.line.pk, {})
        view.typed = changes.get(view.line.pk, {})
    context["grid_error"] = "Nothing was saved: correct the highlighted values."
    return render_account_page(
        request, account=account, tab="scorecard", panel="scorecards/_tab.html", context=context
    )


@login_required
@require_POST
def line_add_view(request, account_id: int, scorecard_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    scorecard = scorecard_get_for_user(
        user=request.user, account=account, scorecard_id=scorecard_id
    )
    form = LineAddForm(request.POST, available=selectors.available_metrics(scorecard=scorecard))
    if form.is_valid():
        try:
            line = services.line_add(
                scorecard=scorecard, metric=form.cleaned_data["metric"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{line.metric} added: give it a target.")
    else:
        messages.error(request, "Choose a metric that is not on the scorecard yet.")
    return redirect(_tab_url(account, scorecard))


@login_required
@require_POST
def line_remove_view(request, line_id: int):
    line = line_get_for_user(user=request.user, line_id=line_id, write=True)
    scorecard = line.scorecard
    services.line_remove(line=line, by=request.user)
    messages.success(request, f"{line.metric} removed from this period's scorecard.")
    return redirect(_tab_url(scorecard.account, scorecard))


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, account_id: int):
    """Upload a CSV of actuals; every bad row is reported and nothing changes until the
    file is clean."""
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        rows, problem = _read_csv(form.cleaned_data["file"])
        if problem:
            form.add_error("file", problem)
        else:
            report = services.actuals_import(account=account, by=request.user, rows=rows)
            if report.ok:
                created = (
                    f"; {report.created_scorecards} new period"
                    f"{'s' if report.created_scorecards != 1 else ''}"
                    if report.created_scorecards
                    else ""
                )
                messages.success(request, f"Imported {report.rows} actuals{created}.")
                return redirect(_tab_url(account))
    return render_account_page(
        request,
        account=account,
        tab="scorecard",
        panel="scorecards/_import.html",
        context={"form": form, "report": report},
    )


def _read_csv(upload) -> tuple[list[dict], str | None]:
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "The file is not UTF-8 text: save it as “CSV UTF-8”."
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = {(name or "").strip().casefold() for name in (reader.fieldnames or [])}
    missing = [c for c in services.IMPORT_COLUMNS if c not in header]
    if missing:
        return (
            [],
            "The first line must name the columns period, metric and actual "
            f"(missing: {', '.join(missing)}).",
        )
    rows = []
    for row in reader:
        rows.append(row)
        if len(rows) > MAX_IMPORT_ROWS:
            return [], f"The file has over {MAX_IMPORT_ROWS:,} rows: split it."
    return rows, None


@login_required
def import_template_view(request, account_id: int):
    """A CSV to fill in: the current scorecard's metrics for its period."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    scorecard = selectors.account_scorecard(account=account)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="scorecard-actuals.csv"'
    writer = csv.writer(response)
    writer.writerow(["period", "metric", "actual", "target"])
    if scorecard is not None:
        for line in selectors.scorecard_lines_in_order(scorecard=scorecard):
            writer.writerow(
                [
                    f"{scorecard.period_start:%Y-%m}",
                    line.metric.name,
                    selectors.plain(line.actual),
                    selectors.plain(line.target),
                ]
            )
    return response
