"""Voice of the customer pages: the account's Surveys tab (its rounds), a new round sent
to chosen contacts, a round's results (gaps, blind spots, comments), the team's
predictions, new links and closing; and the customer's own page, reached by a
single-use link without a login, made for a phone as much as a desk."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts_app.selectors import account_get_for_user, can_edit_account
from accounts_app.views.common import render_account_page
from core.http import REFUSED
from core.throttles import SurveyLinkThrottle, limit_view

from .. import charts, formulas, selectors, services, surveys
from ..forms import RoundForm
from ..models import SurveyRound


@login_required
def surveys_tab_view(request, account_id: int):
    services.ensure_defaults()
    account = account_get_for_user(user=request.user, account_id=account_id)
    rounds = selectors.account_survey_rounds(account=account)
    summaries = [(survey, surveys.round_results(survey=survey)) for survey in rounds[:12]]
    return render_account_page(
        request,
        account=account,
        tab="surveys",
        panel="scorecards/_surveys.html",
        context={"summaries": summaries, "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new_view(request, account_id: int):
    services.ensure_defaults()
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    form = RoundForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            survey = surveys.round_create(
                account=account,
                by=request.user,
                template=form.cleaned_data["template"],
                title=form.cleaned_data["title"],
                contacts=list(form.cleaned_data["contacts"]),
                days_open=form.cleaned_data["days_open"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            count = selectors.survey_invitation_count(survey=survey)
            messages.success(
                request, f"Sent {count} survey link{'s' if count != 1 else ''} by e-mail."
            )
            return redirect("scorecards:survey", account_id=account.pk, round_id=survey.pk)
    return render_account_page(
        request,
        account=account,
        tab="surveys",
        panel="scorecards/_survey_new.html",
        context={
            "form": form,
            "without_email": selectors.contacts_without_email(account=account),
        },
    )


@login_required
def round_view(request, account_id: int, round_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id)
    survey = selectors.survey_round_get(account=account, round_id=round_id)
    results = surveys.round_results(survey=survey)
    mine = None
    if can_edit_account(user=request.user, account=account):
        mine = selectors.survey_prediction(survey=survey, user=request.user)
    now = timezone.now()
    return render_account_page(
        request,
        account=account,
        tab="surveys",
        panel="scorecards/_survey_round.html",
        context={
            "survey": survey,
            "results": results,
            "chart": charts.perception_svg(
                [
                    (r.dimension.name, r.gap.customer_mean, r.gap.internal_mean, r.gap.blind_spot)
                    for r in results.dimensions
                ]
            ),
            "invitations": selectors.survey_invitations(survey=survey),
            "dimensions": selectors.survey_dimensions_with_prediction(
                survey=survey, prediction=mine
            ),
            "my_prediction": mine,
            "is_open": formulas.survey_open(
                status_open=survey.status == SurveyRound.Status.OPEN,
                expires_at=survey.expires_at,
                now=now,
            ),
            "now": now,
            "scale": range(1, 6),
        },
    )


@login_required
@require_POST
def prediction_view(request, account_id: int, round_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    survey = selectors.survey_round_get(account=account, round_id=round_id)
    answers = {
        key.removeprefix("dimension_"): value
        for key, value in request.POST.items()
        if key.startswith("dimension_")
    }
    try:
        surveys.prediction_set(
            survey=survey, by=request.user, answers=answers, comment=request.POST.get("comment", "")
        )
    except ValidationError as exc:
        messages.error(request, "Your prediction was not saved: " + " ".join(exc.messages))
    else:
        messages.success(request, "Your prediction is saved.")
    return redirect("scorecards:survey", account_id=account.pk, round_id=survey.pk)


@login_required
@require_POST
def round_close_view(request, account_id: int, round_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    survey = selectors.survey_round_get(account=account, round_id=round_id)
    surveys.round_close(survey=survey, by=request.user)
    messages.success(request, "The round is closed: its links no longer take answers.")
    return redirect("scorecards:survey", account_id=account.pk, round_id=survey.pk)


@login_required
@require_POST
def resend_view(request, account_id: int, round_id: int, invitation_id: int):
    account = account_get_for_user(user=request.user, account_id=account_id, write=True)
    survey = selectors.survey_round_get(account=account, round_id=round_id)
    invitation = selectors.survey_invitation_get(survey=survey, invitation_id=invitation_id)
    try:
        surveys.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A new link went to {invitation.email}; the old one is void.")
    return redirect("scorecards:survey", account_id=account.pk, round_id=survey.pk)


# --- The customer's page -----------------------------------------------------------------

REFUSALS = {
    "unknown": (
        404,
        "This link is not valid",
        "Check that the whole link was copied from the e-mail.",
    ),
    "used": (410, "You have answered already", "Thank you: each link takes one answer."),
    "expired": (410, "This survey has closed", "The link was open until its closing date."),
    "closed": (410, "This survey has closed", "The account team has closed this round."),
}


def _refused(request, reason: str):
    status, title, text = REFUSALS[reason]
    return TemplateResponse(
        request,
        "scorecards/survey_public.html",
        {"refused": True, "title": title, "text": text},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@limit_view(SurveyLinkThrottle, template="scorecards/survey_public.html")
def survey_answer_view(request, token: str):
    """No login: the link is the key. Answered once; what was chosen is kept on errors.
    Each address may load or send it STRATA_SURVEY_RATE times (429 past that)."""
    try:
        invitation = surveys.invitation_for_token(token)
    except surveys.LinkRefused as refused:
        return _refused(request, refused.reason)
    survey = invitation.round
    dimensions = selectors.survey_dimensions(survey=survey)
    errors, chosen, comment = {}, {}, ""
    if request.method == "POST":
        chosen = {
            key.removeprefix("dimension_"): value
            for key, value in request.POST.items()
            if key.startswith("dimension_")
        }
        comment = request.POST.get("comment", "")
        try:
            surveys.customer_answer(token=token, answers=chosen, comment=comment)
        except surveys.LinkRefused as refused:
            return _refused(request, refused.reason)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return TemplateResponse(
                request,
                "scorecards/survey_public.html",
                {"thanks": True, "title": "Thank you", "survey": survey},
            )
    for dimension in dimensions:
        dimension.chosen = chosen.get(str(dimension.pk), "")
        dimension.error = " ".join(errors.get(str(dimension.pk), []))
    return TemplateResponse(
        request,
        "scorecards/survey_public.html",
        {
            "survey": survey,
            "invitation": invitation,
            "dimensions": dimensions,
            "comment": comment,
            "comment_error": " ".join(errors.get("comment", [])),
            "has_errors": bool(errors),
            "scale": [(1, "Poor"), (2, "Fair"), (3, "Good"), (4, "Very good"), (5, "Excellent")],
            "title": survey.title,
        },
        status=REFUSED if errors else 200,
    )
