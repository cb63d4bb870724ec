"""`python -m backcoach ...` runs the same command line as `backcoach ...`."""

from backcoach.cli import main

if __name__ == "__main__":
    main()
