"""``python -m toolkit`` and the ``tolmach`` command.

The Ctrl-C handler is installed before Typer and the command modules load, so an
interrupt during start-up imports ends with one line and exit 130, never a
traceback (see :mod:`toolkit.interrupt`).
"""

from toolkit import interrupt


def main() -> None:
    interrupt.install()
    from toolkit.cli import main as cli_main

    try:
        cli_main()
    except SystemExit as exc:
        if exc.code == interrupt.INTERRUPTED:
            interrupt.leave()
        interrupt.ignore_rest()
        raise
    interrupt.ignore_rest()


if __name__ == "__main__":
    main()
