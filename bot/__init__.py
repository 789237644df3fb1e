"""citebot's Discord bot and terminal command (the entry points: bot.cli, bot.runner)."""

import os

# One BLAS thread for the whole process, set before numpy is imported. OpenBLAS otherwise starts
# a thread per core at numpy's import (~0.05 s of a one-shot `citebot ask`), and its threads
# spin-wait for each other: on a busy 2-core machine one of the model's small products (a text's
# tokens × 384 × 1536) then takes ~0.2 s instead of ~5 ms. Nothing here is big enough to gain
# from more threads. A user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
