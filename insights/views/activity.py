"""The Activity (DESIGN §11): an account's tab, and the whole installation's log for
admins. Filters live in the URL; a bad one is said, never a 500."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from accounts_app.models import Account, User
from accounts_app.selectors import account_get_for_user
from accounts_app.views.common import render_account_page
from core.http import wants_fragment

from ..activity import KIND_CHOICES, ActivityFilters, activity_page

PER_PAGE = 25


class ActivityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *KIND_CHOICES], required=False, label="Kind of record"
    )
    user = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Person")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data, *, people, accounts=None):
        super().__init__(data)
        self.fields["user"].choices = [("", "Anyone"), *((u.pk, u.name) for u in people)]
        if accounts is not None:
            self.fields["account"] = forms.TypedChoiceField(
                coerce=int,
                required=False,
                empty_value=None,
                label="Account",
                choices=[("", "All accounts"), *accounts],
            )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data

    def filters(self, **extra) -> ActivityFilters:
        data = self.cleaned_data
        return ActivityFilters(
            kind=data.get("kind") or None,
            user_id=data.get("user"),
            since=data.get("since"),
            until=data.get("until"),
            **extra,
        )


def _people(*, account=None, selected=None):
    """Whom the person filter offers: the account's team (everyone active for the
    whole log), and whoever the URL names."""
    scope = Q(team_memberships__account=account) if account else Q(is_active=True)
    picked = selected if selected and selected.isdigit() else None
    if picked:
        scope |= Q(pk=picked)
    return User.objects.filter(scope).distinct().order_by("first_name", "last_name", "username")


def _read(request, form, *, base_url, with_accounts=False, **scope) -> dict:
    """The page of entries the form asks for (none, and the form's errors, if it is bad)."""
    page = None
    if form.is_valid():
        number = form.cleaned_data.get("page") or 1
        if "account" in form.fields:
            scope["account_id"] = form.cleaned_data.get("account")
        page = activity_page(
            form.filters(**scope), page=number, per_page=PER_PAGE, with_accounts=with_accounts
        )
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "form": form,
        "filter_errors": [
            (form.fields[name].label if name in form.fields else "", " ".join(errors))
            for name, errors in form.errors.items()
        ],
        "page": page,
        "base_url": base_url,
        "query_string": params.urlencode(),
        "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
    }


@login_required
def account_activity_view(request, account_id: int):
    """The account's Activity tab: who changed what, newest first."""
    account = account_get_for_user(user=request.user, account_id=account_id)
    form = ActivityFilterForm(
        request.GET, people=_people(account=account, selected=request.GET.get("user"))
    )
    url = reverse("insights:activity", args=[account.pk])
    context = _read(request, form, base_url=url, account_id=account.pk)
    context["hx_target"] = "#account-tabs"
    return render_account_page(
        request, account=account, tab="activity", panel="insights/_activity.html", context=context
    )


@login_required
def activity_log_view(request):
    """Every account's activity in one log, for admins (404 for everyone else)."""
    if not request.user.is_admin_role:
        raise Http404("No such page.")
    # Only the account asked for is offered, not every account (10,000 options a page at
    # DESIGN §9 scale, a third of its time); an account is picked from its name in the
    # log, which opens its own Activity tab.
    asked = request.GET.get("account", "")
    accounts = (
        Account.objects.filter(pk=int(asked)).values_list("pk", "name")
        if asked.isdigit() and len(asked) < 19
        else []
    )
    form = ActivityFilterForm(
        request.GET, people=_people(selected=request.GET.get("user")), accounts=accounts
    )
    context = _read(request, form, base_url=reverse("activity_log"), with_accounts=True)
    context["hx_target"] = "#activity-log"
    template = "insights/activity_log.html"
    if wants_fragment(request):
        template += "#log"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
