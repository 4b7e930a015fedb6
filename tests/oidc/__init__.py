"""Real OpenID providers on loopback for the sign-in tests: tests/oidc/provider.mjs (the
npm package oidc-provider, installed by `make setup` as the front-end files are), one
speaking as Google and one as Microsoft. The suite starts each once."""
import json
import select
import subprocess
import urllib.request
from contextlib import contextmanager
from pathlib import Path

SCRIPT = Path(__file__).with_name("provider.mjs")
ROOT = SCRIPT.parents[2]
CLIENT_SECRET = "stand-in-secret-0123456789"
# Tenants as Microsoft names them: ids, not names.
SCHOOL_TENANT = "5f0c6a2e-3b1d-4c8e-9a7f-2d4b6e8c0a13"
OTHER_TENANT = "9e1d7b3c-6a2f-4d5e-8b0c-1f3a5c7e9b24"


class StandIn:
    """A provider running in a node process: its issuer, and the tests' controls."""

    def __init__(self, kind, port):
        self.kind, self.port = kind, port
        self.issuer = f"http://127.0.0.1:{port}"
        self.client_id = f"hub-{kind}"

    def _post(self, path, payload):
        request = urllib.request.Request(self.issuer + path, data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 204

    def set_accounts(self, accounts):
        """The accounts one may sign in as: {login: claims}; login is what the page's box takes."""
        self._post("/_test/accounts", accounts)

    def spoil_id_tokens(self, how):
        """"expired", "wrong-key", or None for honest tokens again."""
        self._post("/_test/id-token", {"spoil": how})

    def settings(self):
        """The hub's settings for this provider (config.py names)."""
        prefix = self.kind.upper()
        return {f"{prefix}_CLIENT_ID": self.client_id, f"{prefix}_CLIENT_SECRET": CLIENT_SECRET,
                f"{prefix}_ISSUER": self.issuer}


@contextmanager
def running(kind):
    process = subprocess.Popen(["node", str(SCRIPT), kind, f"hub-{kind}", CLIENT_SECRET], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 30)  # its first line, or give up
        line = process.stdout.readline() if ready else ""
        if not line.startswith("listening "):
            raise RuntimeError(f"the {kind} stand-in did not start (is `make setup`'s npm install done?): {line!r}")
        yield StandIn(kind, int(line.split()[1]))
    finally:
        process.terminate()
        process.wait(timeout=10)
