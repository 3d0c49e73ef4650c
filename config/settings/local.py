"""The embedded default: `make run` on a laptop, as a user sees Strata: DEBUG is off
(the app's own error pages; WhiteNoise serves the collected static files). A developer
opts in with DEBUG=true."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)
