"""The demo data set of `manage.py seed_demo`: a supplier's book of business drawn from a
seeded generator (`book`, `org_charts`), written by natural key so a second run changes
nothing (`people`, `accounts`), then its history, segmentation, plans, opportunities,
scorecards and surveys, reviews and alerts, each the first time only (`run`)."""
