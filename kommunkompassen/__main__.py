"""`python -m kommunkompassen`: the command, where the `kommunkompassen` script is not on the PATH."""

import sys

from kommunkompassen.command import run

sys.exit(run())
