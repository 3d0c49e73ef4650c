"""Offboarding a leaver (admins): what they hold, to whom it goes, done in one step."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts_app.models import User
from core.http import REFUSED

from ..offboarding import offboarding_preview, user_offboard


class OffboardForm(forms.Form):
    successor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Successor",
        empty_label="Choose who takes over",
        help_text="Takes over the accounts they own, their open tactics, action items, "
        "live alerts and open opportunities.",
    )

    def __init__(self, *args, leaver, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(pk=leaver.pk)
            .order_by("first_name", "last_name", "username")
        )


@login_required
def offboard_view(request, user_id: int):
    if not request.user.is_admin_role:
        raise Http404("No such page.")
    leaver = get_object_or_404(User, pk=user_id)
    form = OffboardForm(request.POST or None, leaver=leaver)
    if request.method == "POST" and leaver.is_active and form.is_valid():
        try:
            record = user_offboard(
                user=leaver, successor=form.cleaned_data["successor"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{leaver} is deactivated; {len(record.handed_over['accounts'])} account(s) "
                f"and their open work now belong to {record.successor}.",
            )
            return redirect("people:offboard", leaver.pk)
    return render(
        request,
        "insights/offboard.html",
        {
            "leaver": leaver,
            "form": form,
            "holds": offboarding_preview(user=leaver),
            "past": leaver.offboardings.select_related("successor", "by"),
        },
        status=REFUSED if request.method == "POST" and form.errors else 200,
    )
