"""The second factor's pages: giving it after the password, setting it up (QR code and
key, first code, recovery codes shown once), turning it off; and the admins' sign-in
policy with everyone's second-factor state and a reset for a lost phone."""

from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from core.http import paginate

from ..models import SecurityEvent, SignInPolicy, User
from . import second_factor
from .forms import CodeForm, PolicyForm


class LoginView(auth_views.LoginView):
    """The password form, with "Sign in with …" above it when single sign-on is on."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso_enabled=settings.STRATA_OIDC_ENABLED, sso_name=settings.STRATA_OIDC_NAME, **kwargs
        )


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


def _page(request, template, context, status=200):
    response = TemplateResponse(
        request, template, {"nav_active": "security", **context}, status=status
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def verify_view(request):
    if second_factor.owed(request) != second_factor.VERIFY:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code",
            "That code is not right. Type the six digits your app shows now, or one of "
            "your recovery codes. After a wrong code the next waits a few seconds.",
        )
    return _page(request, "registration/second_factor.html", {"form": form, "next": _next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def setup_view(request):
    user = request.user
    has_factor = second_factor.has_second_factor(user)
    setting_up = not has_factor or request.GET.get("new") or request.method == "POST"
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.confirm_app(request, form.cleaned_data["code"])
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, text in errors.items():
                form.add_error(field, text)
        else:
            messages.success(request, "Your second factor is on.")
            return _show_codes(request, codes, next_url=_next(request))
    context = {
        "has_factor": has_factor,
        "form": form,
        "required": not second_factor.may_turn_off(user),
        "next": request.GET.get("next") or request.POST.get("next") or "",
        "events": SecurityEvent.objects.filter(user=user).select_related("by")[:10],
    }
    if setting_up:
        device = second_factor.pending_app(user)
        secret = _base32(device)
        context.update(
            setting_up=True, secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        )
    else:
        context.update(codes_left=second_factor.recovery_codes_left(user))
    return _page(request, "accounts/second_factor_setup.html", context)


@login_required
def qr_view(request):
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False, name=second_factor.APP
    ).first()
    if device is None:
        raise Http404("No authenticator is being set up.")
    response = HttpResponse(content_type="image/svg+xml")
    write_qrcode_image(device.config_url, response)
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def recovery_codes_view(request):
    if not second_factor.has_second_factor(request.user):
        return redirect("second_factor:setup")
    codes = second_factor.new_recovery_codes(user=request.user)
    messages.success(request, "New recovery codes made: the old ones no longer work.")
    return _show_codes(request, codes, next_url="")


@login_required
@require_POST
def turn_off_view(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            second_factor.turn_off(request, form.cleaned_data["code"])
        except ValidationError as exc:
            text = exc.message_dict.get("code") if hasattr(exc, "error_dict") else exc.messages
            messages.error(request, " ".join(text))
        else:
            messages.success(request, "Your second factor is off.")
    else:
        messages.error(request, "Type a code from your app to turn the second factor off.")
    return redirect("second_factor:setup")


CODES_KEY = "strata_recovery_codes"


def _show_codes(request, codes, *, next_url):
    """The new codes are shown by a GET after the POST that made them (kept in the session
    until then): reloading the page they are on makes nothing again."""
    request.session[CODES_KEY] = codes
    url = reverse("second_factor:codes")
    if next_url and next_url != "/":
        url += "?" + urlencode({"next": next_url})
    return redirect(url)


@login_required
def codes_view(request):
    codes = request.session.pop(CODES_KEY, None)
    if not codes:
        messages.info(
            request,
            "Recovery codes are shown once, when they are made: if you did not keep them, "
            "make new ones.",
        )
        return redirect("second_factor:setup")
    return _page(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


def _base32(device) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


@login_required
@require_http_methods(["GET", "POST"])
def policy_view(request):
    if not request.user.is_admin_role:
        raise Http404("No such page.")
    policy = SignInPolicy.current()
    form = PolicyForm(
        request.POST or None,
        initial={
            "second_factor": policy.second_factor,
            "roles": policy.second_factor_roles,
            "sso": policy.sso_needs_second_factor,
        },
    )
    if request.method == "POST" and form.is_valid():
        policy = second_factor.policy_update(
            by=request.user,
            second_factor=form.cleaned_data["second_factor"],
            roles=form.cleaned_data["roles"],
            sso=form.cleaned_data["sso"],
        )
        messages.success(request, f"Sign-in policy saved. {second_factor.describe(policy)}")
        return redirect("second_factor:policy")
    query = request.GET.get("q", "").strip()
    people = User.objects.filter(is_active=True).annotate(
        has_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    page = paginate(request, people.order_by("first_name", "last_name", "username"), 50)
    for person in page:
        person.must = policy.requires_second_factor(person)
    return _page(
        request,
        "accounts/signin_policy.html",
        {
            "form": form,
            "policy": policy,
            "summary": second_factor.describe(policy),
            "page": page,
            "q": query,
            "query_string": urlencode({"q": query}) if query else "",
            "events": SecurityEvent.objects.select_related("user", "by")[:20],
        },
    )


@login_required
@require_POST
def reset_view(request, user_id: int):
    if not request.user.is_admin_role:
        raise Http404("No such page.")
    person = get_object_or_404(User, pk=user_id)
    second_factor.reset(user=person, by=request.user)
    messages.success(
        request,
        f"{person}’s second factor is removed: they sign in with their password and set "
        "up a new one if the policy requires it.",
    )
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(reverse("second_factor:policy"))
    return redirect("second_factor:policy")
