"""``make oa-menu [STAGE=local]``: install the official account's custom menu and print what WeChat shows.

Takes a token with ``stable_token`` in normal mode (it does not invalidate the one the functions hold) and
the stage's settings; the local stage installs it on the local world (``make run`` must be up).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from infra.local.stack import stage_env


def main(argv: list[str] | None = None) -> int:
    """Install the menu of ``--stage``; print it; exit non-zero when WeChat refuses it."""
    from channels.wechat.api import stable_token_fetcher
    from channels.wechat.menu import county_menu, install_menu
    from shared.config import load_settings
    from shared.errors import MinqingError

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage", default="local")
    args = parser.parse_args(argv)
    if args.stage == "local":
        from infra.local.running import running_ports

        environ = stage_env(running_ports(os.environ))
    else:
        from infra.local.stack import ROOT

        config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
        environ = {**config["stages"][args.stage]["environment_variables"],
                   **{k: v for k, v in os.environ.items() if k.startswith("MINQING_")}}
    s = load_settings(environ)
    menu = county_menu(s.h5_base)
    try:
        token, _ = stable_token_fetcher(s.wechat_api_base, s.wechat_oa_appid, s.wechat_oa_secret.get_secret_value())(
            False)
        shown = install_menu(s.wechat_api_base, token, menu)
    except MinqingError as exc:
        print(f"menu not installed: {exc.message}", file=sys.stderr)
        return 1
    print(json.dumps(shown, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
