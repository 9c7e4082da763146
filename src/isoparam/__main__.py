"""``python -m isoparam`` runs the command line."""

from isoparam.cli import main

raise SystemExit(main())
