"""The segmentation model pages (admins only): criteria weights and run settings, the
tiers with their rules and servicing models, presets."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..forms import PresetForm, ScoringForm, TierForm


def admin_required(view):
    """Signed in, and an admin: the model is theirs to shape (DESIGN §1)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_admin_role:
            raise PermissionDenied("Only admins change the segmentation model.")
        return view(request, *args, **kwargs)

    return wrapper


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's errors on the form: on the field they name, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


def _model_page(request, *, scoring_form=None, preset_form=None, status=200):
    services.ensure_default_model()
    return TemplateResponse(
        request,
        "segmentation/model.html",
        {
            "nav_active": "segmentation",
            "scoring_form": scoring_form or ScoringForm(),
            "preset_form": preset_form or PresetForm(),
            "tiers": selectors.tiers_with_account_counts(),
            "presets_locked": selectors.tiers_have_accounts(),
            "last_run": selectors.last_segmentation_run(),
        },
        status=status,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def model_view(request):
    if request.method != "POST":
        return _model_page(request)
    form = ScoringForm(request.POST)
    if form.is_valid():
        try:
            services.criteria_weights_set(weights=form.weights())
            services.segmentation_settings_set(
                expected_years=form.cleaned_data["expected_years"],
                scheduled_apply=form.cleaned_data["scheduled_apply"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Scoring saved. Start a dry run to see what it changes.")
            return redirect("segmentation:model")
    return _model_page(request, scoring_form=form)


@admin_required
@require_POST
def preset_view(request):
    form = PresetForm(request.POST)
    if form.is_valid():
        try:
            services.preset_apply(name=form.cleaned_data["preset"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Tiers replaced by the preset.")
            return redirect("segmentation:model")
    return _model_page(request, preset_form=form)


def _tier_form_page(request, form, tier=None, status=200):
    return TemplateResponse(
        request,
        "segmentation/tier_form.html",
        {"nav_active": "segmentation", "form": form, "tier": tier},
        status=status,
    )


def _save_tier(request, form, tier):
    if not form.is_valid():
        return None
    try:
        return services.tier_save(
            tier=tier,
            name=form.cleaned_data["name"],
            conditions=form.conditions(),
            cap=form.cleaned_data["cap"],
            position=form.cleaned_data["position"],
            **form.servicing(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@admin_required
@require_http_methods(["GET", "POST"])
def tier_create_view(request):
    form = TierForm(request.POST or None)
    if request.method == "POST":
        saved = _save_tier(request, form, None)
        if saved:
            messages.success(request, f"Tier “{saved.name}” added.")
            return redirect("segmentation:model")
        return _tier_form_page(request, form)
    return _tier_form_page(request, form)


@admin_required
@require_http_methods(["GET", "POST"])
def tier_edit_view(request, tier_id: int):
    tier = selectors.tier_get(tier_id=tier_id)
    form = TierForm(request.POST or None, instance=tier)
    if request.method == "POST":
        saved = _save_tier(request, form, tier)
        if saved:
            messages.success(request, f"Tier “{saved.name}” saved.")
            return redirect("segmentation:model")
        return _tier_form_page(request, form, tier)
    return _tier_form_page(request, form, tier)


@admin_required
@require_POST
def tier_move_view(request, tier_id: int):
    tier = selectors.tier_get(tier_id=tier_id)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if step is None:
        messages.error(request, "Move a tier up or down.")
        return redirect("segmentation:model")
    try:
        services.tier_move(tier=tier, position=tier.rank + step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("segmentation:model")


@admin_required
@require_POST
def tier_delete_view(request, tier_id: int):
    tier = selectors.tier_get(tier_id=tier_id)
    try:
        services.tier_delete(tier=tier)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Tier “{tier.name}” deleted.")
    return redirect("segmentation:model")
