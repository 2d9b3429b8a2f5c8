# Read by the `flask` command only (python-dotenv); gunicorn never reads it,
# so a deployment that forgets FEEDBACK_ENV runs as production and refuses
# to start without a SECRET_KEY.
FEEDBACK_ENV=development
