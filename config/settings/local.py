"""The embedded default: `make run` on a laptop. DEBUG is on unless told otherwise."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
