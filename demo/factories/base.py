"""The base of every factory here."""

from factory.django import DjangoModelFactory


class ModelFactory(DjangoModelFactory):
    """A relation given by id (`account_id=pk`) stands in for the factory's declaration
    of it (`account`), which then does not run: the seeds hold ids when they build rows
    in bulk, and must not build a related row they would throw away."""

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        for name in [p for p in params if p.endswith("_id")]:
            if name.removesuffix("_id") in cls._meta.declarations:
                params.setdefault(name.removesuffix("_id"), None)
        return super()._generate(strategy, params)
