"""``python -m chainmap``: the command line, as the ``chainmap`` script runs it.

For a machine where the console script is not on ``PATH`` (a Windows intranet PC
with Python installed for one user, a virtual environment not activated).
"""

from .cli import run

if __name__ == "__main__":  # pragma: no branch
    run()
