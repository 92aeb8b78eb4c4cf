"""Errors of the neural package (all are :class:`kg.errors.KgnError`, printed by the CLI as one line)."""

from __future__ import annotations

from kg.errors import KgnError


class CheckpointError(KgnError):
    """A checkpoint file is missing, unreadable, not a kgn checkpoint, or holds pickled code."""


class DatasetError(KgnError):
    """A dataset's files are missing or malformed, or it does not suit the chosen model."""


class DeviceError(KgnError):
    """The requested device (cuda, mps) is not available on this machine."""


class ConfigError(KgnError):
    """A model or trainer setting has an unknown name or a value of the wrong type."""
