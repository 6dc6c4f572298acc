"""An OAuth 2.0 sign-in with the user at hand: a browser window on this computer, or a
device code typed into any browser (the commands' ``login`` and ``account add``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from desktop_app.core.messages import text
from desktop_app.services.oauth.client import DeviceCode, DeviceFlow, OAuthClient


def device_code_text(code: DeviceCode) -> str:
    """Where to go, the code to type there, and until when it works."""
    until = dt.datetime.fromtimestamp(code.expires_at).strftime("%H:%M")
    return text("exchange.device_code", uri=code.verification_uri, code=code.user_code, until=until)


def sign_in_interactively(
    client: OAuthClient,
    login_name: str,
    *,
    browser: bool,
    say: Callable[[str], None],
    device_flow_started: Callable[[DeviceFlow], None] | None = None,
) -> str:
    """Sign ``client`` in; the name signed in (checked by the caller against the account).

    ``say`` tells the user what to do; ``device_flow_started``, where given, receives the
    device-code sign-in instead (a window shows the code itself and may cancel the wait).
    """
    if browser:
        say(text("exchange.browser_opening"))
        return client.sign_in_with_browser(login_name)
    flow = client.start_device_flow()
    if device_flow_started is not None:
        device_flow_started(flow)
    else:
        say(device_code_text(flow.code))
    try:
        return client.finish_device_flow(flow)
    except KeyboardInterrupt:
        flow.cancel()  # the wait ends within a second
        raise
