"""`python -m translate_flow`: the same as the `translate-flow` command."""

import sys

from translate_flow.cli import main

sys.exit(main())
