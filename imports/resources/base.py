"""What every kind's resource shares: the run's context (who imports, what they may see
and change, the records a reference can name), and a django-import-export ModelResource
set up for large files: rows are matched from caches filled once, new and changed rows
are written in bulk, unchanged rows are skipped and counted."""

from collections import defaultdict
from typing import NamedTuple

from django.core.exceptions import ValidationError
from import_export import fields, resources

from accounts_app.models import Account, TeamMember, User
from core import history

from ..widgets import LookupWidget

CHUNK = 5000  # ids per IN (...) query


class Kept(NamedTuple):
    """What `finish` needs of a written record."""

    pk: int | None
    account_id: int | None
    stage_id: int | None
    role: str | None


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Context:
    """One run's view of the database, read once: which accounts the importer may see and
    change, and the accounts and users a cell may name."""

    def __init__(self, user: User):
        self.user = user
        self.admin = user.is_admin_role
        self.may_create_accounts = self.admin or user.role != User.Role.EXECUTIVE
        rows = Account.objects.values_list("id", "name", "external_id", "parent_id")
        self.account_rows = {pk: (name, ext, parent) for pk, name, ext, parent in rows}
        self.account_by_ext = {ext: pk for pk, (_, ext, _) in self.account_rows.items() if ext}
        self.accounts_by_name = defaultdict(list)
        for pk, (name, _, _) in self.account_rows.items():
            self.accounts_by_name[name.casefold()].append(pk)
        if self.admin:
            self.visible = self.editable = self.roster = None  # everything
        else:
            self.visible = set(Account.objects.visible_to(user).values_list("id", flat=True))
            team = TeamMember.objects.filter(user=user).values_list("account_id", "role")
            self.editable = {pk for pk, role in team if role not in TeamMember.READ_ONLY_ROLES}
            self.roster = {pk for pk, role in team if role == TeamMember.Role.OWNER}
        self.users = {}
        for pk, username, email in User.objects.filter(is_active=True).values_list(
            "id", "username", "email"
        ):
            self.users.setdefault(username.casefold(), pk)
            if email:
                self.users.setdefault(email.casefold(), pk)
        self._accounts: dict[int, Account] = {}

    def sees(self, pk) -> bool:
        return self.visible is None or pk in self.visible

    def account_id(self, value: str, *, need: str = "edit") -> int:
        """The account a cell names (external id, else exact name), which the importer
        may see and (`need`) change. One message for any account they may not see."""
        pk = self.account_by_ext.get(value)
        if pk is None:
            named = [p for p in self.accounts_by_name.get(value.casefold(), []) if self.sees(p)]
            if len(named) > 1:
                raise ValueError(
                    f"{len(named)} accounts are named “{value}”: give the external id instead."
                )
            pk = named[0] if named else None
        if pk is None or not self.sees(pk):
            raise ValueError(
                f"Unknown account “{value}” (import the accounts first, or check the id)."
            )
        if need == "edit" and self.editable is not None and pk not in self.editable:
            raise ValueError(f"You may not change account “{value}”: only its team does.")
        if need == "roster" and self.roster is not None and pk not in self.roster:
            raise ValueError(f"Only the owner of account “{value}” (or an admin) changes its team.")
        return pk

    def account(self, value: str, *, need: str = "edit") -> Account:
        pk = self.account_id(value, need=need)
        if pk not in self._accounts:
            self._accounts[pk] = Account(pk=pk, name=self.account_rows[pk][0])
        return self._accounts[pk]

    def user_id(self, value: str) -> int:
        pk = self.users.get(value.casefold())
        if pk is None:
            raise ValueError(f"No active Strata user has the username or e-mail “{value}”.")
        return pk


def lookup(attribute, resolve, **kwargs):
    return fields.Field(
        attribute=attribute,
        column_name=kwargs.pop("column", attribute),
        widget=LookupWidget(resolve),
        saves_null_values=False,
        **kwargs,
    )


def field(attribute, widget, *, saves_null_values=False):
    return fields.Field(
        attribute=attribute,
        column_name=attribute,
        widget=widget,
        saves_null_values=saves_null_values,
    )


