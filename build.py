"""Entry point: `python build.py [build|serve|check|new|import-honours] [options]`."""
import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
