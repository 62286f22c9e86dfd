"""The one exception the command line turns into a one-line error."""


class Failure(Exception):
    """A user-facing error: printed as one line, exit status 1."""
