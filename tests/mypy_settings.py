"""Minimal settings so django-stubs' mypy plugin can load Django."""

SECRET_KEY = "mypy-only-not-a-real-key-" + "x" * 40
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.admin",
    "hardsess",
]
