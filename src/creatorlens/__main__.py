"""`python -m creatorlens`: the same CLI as the `creatorlens` command."""

from creatorlens.cli import main

main()
