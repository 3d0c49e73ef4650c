"""Team members (matched by account and user; the roster is the owner's, one owner per
account) and relationships (matched by contact and user)."""

from django.db.models import Q
from django.db.models.functions import Lower

from accounts_app.models import Contact, Relationship, TeamMember
from core import history

from ..widgets import ChoiceWidget
from .base import ImportResource, chunks, duplicates, field, lookup


class TeamMemberResource(ImportResource):
    tracked = ("role",)
    keep_objects = True

    class Meta(ImportResource.Meta):
        model = TeamMember
        fields = ()

    def __init__(self, ctx, columns):
        super().__init__(ctx, columns)
        self.fields.update(
            {
                "account": lookup("account", lambda v: self.ctx.account(v, need="roster")),
                "user": lookup("user_id", self.ctx.user_id, column="user"),
                "role": field("role", ChoiceWidget(TeamMember.Role.choices)),
            }
        )

    def prepare(self, rows):
        ctx, problems = self.ctx, self.file_errors
        keys = self.keyed_rows(
            rows,
            lambda row: (
                ctx.account_id(row.get("account", ""), need="roster"),
                ctx.user_id(row.get("user", "")),
            ),
        )
        problems.update(duplicates(rows, lambda r: keys.get(r["__row"]), "user"))
        widget = ChoiceWidget(TeamMember.Role.choices)
        role_of = {}
        for row in rows:
            if row and row["__row"] in keys:
                try:
                    role_of[row["__row"]] = widget.clean(row.get("role"))
                except ValueError:
                    continue  # the row's role field reports it
        owners = {}
        for number, role in role_of.items():
            if role == TeamMember.Role.OWNER:
                account_id = keys[number][0]
                if account_id in owners:
                    problems.setdefault(number, {})["role"] = (
                        f"Row {owners[account_id]} already makes someone the owner of this account."
                    )
                owners[account_id] = number
        existing = {}
        accounts = {a for a, _ in keys.values()}
        for chunk in chunks(accounts):
            for pk, account_id, user_id, role in TeamMember.objects.filter(
                account_id__in=chunk
            ).values_list("pk", "account_id", "user_id", "role"):
                existing[(account_id, user_id)] = (pk, role)
        for number, key in keys.items():
            if key in existing:
                pk, role = existing[key]
                self.match[number] = pk
                if (
                    role == TeamMember.Role.OWNER
                    and role_of.get(number, role) != role
                    and key[0] not in owners
                ):
                    problems.setdefault(number, {})["role"] = (
                        "An account needs an owner: make someone else the owner first."
                    )
        self.owner_accounts = set(owners)
        # The members who become owners (pk; none for a new member): their accounts'
        # former owners step down before the rows are written (one owner per account).
        self.new_owners = [self.match[n] for n in owners.values() if n in self.match]

    def _step_down(self):
        """Before the first write of an apply (once): the former owners of the accounts
        the file names a new owner for step down, so one owner per account holds."""
        if getattr(self, "_stepped_down", False):
            return
        self._stepped_down = True
        for chunk in chunks(self.owner_accounts):
            history.update(
                TeamMember.objects.filter(account_id__in=chunk, role=TeamMember.Role.OWNER).exclude(
                    pk__in=self.new_owners
                ),
                by=self.ctx.user,
                role=TeamMember.Role.SALES,
            )

    def bulk_create(self, using_transactions, dry_run, *args, **kwargs):
        if not dry_run and self.create_instances:
            self._step_down()
        super().bulk_create(using_transactions, dry_run, *args, **kwargs)

    def bulk_update(self, using_transactions, dry_run, *args, **kwargs):
        if not dry_run and self.update_instances:
            self._step_down()
        super().bulk_update(using_transactions, dry_run, *args, **kwargs)

    def finish(self, rows, *, dry_run):
        if dry_run:
            return {}
        from accounts_app.models import Account
        from accounts_app.services import account_owner_sync

        written = {
            n: obj
            for n, obj in self.row_objects.items()
            if self.row_types.get(n) in ("new", "update")
        }
        # One owner per account: the one the file names; the former owner stays on the team.
        for obj in written.values():
            if obj.role == TeamMember.Role.OWNER:
                history.update(
                    TeamMember.objects.filter(
                        account_id=obj.account_id, role=TeamMember.Role.OWNER
                    ).exclude(pk=obj.pk),
                    by=self.ctx.user,
                    role=TeamMember.Role.SALES,
                )
                account_owner_sync(account=Account.objects.get(pk=obj.account_id))
        return self.written("account_id")


class RelationshipResource(ImportResource):
    tracked = ("strength", "target_strength")
    keep_objects = True

    class Meta(ImportResource.Meta):
        model = Relationship
        fields = ()

    def __init__(self, ctx, columns):
        super().__init__(ctx, columns)
        self.contacts: dict[str, tuple[int, int]] = {}
        choices = [(v, label) for v, label in Relationship.Strength.choices]
        self.fields.update(
            {
                "contact": lookup("contact_id", self.contact, column="contact"),
                "user": lookup("user_id", self.ctx.user_id, column="user"),
                "strength": field("strength", ChoiceWidget(choices, integer=True)),
                "target_strength": field("target_strength", ChoiceWidget(choices, integer=True)),
            }
        )

    def contact(self, value):
        found = self.contacts.get(value) or self.contacts.get(value.casefold())
        if found is None or not self.ctx.sees(found[1]):
            raise ValueError(f"Unknown contact “{value}”.")
        if self.ctx.editable is not None and found[1] not in self.ctx.editable:
            raise ValueError(f"You may not change the relationships of contact “{value}”.")
        return found[0]

    def prepare(self, rows):
        refs = {r["contact"] for r in rows if r and r.get("contact")}
        for chunk in chunks(refs):
            emails = [r.casefold() for r in chunk if "@" in r]
            # E-mail addresses match in any case (Dev@Acme.example is dev@acme.example).
            for pk, ext, email, account_id in (
                Contact.objects.annotate(email_lower=Lower("email"))
                .filter(Q(external_id__in=chunk) | Q(email_lower__in=emails))
                .values_list("pk", "external_id", "email", "account_id")
            ):
                if ext:
                    self.contacts[ext] = (pk, account_id)
                if email:
                    self.contacts.setdefault(email.casefold(), (pk, account_id))
        keys = self.keyed_rows(
            rows,
            lambda row: (
                self.contact(row.get("contact", "")),
                self.ctx.user_id(row.get("user", "")),
            ),
        )
        self.match_natural_keys(
            rows, keys, label="user", model=Relationship, fields=("contact_id", "user_id")
        )
