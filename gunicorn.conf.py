# gunicorn reads this file from the directory it starts in (the image's /app, or the
# repository): the Dockerfile's and docker-compose's `gunicorn config.wsgi:application`
# get it without naming it. Command-line options still win over what is set here.

# The access log without the survey links' tokens (core/gunicorn_logging.py).
logger_class = "core.gunicorn_logging.TokenScrubbingLogger"
