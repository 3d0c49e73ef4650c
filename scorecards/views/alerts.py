"""Action alerts in the browser: the inbox (mine, my team's; filters, counts), an alert's
page with its history and the acknowledge / resolve / dismiss actions, and each user's
e-mail settings."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import download
from core.http import wants_fragment

from .. import selectors
from ..alerts import services
from ..alerts.kinds import KINDS
from ..exports import alert_columns, alert_export_queryset
from ..forms import PreferenceForm
from ..models import Alert, Severity

SCOPES = (("mine", "Mine"), ("team", "My accounts' and team's"))
STATUSES = (
    ("live", "Open or acknowledged"),
    ("snoozed", "Snoozed"),
    ("open", "Open"),
    ("acknowledged", "Acknowledged"),
    ("resolved", "Resolved"),
    ("dismissed", "Dismissed"),
    ("all", "Any status"),
)


def subject_url(alert: Alert) -> str | None:
    """Where the subject of an alert is looked after."""
    kind, _, rest = alert.subject_key.partition(":")
    account = alert.account_id
    if kind == "contact":
        return reverse("accounts:contacts", args=[account]) + f"#contact-{rest}"
    if kind == "opportunity":
        return reverse("opportunities:detail", args=[rest])
    if kind == "metric":
        return reverse("scorecards:account", args=[account])
    if kind in ("survey", "blind_spot"):
        return reverse("scorecards:survey", args=[account, rest.split(":")[0]])
    if kind in ("tactic", "plan"):
        return reverse("accounts:detail", args=[account])
    if kind == "review":
        return reverse("reviews:account", args=[account]) + f"?kind={rest}"
    return reverse("insights:health", args=[account])


def default_scope(user) -> str:
    """A manager opens on the team's alerts; everyone else on their own."""
    return "team" if user.role == user.Role.MANAGER else "mine"


def _inbox_filters(request) -> dict:
    """The inbox's filters from the query string (the page and its Export links alike)."""
    scope = request.GET.get("scope")
    return {
        "scope": scope if scope in dict(SCOPES) else default_scope(request.user),
        "status": (
            request.GET.get("status") if request.GET.get("status") in dict(STATUSES) else "live"
        ),
        "severity": request.GET.get("severity", ""),
        "kind": request.GET.get("kind", ""),
        "q": request.GET.get("q", "").strip()[:100],
    }


@login_required
def inbox_view(request):
    filters = _inbox_filters(request)
    scope, status, severity, kind, q = (
        filters[key] for key in ("scope", "status", "severity", "kind", "q")
    )
    alerts, counts = selectors.alert_inbox(user=request.user, **filters)
    page = Paginator(alerts, 25).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "nav_active": "alerts",
        "page": page,
        "counts": counts,
        "scope": scope,
        "scopes": SCOPES,
        "status": status,
        "statuses": STATUSES,
        "severity": severity,
        "severities": Severity.choices,
        "kind": kind,
        "kinds": [(k, v.label) for k, v in KINDS.items()],
        "q": q,
        "query_string": params.urlencode(),
        "full_query": request.GET.urlencode(),
        "actions": BULK_ACTIONS,
        "kept": request.session.pop("alert_bulk", None) or {},
    }
    template = (
        "scorecards/alerts.html#results" if wants_fragment(request) else "scorecards/alerts.html"
    )
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def inbox_export_view(request):
    """The alerts the inbox shows, with its filters, as CSV or XLSX."""
    alerts, _ = selectors.alert_inbox(user=request.user, **_inbox_filters(request))
    return download(request, alert_columns(), alert_export_queryset(alerts), name="alerts")


