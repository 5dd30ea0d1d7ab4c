"""A static-site generator for trade-union campaign news and honour rolls."""

__version__ = "0.1.0"
