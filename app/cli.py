"""The ``kgn`` command. Sub-commands live in :mod:`app.commands`, one module per area.

Every module registers its commands on the one group below; heavy libraries (spaCy, torch) are
imported inside the commands so that ``kgn query`` starts fast.

Conventions: the workspace options (``--store``, ``--update-url``, ``--base``) are accepted
before or after the sub-command; every command opens the knowledge graph through
:meth:`Context.workspace` (read-only unless it writes); every bad value a user can type ends in
one line (usage errors: exit 2; ``error: ...``: exit 1), never a traceback.
"""

from __future__ import annotations

import os
import sys

import click

from kg.errors import KgnError
from kg.store import DEFAULT_STORE

from app.commands import app, embed, extract, neural, reason, store


# Seconds a command waits for another process holding the embedded store (a dashboard's brief
# read, a writer's last transaction) before it reports "in use".
LOCK_WAIT = 5.0


class Context:
    """What every command gets: the workspace options, the workspace opened lazily, closed once."""

    def __init__(self):
        self.store_spec: str = DEFAULT_STORE
        self.update_url: str | None = None
        self.base: str | None = None
        self._ws = None

    def workspace(self, *, write: bool = False):
        """The opened workspace; ``write=False`` opens an embedded store read-only (a missing
        store is then an error rather than created)."""
        if self._ws is not None and (write and self._ws.read_only):
            self._ws.close()
            self._ws = None
        if self._ws is None:
            from kg.workspace import open_workspace

            self._ws = open_workspace(self.store_spec, read_only=not write, update_url=self.update_url,
                                      base=self.base, lock_timeout=LOCK_WAIT)
        return self._ws

    def store(self, *, write: bool = False):
        return self.workspace(write=write).store

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None


def _setter(attr: str):
    def callback(ctx: click.Context, param: click.Parameter, value):
        if value is not None:
            setattr(ctx.ensure_object(Context), attr, value)
        return value

    return callback


def workspace_options(from_env: bool = False) -> list[click.Option]:
    """Fresh ``--store/--update-url/--base`` options (one set per command, so they may come
    before or after the sub-command); they only record their value on the shared Context.
    Only the group's set reads the environment, so an option given on the line always wins."""
    env = (lambda name: name) if from_env else (lambda name: None)  # noqa: E731
    return [
        click.Option(["--store", "store_spec"], envvar=env("KGN_STORE"), default=None, expose_value=False,
                     is_eager=True, callback=_setter("store_spec"),
                     help=f"Embedded store directory (default {DEFAULT_STORE}), 'memory', or a SPARQL "
                          "1.1 query endpoint URL (http://...)."),
        click.Option(["--update-url"], envvar=env("KGN_UPDATE_URL"), default=None, expose_value=False,
                     is_eager=True, callback=_setter("update_url"),
                     help="SPARQL update endpoint, for a remote store whose update URL is not derivable."),
        click.Option(["--base"], envvar=env("KGN_BASE"), default=None, expose_value=False, is_eager=True,
                     callback=_setter("base"),
                     help="Base namespace for the IRIs of a new store (saved with it; default "
                          "https://kgn.example/)."),
    ]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kgn")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """kgn: documents to a knowledge graph you can query, reason over and learn on."""
    obj = ctx.ensure_object(Context)
    ctx.call_on_close(obj.close)


cli.params.extend(workspace_options(from_env=True))


def _add_workspace_options(command: click.Command) -> None:
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _add_workspace_options(sub)
    else:
        command.params.extend(workspace_options())


# One explicit table of command modules; each exposes ``register(group)``.
COMMAND_MODULES = (store, extract, reason, neural, embed, app)
for _module in COMMAND_MODULES:
    _module.register(cli)
for _command in cli.commands.values():
    _add_workspace_options(_command)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kgn`` script: known errors become one line on stderr and exit 1."""
    try:
        cli.main(args=argv, prog_name="kgn", standalone_mode=False, obj=Context())
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KgnError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    except BrokenPipeError:
        # `kgn query ... | head`: the reader went away; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        # Disk full, permission denied, a missing folder: the file and the reason, no traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {where}{exc.strerror or exc}", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
