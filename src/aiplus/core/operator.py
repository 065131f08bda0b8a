"""Who is at the command line: the audit log names the operator of every CLI write.

Kept in its own light module so that command groups can name the actor without loading the
database layer."""

import os

CLI_ACTOR = "cli:" + os.environ.get("USER", "operator")
