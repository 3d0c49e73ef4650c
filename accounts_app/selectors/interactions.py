"""The account's interactions, as the Interactions tab reads them."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ..models import Account, Contact, Interaction, User


def account_interactions(
    *, account: Account, kind: str = "", contact: Contact | None = None
) -> QuerySet[Interaction]:
    """The account's interactions, newest first, with their people in two queries per page;
    only those of `kind`, or with `contact`, when given."""
    interactions = account.interactions.prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.only("id", "name", "title")),
        Prefetch(
            "team_users",
            queryset=User.objects.only("id", "username", "first_name", "last_name"),
        ),
    ).order_by("-date", "-id")
    if kind:
        interactions = interactions.filter(kind=kind)
    if contact:
        interactions = interactions.filter(contacts=contact)
    return interactions


def interaction_list(*, user: User) -> QuerySet[Interaction]:
    """The interactions of the accounts `user` may see (the API's list), with the ids of
    their people."""
    return Interaction.objects.visible_to(user).prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.only("id")),
        Prefetch("team_users", queryset=User.objects.only("id")),
    )


def interaction_get(*, account: Account, interaction_id) -> Interaction:
    try:
        return account.interactions.get(pk=interaction_id)
    except (Interaction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such interaction.") from exc
