"""Aftersales: online after-sales service."""

__version__ = "0.1.0"
