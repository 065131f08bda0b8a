"""AI Plus: an open, self-hostable platform for Hong Kong's AI Plus strategy."""

import os

__version__ = "0.1.0"

# The CPU models (multilingual E5, Whisper via CTranslate2, llama.cpp) use OpenMP. Its default
# "active" wait makes idle worker threads spin; on a small machine shared with the web server,
# the database and other models, spinning threads steal the cores they wait for: one E5 query
# measured 1.6 s instead of 26 ms under load on 2 cores. Passive waiting costs nothing when the
# machine is idle. It must be set before the first OpenMP library loads; an operator's own
# setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