class ImportResource(resources.ModelResource):
    """The shared behaviour; a kind says which fields it tracks (`tracked`), how a row
    finds its existing record (`existing`) and checks a row against the whole file
    (`prepare`, before any row) and writes what bulk writes cannot (`finish`)."""

    tracked: tuple[str, ...] = ()
    clean_exclude: tuple[str, ...] = ()

    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, ctx: Context, columns: list[str]):
        super().__init__()
        self.ctx = ctx
        self.columns = set(columns)
        self.file_errors: dict[int, dict[str, str]] = {}  # row number -> {field: message}
        self.match: dict[int, int] = {}  # row number -> pk of the record it updates
        self.row_objects: dict[int, object] = {}  # row number -> the record it wrote
        self.unrecorded: list[int] = []  # created, their history written by finish()
        self.row_types: dict[int, str] = {}  # row number -> new, update, skip
        self._before = None
        self._loaded: dict = {}

    # --- hooks for the kinds ---------------------------------------------------------
    def prepare(self, rows: list[dict | None]) -> None:
        """Read the whole file once before any row: keys twice, references inside the
        file, cycles. Problems go to `file_errors`."""

    def finish(self, rows: list[dict | None], *, dry_run: bool) -> dict:
        """After every row: what bulk writes cannot do (links inside the file). Returns
        what the run wrote (`written`)."""
        return {} if dry_run else self.written()

    def link(self, model, objs, fields) -> None:
        """Write links set after the file's rows (parent, reports-to): a record created by
        this run has no history yet (`links_after`), an existing one gets a change."""
        fresh = set(self.unrecorded)
        new = [obj for obj in objs if obj.pk in fresh]
        model.objects.bulk_update(new, fields, batch_size=1000)  # untracked: record_created
        history.bulk_update(model, [o for o in objs if o.pk not in fresh], fields, by=self.ctx.user)

    def record_created(self) -> None:
        """The created records' history, as the run leaves them (`links_after`)."""
        history.record_created(self._meta.model, self.unrecorded, by=self.ctx.user)
        self.unrecorded = []

    def written(self, key: str = "pk") -> dict:
        """{"created": [...], "updated": [...]}: `key` of each record the run wrote."""
        return {
            "created": [
                getattr(o, key)
                for n, o in self.row_objects.items()
                if self.row_types.get(n) == "new"
            ],
            "updated": [
                getattr(o, key)
                for n, o in self.row_objects.items()
                if self.row_types.get(n) == "update"
            ],
        }

    def keyed_rows(self, rows, key_of) -> dict[int, tuple]:
        """{row: key_of(row)} for the rows whose key can be read (a bad cell is reported by
        the row's own field)."""
        keys = {}
        for row in rows:
            if row is None:
                continue
            try:
                keys[row["__row"]] = key_of(row)
            except ValueError:
                continue
        return keys

    def match_natural_keys(self, rows, keys: dict[int, tuple], *, label: str, model, fields):
        """Rows matched by a natural key (`fields` of `model`, the first one a foreign
        key): a key twice in the file is refused on `label`; a key already in Strata is
        the record the row updates."""
        self.file_errors.update(duplicates(rows, lambda r: keys.get(r["__row"]), label))
        existing = {}
        for chunk in chunks({key[0] for key in keys.values()}):
            found = model.objects.filter(**{f"{fields[0]}__in": chunk})
            for pk, *key in found.values_list("pk", *fields):
                existing[tuple(key)] = pk
        for number, key in keys.items():
            if key in existing:
                self.match[number] = existing[key]

    def changed_beyond_fields(self, instance, row) -> bool:
        return False

    # --- django-import-export, adjusted ----------------------------------------------
    def get_import_fields(self):
        return [f for f in super().get_import_fields() if f.column_name in self.columns]

    def get_bulk_update_fields(self):
        names = {f.name for f in self._meta.model._meta.concrete_fields}
        return [name for name in self.tracked if name in names and name != "id"]

    # A dry run writes nothing: django-import-export would insert and roll back. An
    # apply writes each chunk in bulk with its history (core.history), by the importer.
    # Kinds whose finish() links the records of the file to each other (a parent, a
    # reports-to) record a created record's history once it is linked: one row, not two.
    links_after = False

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        try:
            if not dry_run and self.create_instances:
                created = history.bulk_create(
                    self._meta.model,
                    self.create_instances,
                    by=self.ctx.user,
                    batch_size=batch_size,
                    record=not self.links_after,
                )
                if self.links_after:
                    self.unrecorded.extend(obj.pk for obj in created)
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        try:
            if not dry_run and self.update_instances:
                history.bulk_update(
                    self._meta.model,
                    self.update_instances,
                    self.get_bulk_update_fields(),
                    by=self.ctx.user,
                    batch_size=batch_size,
                )
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        finally:
            self.update_instances.clear()

    @property
    def relations(self) -> list[str]:
        """Foreign keys are the lookups' to check (once per value, from the run's caches):
        Django's own check would read the related row again for every row."""
        return [f.name for f in self._meta.model._meta.concrete_fields if f.is_relation]

    def load(self, pks):
        """The records rows of a chunk update, read in one query per chunk."""
        return self._meta.model.objects.in_bulk(pks)

    def before_import(self, dataset, **kwargs):
        numbers = dataset["__row"] if len(dataset) else []
        wanted = [self.match[n] for n in numbers if n in self.match]
        self._loaded = {}
        for chunk in chunks(wanted):
            self._loaded.update(self.load(chunk))

    def get_or_init_instance(self, instance_loader, row):
        pk = self.match.get(row["__row"])
        if pk is not None and pk in self._loaded:
            return self._loaded[pk], False
        return self.init_instance(row), True

    def after_import_row(self, row, row_result, **kwargs):
        self.row_types[row["__row"]] = row_result.import_type
        written = row_result.import_type in ("new", "update", "skip")
        if written and self.keep_objects and not kwargs.get("dry_run"):
            self.row_objects[row["__row"]] = self._current

    def settle(self) -> None:
        """After a chunk's bulk writes: keep what `finish` reads of each record (its new
        id and a few keys), not the record itself — 100,000 contacts would not fit."""
        for number, obj in self.row_objects.items():
            if not isinstance(obj, Kept):
                self.row_objects[number] = Kept(
                    obj.pk,
                    getattr(obj, "account_id", None),
                    getattr(obj, "stage_id", None),
                    getattr(obj, "role", None),
                )

    def import_instance(self, instance, row, **kwargs):
        self._current = instance
        super().import_instance(instance, row, **kwargs)

    keep_objects = False  # kinds whose finish() needs each row's record set this

    def snapshot(self, instance) -> dict:
        model_fields = self._meta.model._meta
        return {
            name: getattr(instance, model_fields.get_field(name).attname) for name in self.tracked
        }

    def after_init_instance(self, instance, new, row, **kwargs):
        self._before = None if new else self.snapshot(instance)

    def before_import_row(self, row, **kwargs):
        problems = self.file_errors.get(row["__row"])
        if problems:
            raise ValidationError({k: [v] for k, v in problems.items()})

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self._before is None:
            return False
        return self.snapshot(instance) == self._before and not self.changed_beyond_fields(
            instance, row
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # Uniqueness is the resource's to check (keys twice in the file, matched rows),
            # not a query per row.
            # A field whose cell was bad (`user_id`) is not checked again as `user`.
            instance.full_clean(
                exclude=[
                    *errors,
                    *(k.removesuffix("_id") for k in errors),
                    *self.clean_exclude,
                    *self.relations,
                ],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def duplicates(rows, key, label) -> dict[int, dict[str, str]]:
    """Rows whose `key(row)` another row already had: {row: {field: message}}."""
    first: dict = {}
    problems: dict[int, dict[str, str]] = {}
    for row in rows:
        if row is None:
            continue
        value = key(row)
        if value is None:
            continue
        if value in first:
            problems.setdefault(row["__row"], {})[label] = (
                f"Duplicate: row {first[value]} has the same {label.replace('_', ' ')}."
            )
        else:
            first[value] = row["__row"]
    return problems
