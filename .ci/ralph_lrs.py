"""Ralph's LRS on 127.0.0.1 with its filesystem backend, for pace's sync test.

Usage: python ralph_lrs.py PORT DATA_DIR   (RALPH_AUTH_FILE names the
credentials written by `ralph auth`; see .ci/lrs)

This is `ralph runserver -b fs -h 127.0.0.1` with two differences, both
because of how Ralph 5.1.0 behaves:

- Its filesystem LRS backend writes with the CREATE operation, so the first
  POST creates fs_lrs.jsonl and every later POST fails with 500 "Statements
  bulk indexation failed" (checked by hand: a second POST of a new statement
  to a fresh server). Here it appends, as a store of statements must; all
  else (statement validation, duplicate and conflict checks, GET with `more`
  pages, Basic auth) is Ralph's own code.
- `runserver` always starts uvicorn in reload mode, watching the current
  folder; the test stops and starts the LRS itself and wants one process.
"""

import os
import sys

port = int(sys.argv[1])
os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = sys.argv[2]

# Imported after the environment is set: Ralph reads its settings on import.
import uvicorn  # noqa: E402
from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.lrs.fs import FSLRSBackend  # noqa: E402

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

uvicorn.run("ralph.api:app", host="127.0.0.1", port=port, log_level="info")
