"""RFC 6665 subscriptions over a :class:`Dialog`: GB/T 28181 Catalog, Alarm and MobilePosition.

Both roles are here. The subscriber (the platform subscribing to a device, or a lower platform's
catalog) tracks the state NOTIFYs report and when to refresh; the notifier (Vigil answering an
upper platform in a cascade) builds NOTIFYs whose Subscription-State carries the remaining
lifetime. Time is always the caller's ``now`` in seconds; nothing here reads a clock.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from vigil.protocols.digits import read_digits
from vigil.protocols.errors import SipError
from vigil.protocols.sip.dialog import Dialog, DialogState
from vigil.protocols.sip.grammar import Params, find_param, format_params, parse_params
from vigil.protocols.sip.message import SipRequest, SipResponse
from vigil.protocols.sip.typed_headers import Via

__all__ = ["Subscription", "SubscriptionState", "SubscriptionStateHeader"]

#: Refresh this long before expiry: 64·T1 (Timer F), so a refresh that times out still
#: leaves the subscription alive long enough to notice and retry.
REFRESH_MARGIN = 32.0
#: RFC 6665 §4.1.3: a subscriber must answer Subscription-State's reason; the notifier's default.
DEFAULT_TERMINATE_REASON = "timeout"


class SubscriptionState(enum.Enum):
    """RFC 6665 §4.1.3 substates."""

    PENDING = "pending"
    ACTIVE = "active"
    TERMINATED = "terminated"


def _expires_value(text: str) -> int:
    text = text.strip()
    seconds = read_digits(text)
    if seconds is None:
        raise SipError(f"expires {text[:20]!r} is not a number of seconds")
    return seconds


@dataclass(frozen=True, slots=True)
class SubscriptionStateHeader:
    """RFC 6665 §8.2.3 ``Subscription-State: active;expires=600`` (other params kept)."""

    state: SubscriptionState
    expires: int | None = None
    reason: str | None = None
    params: Params = ()

    @classmethod
    def parse(cls, text: str) -> SubscriptionStateHeader:
        """Parse the header value."""
        value, _, rest = text.strip().partition(";")
        try:
            state = SubscriptionState(value.strip().lower())
        except ValueError:
            raise SipError(f"Subscription-State {value[:20]!r} is not a known state") from None
        expires: int | None = None
        reason: str | None = None
        others: list[tuple[str, str | None]] = []
        for name, param in parse_params(rest):
            key = name.lower()
            if key == "expires" and param is not None:
                expires = _expires_value(param)
            elif key == "reason" and param is not None:
                reason = param
            else:
                others.append((name, param))
        return cls(state, expires, reason, tuple(others))

    def __str__(self) -> str:
        out = self.state.value
        if self.expires is not None:
            out += f";expires={self.expires}"
        if self.reason is not None:
            out += f";reason={self.reason}"
        return out + format_params(self.params)


def _expires_of(*messages: SipRequest | SipResponse) -> int:
    for message in messages:
        value = message.headers.get("Expires")
        if value is not None:
            return _expires_value(value)
    raise SipError("SUBSCRIBE exchange has no Expires")


def _event_of(request: SipRequest) -> str:
    event = request.headers.get("Event")
    if not event:
        raise SipError("SUBSCRIBE without Event", status_hint=489)
    return event


class Subscription:
    """A subscription's dialog, state and expiry; see :meth:`subscriber` and :meth:`notifier`."""

    __slots__ = ("dialog", "event", "expires_at", "granted", "state")

    def __init__(
        self, dialog: Dialog, event: str, state: SubscriptionState, now: float, granted: int
    ) -> None:
        self.dialog = dialog
        self.event = event
        self.state = state
        self.granted = granted
        self.expires_at = now + granted

    @classmethod
    def subscriber(cls, request: SipRequest, response: SipResponse, now: float) -> Subscription:
        """We sent SUBSCRIBE ``request`` and got 2xx ``response`` (202 means pending)."""
        if not 200 <= response.status < 300:
            raise SipError(f"a {response.status} response does not create a subscription")
        state = SubscriptionState.PENDING if response.status == 202 else SubscriptionState.ACTIVE
        dialog = Dialog.from_uac(request, response)
        return cls(dialog, _event_of(request), state, now, _expires_of(response, request))

    @classmethod
    def notifier(cls, request: SipRequest, response: SipResponse, now: float) -> Subscription:
        """We received SUBSCRIBE ``request`` and accept it with ``response`` (its Expires wins)."""
        dialog = Dialog.from_uas(request, response)
        state = SubscriptionState.PENDING if response.status == 202 else SubscriptionState.ACTIVE
        return cls(dialog, _event_of(request), state, now, _expires_of(response, request))

    def _extend(self, now: float, granted: int) -> None:
        self.granted = granted
        self.expires_at = now + granted
        if granted == 0:
            self.state = SubscriptionState.TERMINATED

    @property
    def refresh_at(self) -> float:
        """When the subscriber should send the refreshing SUBSCRIBE."""
        return self.expires_at - min(REFRESH_MARGIN, self.granted / 2)

    def expired(self, now: float) -> bool:
        """Whether the subscription has run out."""
        return now >= self.expires_at

    def remaining(self, now: float) -> int:
        """Whole seconds left, for Subscription-State ``expires``."""
        return max(0, math.ceil(self.expires_at - now))

    def on_notify(self, notify: SipRequest, now: float) -> SubscriptionStateHeader:
        """Subscriber: record a NOTIFY's Subscription-State (RFC 6665 §4.1.3)."""
        self.dialog.on_request(notify)
        value = notify.headers.get("Subscription-State")
        if value is None:
            raise SipError("NOTIFY without Subscription-State")
        header = SubscriptionStateHeader.parse(value)
        self.state = header.state
        if header.expires is not None and header.state is not SubscriptionState.TERMINATED:
            self._extend(now, header.expires)
        if header.state is SubscriptionState.TERMINATED:
            self.dialog.state = DialogState.TERMINATED
        return header

    def refresh(
        self, *, via: Via, expires: int, body: bytes = b"", content_type: str | None = None
    ) -> SipRequest:
        """Subscriber: an in-dialog SUBSCRIBE; ``expires=0`` unsubscribes."""
        headers = [("Event", self.event), ("Expires", str(expires))]
        return self.dialog.request(
            "SUBSCRIBE", via=via, body=body, content_type=content_type, headers=headers
        )

    def on_refresh_response(self, response: SipResponse, now: float) -> None:
        """Subscriber: a 2xx renews (to the notifier's Expires); 481 and the like end it."""
        if 200 <= response.status < 300:
            self._extend(now, _expires_of(response))
        elif response.status >= 300:
            self.state = SubscriptionState.TERMINATED

    def on_subscribe(self, request: SipRequest, now: float, granted: int | None = None) -> int:
        """Notifier: a refreshing SUBSCRIBE; returns the seconds granted (put them in the 200)."""
        self.dialog.on_request(request)
        seconds = _expires_of(request) if granted is None else granted
        self._extend(now, seconds)
        return seconds

    def notify(
        self,
        *,
        via: Via,
        now: float,
        body: bytes = b"",
        content_type: str | None = None,
        terminate: bool = False,
        reason: str | None = None,
    ) -> SipRequest:
        """Notifier: a NOTIFY whose Subscription-State tells the remaining lifetime."""
        if terminate or self.expired(now) or self.state is SubscriptionState.TERMINATED:
            self.state = SubscriptionState.TERMINATED
            header = SubscriptionStateHeader(self.state, reason=reason or DEFAULT_TERMINATE_REASON)
        else:
            header = SubscriptionStateHeader(self.state, expires=self.remaining(now))
        notify = self.dialog.request(
            "NOTIFY",
            via=via,
            body=body,
            content_type=content_type,
            headers=[("Event", self.event), ("Subscription-State", str(header))],
        )
        if self.state is SubscriptionState.TERMINATED:
            self.dialog.state = DialogState.TERMINATED
        return notify

    def param(self, name: str) -> str | None:
        """A parameter of the Event header (GB/T 28181 puts the subscription ``id`` there)."""
        return find_param(parse_params(self.event.partition(";")[2]), name)[1]
