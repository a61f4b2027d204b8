"""``python -m tcpredict`` runs the command line (same as the ``tcpredict`` script)."""

from tcpredict.cli.main import main

if __name__ == "__main__":  # pragma: no cover
    main()
