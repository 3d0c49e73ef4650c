"""REST API v1 for the interactions log: the same services as the Interactions tab, so
an interaction written here follows the same rules (the account's contacts, its team)
and moves the team's last-met dates the same way."""

from rest_framework import serializers

from core.api import AccountScopedViewSet, ScopedRelatedField

from .. import selectors, services
from ..filters import InteractionFilter
from ..models import Account, Contact, Interaction, User


def _any_user(user):
    # Someone who took part and has since left (the team, or the company) stays named;
    # the services decide who may be added.
    return User.objects.all()


class InteractionSerializer(serializers.ModelSerializer):
    account = ScopedRelatedField(scope=Account.objects.visible_to)
    contacts = ScopedRelatedField(
        scope=Contact.objects.visible_to,
        many=True,
        allow_empty=False,
        error_messages={"empty": "Choose at least one contact."},
    )
    team_users = ScopedRelatedField(
        scope=_any_user,
        many=True,
        allow_empty=False,
        error_messages={"empty": "Choose who from our side took part."},
        help_text="Who from our side took part: members of the account team.",
    )

    class Meta:
        model = Interaction
        fields = [
            "id",
            "account",
            "kind",
            "date",
            "subject",
            "note",
            "contacts",
            "team_users",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


def _service_values(data: dict, interaction: Interaction | None = None) -> dict:
    """The services' arguments: the validated input over the interaction as it is (a
    PATCH changes only what it sends) or, for a new one, over the model's defaults."""
    current = {"kind": Interaction.Kind.MEETING, "subject": "", "note": ""}
    if interaction is not None:
        current = {
            "kind": interaction.kind,
            "date": interaction.date,
            "subject": interaction.subject,
            "note": interaction.note,
            "contacts": interaction.contacts.all(),
            "team_users": interaction.team_users.all(),
        }
    values = {**current, **data}
    return {
        "kind": values["kind"],
        "on": values["date"],
        "contacts": list(values["contacts"]),
        "team_users": list(values["team_users"]),
        "subject": values["subject"],
        "note": values["note"],
    }


class InteractionViewSet(AccountScopedViewSet):
    """The meetings, calls, e-mails and events logged with an account's contacts. The
    account team writes them; PUT and PATCH change one with the rules of logging it."""

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilter
    search_fields = ["subject", "note"]
    ordering_fields = ["date", "created_at"]

    def get_queryset(self):
        return selectors.interaction_list(user=self.request.user).order_by("-date", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        account = data.pop("account")
        self.require_edit(account)
        serializer.instance = services.interaction_record(
            account=account, by=self.request.user, **_service_values(data)
        )

    def perform_update(self, serializer):
        interaction = serializer.instance
        data = dict(serializer.validated_data)
        if data.pop("account", interaction.account) != interaction.account:
            raise serializers.ValidationError(
                {"account": "An interaction cannot move to another account."}
            )
        serializer.instance = services.interaction_update(
            interaction=interaction, by=self.request.user, **_service_values(data, interaction)
        )

    def perform_destroy(self, instance):
        services.interaction_delete(interaction=instance, by=self.request.user)
