"""Test-wide settings: CI runs hypothesis derandomized, so that a run on a clean clone is
reproducible; local runs keep drawing new examples (and find new bugs)."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("ISOPARAM_HYPOTHESIS", "default"))
