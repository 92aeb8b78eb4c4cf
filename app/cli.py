"""The ``kgn`` command. Sub-commands live in :mod:`app.commands`, one module per area.

Every module registers its commands on the one group below; heavy libraries (spaCy, torch) are
imported inside the commands so that ``kgn query`` starts fast.
"""

from __future__ import annotations

import os
import sys

import click

from kg.errors import KgnError

from app.commands import embed, extract, neural, reason, store

DEFAULT_STORE = "./kgn-data/store"


class Context:
    """What every command gets: the store spec, opened lazily and closed once at exit."""

    def __init__(self, store_spec: str, update_url: str | None):
        self.store_spec = store_spec
        self.update_url = update_url
        self._store = None

    def store(self):
        if self._store is None:
            from kg.store import open_store

            self._store = open_store(self.store_spec, update_url=self.update_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_spec",
    envvar="KGN_STORE",
    default=DEFAULT_STORE,
    show_default=True,
    help="Embedded store directory, 'memory', or a SPARQL 1.1 query endpoint URL (http://...).",
)
@click.option(
    "--update-url",
    envvar="KGN_UPDATE_URL",
    default=None,
    help="SPARQL update endpoint, for a remote store whose update URL is not derivable.",
)
@click.version_option(package_name="kgn")
@click.pass_context
def cli(ctx: click.Context, store_spec: str, update_url: str | None) -> None:
    """kgn: documents to a knowledge graph you can query, reason over and learn on."""
    obj = Context(store_spec, update_url)
    ctx.obj = obj
    ctx.call_on_close(obj.close)


# One explicit table of command modules; each exposes ``register(group)``.
COMMAND_MODULES = (store, extract, reason, neural, embed)
for _module in COMMAND_MODULES:
    _module.register(cli)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kgn`` script: known errors become one line on stderr and exit 1."""
    try:
        cli.main(args=argv, prog_name="kgn", standalone_mode=False)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
