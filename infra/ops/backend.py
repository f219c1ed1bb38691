"""Send one signed backend request (what a county's approval system does), for the local stack.

Usage: ``.venv/bin/python -m infra.ops.backend POST /backend/v1/applications/SB…/events '{"status":"accepted"}'``
The key defaults to the local stage's, the URL to the running ``make run`` stack's (moved ports followed:
``MINQING_LOCAL_API_PORT``, or the stack's own record); ``--key``/``--url`` (or ``MINQING_BACKEND_HMAC_KEY``,
``MINQING_API_URL``) point it elsewhere. It says on stderr where it sends.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.request

from infra.local.running import DEFAULTS, api_url
from infra.local.stack import stage_env
from shared.personal_data import mask_personal
from shared.services.backend_auth import sign


def main() -> None:
    """Sign, send, print the answer."""
    parser = argparse.ArgumentParser(description="Send a signed Minqing backend request.")
    parser.add_argument("method", choices=["GET", "POST", "PUT"])
    parser.add_argument("path", help="path and query exactly as sent, e.g. /backend/v1/notices?application_no=SB…")
    parser.add_argument("body", nargs="?", default="")
    parser.add_argument("--key", default=os.environ.get("MINQING_BACKEND_HMAC_KEY")
                        or stage_env(DEFAULTS)["MINQING_BACKEND_HMAC_KEY"])
    parser.add_argument("--key-id", help="a scoped key's id (mk_…) from /console/keys; --key is then its secret")
    parser.add_argument("--url", default=api_url(os.environ), help="the API (default: the running local stack)")
    args = parser.parse_args()
    print(f"→ {args.method} {args.url}{mask_personal(args.path)}", file=sys.stderr)
    body = args.body.encode("utf-8")
    ts, nonce = str(int(time.time())), secrets.token_hex(8)
    headers = {"Content-Type": "application/json", "X-Minqing-Timestamp": ts, "X-Minqing-Nonce": nonce,
               "X-Minqing-Signature": sign(args.key, ts, nonce, args.method, args.path, body),
               **({"X-Minqing-Key-Id": args.key_id} if args.key_id else {})}
    req = urllib.request.Request(args.url + args.path, data=body or None, method=args.method,  # noqa: S310
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:  # noqa: S310 (operator-given URL)
            status, text = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read()
    except urllib.error.URLError as exc:
        sys.exit(f"cannot reach {args.url} ({exc.reason}): is `make run` up? Moved ports: set MINQING_LOCAL_API_PORT "
                 "(or MINQING_API_URL) as for make run")
    print(status, json.dumps(json.loads(text), ensure_ascii=False, indent=2) if text else "")
    sys.exit(0 if status < 400 else 1)


if __name__ == "__main__":
    main()
