"""``wellbeing explore``: the explorer as a web page on this computer, served by Voilà.

A notebook holding only the explorer is written to a temporary folder and Voilà serves it
on the loopback address (never another machine's), its code hidden. Everything the page
needs comes from the installed packages: it works with no internet.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from wellbeing_framework.extras import require

__all__ = ["NOTEBOOK", "explorer_notebook", "serve", "voila_command"]

NOTEBOOK = "explorer.ipynb"
_CELL = "import wellbeing_framework as wf\nwf.teach.explorer({framework})"


def explorer_notebook(folder: Path, framework: str | None = None) -> Path:
    """Write the notebook Voilà serves: one cell that shows the explorer."""
    argument = "" if framework is None else f"wf.load_framework({framework!r})"
    source = _CELL.format(framework=argument)
    document = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "explorer",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = folder / NOTEBOOK
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def voila_command(notebook: Path, port: int, *, open_browser: bool) -> list[str]:
    """The command that serves ``notebook`` on ``127.0.0.1:port``."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--show_tracebacks=False",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def serve(port: int = 8866, *, open_browser: bool = True, framework: str | None = None) -> int:
    """Serve the explorer until interrupted (Ctrl+C or a terminate signal, which stops
    Voilà too); return Voilà's exit code."""
    require("voila", "wellbeing explore")
    require("ipywidgets", "wellbeing explore")
    if not 1 <= port <= 65535:
        raise ValueError(f"--port must be from 1 to 65535, not {port}")
    if not _port_is_free(port):
        raise OSError(f"port {port} is in use on this computer: choose another with --port")
    if framework is not None and Path(framework).is_file():
        framework = str(Path(framework).resolve())  # the page runs in another folder
    with tempfile.TemporaryDirectory(prefix="wellbeing-explore-") as folder:
        notebook = explorer_notebook(Path(folder), framework)
        command = voila_command(notebook, port, open_browser=open_browser)
        process = subprocess.Popen(command)
        previous = signal.signal(signal.SIGTERM, _stop)
        print(f"the explorer: http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
        try:
            return process.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt
