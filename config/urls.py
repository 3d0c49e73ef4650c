from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts_app import api as accounts_api
from accounts_app import lists as accounts_lists
from accounts_app import token_urls
from accounts_app import urls as accounts_urls
from accounts_app.api import revenue as accounts_revenue_api
from accounts_app.api import tokens as tokens_api
from accounts_app.signin import urls as signin_urls
from accounts_app.signin import views as signin_views
from imports import api as imports_api
from insights import api as insights_api
from insights import urls as insights_urls
from insights.activity import api as insights_activity_api
from insights.views import activity as insights_activity
from insights.views import dashboards, home
from opportunities import api as opportunities_api
from plans import api as plans_api
from plans.views import account as plans_account
from plans.views import risks as plans_risks
from scorecards import api as scorecards_api
from segmentation import api as segmentation_api

from . import views
from .observability.metrics import metrics_view

router = DefaultRouter()
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("accounts", insights_api.AccountViewSet, basename="account")
router.register("industries", accounts_lists.IndustryViewSet, basename="industry")
router.register("regions", accounts_lists.RegionViewSet, basename="region")
router.register("business-units", accounts_api.BusinessUnitViewSet, basename="business-unit")
router.register("contacts", accounts_api.ContactViewSet, basename="contact")
router.register("team-members", accounts_api.TeamMemberViewSet, basename="team-member")
router.register("relationships", accounts_api.RelationshipViewSet, basename="relationship")
router.register("interactions", accounts_api.InteractionViewSet, basename="interaction")
router.register(
    "revenue-entries", accounts_revenue_api.RevenueEntryViewSet, basename="revenue-entry"
)
router.register(
    "segmentation/criteria", segmentation_api.CriterionViewSet, basename="segmentation-criterion"
)
router.register("segmentation/tiers", segmentation_api.TierViewSet, basename="segmentation-tier")
router.register("segmentation/runs", segmentation_api.RunViewSet, basename="segmentation-run")
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("knowledge-points", plans_api.KnowledgePointViewSet, basename="knowledge-point")
router.register("swot-items", plans_api.SwotItemViewSet, basename="swot-item")
router.register("goals", plans_api.GoalViewSet, basename="goal")
router.register("strategies", plans_api.StrategyViewSet, basename="strategy")
router.register("tactics", plans_api.TacticViewSet, basename="tactic")
router.register("business-reviews", plans_api.BusinessReviewViewSet, basename="business-review")
router.register("risks", plans_api.RiskViewSet, basename="risk")
router.register("opportunities", opportunities_api.OpportunityViewSet, basename="opportunity")
router.register("competitors", opportunities_api.CompetitorViewSet, basename="competitor")
router.register("contracts", opportunities_api.ContractViewSet, basename="contract")
router.register(
    "competitor-presences",
    opportunities_api.CompetitorPresenceViewSet,
    basename="competitor-presence",
)
router.register(
    "qualification-criteria",
    opportunities_api.QualificationCriterionViewSet,
    basename="qualification-criterion",
)

router.register("metrics", scorecards_api.MetricViewSet, basename="metric")
router.register("scorecards", scorecards_api.ScorecardViewSet, basename="scorecard")
router.register("scorecard-lines", scorecards_api.ScorecardLineViewSet, basename="scorecard-line")
router.register("survey-rounds", scorecards_api.SurveyRoundViewSet, basename="survey-round")
router.register("alert-rules", scorecards_api.AlertRuleViewSet, basename="alert-rule")
router.register("alerts", scorecards_api.AlertViewSet, basename="alert")
router.register("imports", imports_api.ImportViewSet, basename="import")
router.register("tokens", tokens_api.TokenViewSet, basename="token")

urlpatterns = [
    path("", home.home_view, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("login/", signin_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include((signin_urls.urlpatterns, signin_urls.app_name))),
    *signin_urls.oidc_urlpatterns,
    path(
        "accounts/",
        include((accounts_urls.urlpatterns + insights_urls.account_pages, accounts_urls.app_name)),
    ),
    path("", include("segmentation.urls")),
    path("plans/", include("plans.urls")),
    path("", include("plans.review_urls")),
    path("accounts/<id:account_id>/plan/", plans_account.account_plan_view, name="account_plan"),
    path("accounts/<id:account_id>/risks/", plans_risks.risk_list_view, name="account_risks"),
    path(
        "accounts/<id:account_id>/risks/new/",
        plans_risks.risk_create_view,
        name="account_risk_create",
    ),
    path(
        "accounts/<id:account_id>/risks/<id:risk_id>/edit/",
        plans_risks.risk_edit_view,
        name="account_risk_edit",
    ),
    path("", include("insights.urls")),
    path("packs/", include("insights.pack_urls")),
    path("imports/", include("imports.urls")),
    path("people/", include("insights.people_urls")),
    path("", include("opportunities.urls")),
    path("", include("scorecards.urls")),
    path("dashboards/", dashboards.team_dashboard_view, name="dashboards"),
    path(
        "dashboards/portfolio/",
        dashboards.portfolio_dashboard_view,
        name="dashboards_portfolio",
    ),
    path("activity/", insights_activity.activity_log_view, name="activity_log"),
    path("admin/", admin.site.urls),
    path("settings/tokens/", include(token_urls)),
    path("api/v1/auth/token/", tokens_api.TokenCreateView.as_view(), name="api-token"),
    path("api/v1/auth/logout/", tokens_api.TokenLogoutView.as_view(), name="api-logout"),
    path("api/v1/auth/logout-all/", tokens_api.TokenLogoutAllView.as_view(), name="api-logout-all"),
    path(
        "api/v1/accounts/<id:pk>/tier-history/",
        segmentation_api.TierHistoryView.as_view(),
        name="api-tier-history",
    ),
    path(
        "api/v1/accounts/<id:pk>/history/",
        insights_activity_api.AccountHistoryView.as_view(),
        name="api-account-history",
    ),
    path("api/v1/accounts/<id:pk>/rpi/", insights_api.AccountRpiView.as_view(), name="api-rpi"),
    path(
        "api/v1/users/<id:pk>/offboard/",
        insights_api.UserOffboardView.as_view(),
        name="api-user-offboard",
    ),
    path(
        "api/v1/accounts/<id:pk>/tier-override/",
        segmentation_api.TierOverrideView.as_view(),
        name="api-tier-override",
    ),
    path(
        "api/v1/accounts/<id:pk>/whitespace/",
        opportunities_api.WhitespaceView.as_view(),
        name="api-whitespace",
    ),
    path(
        "api/v1/accounts/<id:pk>/health/",
        insights_api.AccountHealthView.as_view(),
        name="api-health",
    ),
    path(
        "api/v1/accounts/<id:pk>/export/",
        insights_api.AccountExportView.as_view(),
        name="api-account-export",
    ),
    path(
        "api/v1/accounts/<id:pk>/pack/",
        insights_api.AccountPackView.as_view(),
        name="api-pack",
    ),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves its start-up script from a URL of its own (?script), not
        # inline: the Content-Security-Policy allows scripts from Strata's origin only.
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
