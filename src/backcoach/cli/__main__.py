"""`python -m backcoach.cli` runs the command line."""

from backcoach.cli import main

main()
