"""make check: verify a generated series (see ci/check/main.py)."""
