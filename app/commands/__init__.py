"""Sub-command modules of ``kgn``; each exposes ``register(group)``."""
