"""The DESIGN §9 benchmark data set of `manage.py seed_bench`.

Default size: 10,000 accounts, 100,000 contacts, 200,000 relationships, 300 users, about
30,000 team members (one owner per account, ``Account.owner`` is that owner) and about
30,000 business units. ``--accounts N`` scales it: N accounts, 10×N contacts, 20×N
relationships (users stay at ``--users``).

Bench rows are marked by their names, so they never collide with the demo data:
users ``bench-user-0001``…, accounts ``Bench Account 00001``…. User 0001 is an admin,
0002–0005 executives, 0006–0025 managers, the rest team members reporting to them; they
have no usable password (benchmarks use ``force_login``). Every 20th account is a global
group with the next three as subsidiaries; each contact reports to someone in the same
account (one executive on top, two seniors, seven below). Every account is drawn
from its own random generator (seeded from ``--seed`` and its number), so the data is
deterministic and a second run only adds the accounts that are missing ("top up"); it
never duplicates. Accounts are written in chunks, each in its own transaction, with
``bulk_create``: an interrupted run leaves whole accounts behind and the next run
finishes the job. ``--reset`` deletes the bench data first.

Relationship dates count back from the day of the run. Each new account also gets
today's snapshot row, computed by the snapshot job's code (``insights.snapshots``).

Then every bench account gets ``--opportunities-per-account`` opportunities (5, so
50,000 at 10,000 accounts) with their stage change, qualification answers for about
60 % of them and the stored figures of ``opportunities.formulas``
(``demo.bench.opportunities``); accounts written before that phase existed get theirs on the
next run.

Last, every bench account gets a monthly scorecard for each of the last
``--scorecard-months`` months (60, so 600,000 scorecards and 3,000,000 lines at 10,000
accounts) with five metrics of the library and the stored attainment and score of
``scorecards.formulas``, about 10 % of them a survey round with customers' answers and the
team's predictions, and the snapshots of those accounts are recomputed for today
(``demo.bench.scorecards`` and ``demo.bench.surveys``); here too a second run adds only
what is missing.

Then the retention data of DESIGN §13 (``demo.bench.retention``; ``--no-retention``
skips it): about 10,000 contracts (a few hundred ending within the renewal lead time,
their renewals left to the daily job), 36 whole months of revenue per account (360,000
rows, the last twelve adding up to the account's annual revenue) and risk registers on
about a third of the accounts; written for the accounts that hold none yet.
"""
