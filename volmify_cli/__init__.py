"""volmify: the command-line administration tool of the Volmify platform."""

__version__ = "0.1.0"
