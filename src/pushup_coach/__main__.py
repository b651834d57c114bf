"""``python -m pushup_coach`` runs the CLI."""

from pushup_coach.cli import main

if __name__ == "__main__":
    main()
