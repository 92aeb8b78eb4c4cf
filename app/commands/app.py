"""`kgn app`: the Streamlit dashboard (see :mod:`app.dashboard`)."""

from __future__ import annotations

import click


@click.command("app")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to serve on.")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 serves other machines too).")
@click.pass_obj
def app_cmd(obj, port, address):
    """Start the dashboard on the store (extract, explore, query, reason, train, visualise).

    The dashboard opens the store read-only for each interaction, so `kgn extract` and other
    commands can write to it while the dashboard runs.
    """
    import os
    import sys
    from pathlib import Path

    entry = Path(__file__).resolve().parent.parent / "dashboard" / "main.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry), "--server.headless", "true",
           "--server.port", str(port), "--server.address", address, "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer", "--", "--store", obj.store_spec]
    click.echo(f"kgn dashboard on http://{address}:{port} (store: {obj.store_spec}); Ctrl-C stops it")
    obj.close()  # this process holds nothing while the dashboard runs
    sys.stdout.flush()
    # Streamlit replaces this process, so a signal to `kgn app` (Ctrl-C, a supervisor's
    # SIGTERM) reaches the server itself and no orphan is left behind.
    os.execv(sys.executable, cmd)


def register(group: click.Group) -> None:
    """Add this module's commands to the `kgn` group."""
    group.add_command(app_cmd)
