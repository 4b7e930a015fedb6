"""Entry point for `flask --app wsgi` and for gunicorn (`gunicorn wsgi:app`)."""
from webapp import create_app

app = create_app()