@login_required
def alert_view(request, alert_id: int):
    alert = services.alert_get_for_user(user=request.user, alert_id=alert_id)
    return TemplateResponse(
        request,
        "scorecards/alert.html",
        {
            "nav_active": "alerts",
            "alert": alert,
            "subject_url": subject_url(alert),
            "events": selectors.alert_events(alert=alert),
            "can_act": services.can_act(user=request.user, alert=alert),
            "explanation": KINDS[alert.rule.kind].explain(alert.rule.parameters),
            "kept_note": request.session.pop("alert_note", ""),
            "kept_until": request.session.pop("alert_snooze", ""),
            "tomorrow": timezone.localdate() + timedelta(days=1),
        },
    )


@login_required
@require_POST
def alert_action_view(request, alert_id: int, action: str):
    """acknowledge, resolve or dismiss (the last two with a note)."""
    alert = services.alert_get_for_user(user=request.user, alert_id=alert_id)
    if action not in ("acknowledge", "resolve", "dismiss"):
        raise Http404("No such action.")
    note = request.POST.get("note", "")
    try:
        if action == "acknowledge":
            services.alert_acknowledge(alert=alert, by=request.user, note=note)
            messages.success(request, "Acknowledged: the escalation stops here.")
        else:
            services.alert_close(
                alert=alert, by=request.user, note=note, dismiss=action == "dismiss"
            )
            messages.success(
                request, f"Alert {'dismissed' if action == 'dismiss' else 'resolved'}."
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        request.session["alert_note"] = note[:2000]  # kept for the form
    return redirect("scorecards:alert", alert_id=alert.pk)


BULK_ACTIONS = (
    ("acknowledge", "Acknowledge"),
    ("resolve", "Resolve"),
    ("dismiss", "Dismiss"),
)
DONE = {"acknowledge": "acknowledged", "resolve": "resolved", "dismiss": "dismissed"}


def _back_to_inbox(request):
    query = request.POST.get("query", "")
    url = reverse("scorecards:alerts")
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def bulk_view(request):
    """The inbox's selected alerts acknowledged, resolved or dismissed at once, with one
    note; back to the inbox as it was, saying what was done and what was skipped."""
    action = request.POST.get("action", "")
    try:
        result = services.alerts_bulk(
            user=request.user,
            ids=request.POST.getlist("ids"),
            action=action,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        request.session["alert_bulk"] = {
            "ids": request.POST.getlist("ids")[: services.BULK_MAX],
            "action": action,
            "note": request.POST.get("note", "")[: services.NOTE_MAX],
        }
        return _back_to_inbox(request)
    if result.done:
        n = len(result.done)
        messages.success(request, f"{n} alert{'s' if n != 1 else ''} {DONE[action]}.")
    if result.skipped:
        reasons = sorted({s["reason"] for s in result.skipped})
        n = len(result.skipped)
        messages.warning(
            request, f"{n} alert{'s' if n != 1 else ''} left as they were: {' '.join(reasons)}"
        )
    return _back_to_inbox(request)


@login_required
@require_POST
def snooze_view(request, alert_id: int):
    """Snooze until a day (or wake it: an empty day)."""
    alert = services.alert_get_for_user(user=request.user, alert_id=alert_id)
    raw = request.POST.get("until", "").strip()
    try:
        until = parse_date(raw) if raw else None
    except ValueError:
        until = None
    try:
        if raw and until is None:
            raise ValidationError({"until": "Give the day as a date, e.g. 2027-01-15."})
        services.alert_snooze(
            alert=alert, by=request.user, until=until, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        request.session["alert_snooze"] = raw[:20]
    else:
        messages.success(
            request,
            f"Snoozed until {until:%-d %b %Y}: out of your inbox, not escalated till then."
            if until
            else "Woken up: the alert is back in the inbox.",
        )
    return redirect("scorecards:alert", alert_id=alert.pk)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request):
    preference = selectors.alert_preference_for(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.alert_preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, "Your alert e-mail settings are saved.")
        return redirect("scorecards:alert_preferences")
    return TemplateResponse(
        request, "scorecards/alert_preferences.html", {"nav_active": "alerts", "form": form}
    )
