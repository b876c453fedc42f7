"""Exit 0 when URL answers 200 to Basic auth USER PASSWORD, else 1 (for .ci/lrs)."""

import base64
import sys
import urllib.request

url, user, password = sys.argv[1:4]
token = base64.b64encode(f"{user}:{password}".encode()).decode()
request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
try:
    with urllib.request.urlopen(request, timeout=2) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception:
    sys.exit(1)
