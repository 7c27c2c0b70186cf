"""RFC 3261 §12 dialogs: the state an INVITE or SUBSCRIBE leaves behind, and in-dialog requests.

A dialog is identified by Call-ID, local tag and remote tag (§12). It remembers both CSeq
counters, the peer's Contact (remote target, replaced by target-refresh requests and 2xx
responses) and the route set from Record-Route, and it is the only thing that can build a correct
ACK for a 2xx, a BYE or an INFO (GB/T 28181 sends MANSRTSP playback control as INFO).
Requests that break the rules raise :class:`SipError` with the status to answer: 481 for a
request that is not ours, 500 for an out-of-order CSeq (§12.2.2).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from vigil.protocols.errors import SipError
from vigil.protocols.sip.headers import Headers
from vigil.protocols.sip.message import DEFAULT_MAX_FORWARDS, SipRequest, SipResponse
from vigil.protocols.sip.typed_headers import NameAddr, Via

__all__ = ["Dialog", "DialogId", "DialogState"]

#: RFC 3261 §12.2 / RFC 6665 §4.1.2.4: requests whose Contact replaces the remote target.
TARGET_REFRESH = frozenset({"INVITE", "UPDATE", "SUBSCRIBE", "NOTIFY"})
#: Requests that reuse the INVITE's CSeq number instead of taking the next one (§13.2.2.4, §9.1).
_SAME_CSEQ = frozenset({"ACK", "CANCEL"})


class DialogState(enum.Enum):
    """§12: early (after a tagged 1xx), confirmed (after a 2xx), terminated."""

    EARLY = "early"
    CONFIRMED = "confirmed"
    TERMINATED = "terminated"


@dataclass(frozen=True, slots=True)
class DialogId:
    """§12: what makes a dialog unique, from this side's point of view."""

    call_id: str
    local_tag: str
    remote_tag: str


def _tag(addr: NameAddr, role: str) -> str:
    if addr.tag is None:
        raise SipError(f"{role} has no tag, so no dialog can be formed")
    return addr.tag


def _contact_target(message: SipRequest | SipResponse) -> str:
    contact = message.contact
    if contact is None:
        raise SipError("dialog-creating message has no Contact")
    return str(contact.uri)


def _state_for(status: int) -> DialogState:
    if not 100 < status < 300:
        raise SipError(f"a {status} response does not create a dialog")
    return DialogState.EARLY if status < 200 else DialogState.CONFIRMED


class Dialog:
    """One side of a dialog; build it with :meth:`from_uac` or :meth:`from_uas`."""

    __slots__ = (
        "call_id",
        "invite_seq",
        "local_contact",
        "local_seq",
        "local_uri",
        "remote_seq",
        "remote_target",
        "remote_uri",
        "route_set",
        "state",
    )

    def __init__(
        self,
        *,
        call_id: str,
        local_uri: NameAddr,
        remote_uri: NameAddr,
        remote_target: str,
        local_seq: int,
        remote_seq: int | None,
        route_set: tuple[str, ...] = (),
        local_contact: str | None = None,
        state: DialogState = DialogState.CONFIRMED,
    ) -> None:
        self.call_id = call_id
        self.local_uri = local_uri
        self.remote_uri = remote_uri
        self.remote_target = remote_target
        self.local_seq = local_seq
        self.remote_seq = remote_seq
        self.route_set = route_set
        self.local_contact = local_contact
        self.state = state
        self.invite_seq = local_seq

    @classmethod
    def from_uac(cls, request: SipRequest, response: SipResponse) -> Dialog:
        """§12.1.2: we sent ``request`` and got a tagged 101–299 ``response``."""
        _tag(response.to, "response To")
        contact = request.contact
        return cls(
            call_id=request.call_id,
            local_uri=request.from_,
            remote_uri=response.to,
            remote_target=_contact_target(response),
            local_seq=request.cseq.seq,
            remote_seq=None,
            route_set=tuple(reversed(response.headers.get_list("Record-Route"))),
            local_contact=None if contact is None else str(contact),
            state=_state_for(response.status),
        )

    @classmethod
    def from_uas(cls, request: SipRequest, response: SipResponse) -> Dialog:
        """§12.1.1: we received ``request`` and answer with the tagged 101–299 ``response``."""
        _tag(request.from_, "request From")
        contact = response.contact
        dialog = cls(
            call_id=request.call_id,
            local_uri=response.to,
            remote_uri=request.from_,
            remote_target=_contact_target(request),
            local_seq=0,
            remote_seq=request.cseq.seq,
            route_set=request.headers.get_list("Record-Route"),
            local_contact=None if contact is None else str(contact),
            state=_state_for(response.status),
        )
        _tag(dialog.local_uri, "response To")
        return dialog

    @property
    def id(self) -> DialogId:
        """Call-ID, local tag, remote tag."""
        return DialogId(
            self.call_id, _tag(self.local_uri, "local URI"), _tag(self.remote_uri, "remote URI")
        )

    def matches(self, message: SipRequest | SipResponse) -> bool:
        """Whether an incoming message belongs here (§12.2.2: From is the remote side)."""
        if isinstance(message, SipRequest):
            ours, theirs = message.to.tag, message.from_.tag
        else:
            ours, theirs = message.from_.tag, message.to.tag
        return (
            message.call_id == self.call_id
            and ours == self.local_uri.tag
            and theirs == self.remote_uri.tag
        )

    def on_response(self, response: SipResponse) -> None:
        """§12.1.2/§13.2.2.4: a response to our dialog-creating request moves the state on."""
        if self.state is DialogState.TERMINATED:
            raise SipError("dialog is terminated", status_hint=481)
        if response.status >= 300:
            if self.state is DialogState.EARLY:
                self.state = DialogState.TERMINATED
            return
        if response.status >= 200 and self.state is DialogState.EARLY:
            self.state = DialogState.CONFIRMED
            self.route_set = tuple(reversed(response.headers.get_list("Record-Route")))
        if response.contact is not None:
            self.remote_target = str(response.contact.uri)

    def on_request(self, request: SipRequest) -> None:
        """§12.2.2: check and record an incoming in-dialog request."""
        if self.state is DialogState.TERMINATED or not self.matches(request):
            raise SipError("request does not match the dialog", status_hint=481)
        seq = request.cseq.seq
        if request.method not in _SAME_CSEQ:
            if self.remote_seq is not None and seq <= self.remote_seq:
                raise SipError(
                    f"CSeq {seq} is not above the dialog's {self.remote_seq}", status_hint=500
                )
            self.remote_seq = seq
        if request.method in TARGET_REFRESH and request.contact is not None:
            self.remote_target = str(request.contact.uri)
        if request.method == "BYE":
            self.state = DialogState.TERMINATED

    def _route(self) -> tuple[str, tuple[str, ...]]:
        """§12.2.1.1: Request-URI and Route values for loose and strict next hops."""
        if not self.route_set:
            return self.remote_target, ()
        first = NameAddr.parse(self.route_set[0]).uri
        if first.has_param("lr"):
            return self.remote_target, self.route_set
        return str(first), (*self.route_set[1:], f"<{self.remote_target}>")

    def request(
        self,
        method: str,
        *,
        via: Via,
        body: bytes = b"",
        content_type: str | None = None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> SipRequest:
        """§12.2.1.1: an in-dialog request; ACK reuses the INVITE's CSeq, the rest count up."""
        if self.state is DialogState.TERMINATED:
            raise SipError(f"cannot send {method} in a terminated dialog")
        if method in _SAME_CSEQ:
            seq = self.invite_seq
        else:
            self.local_seq += 1
            seq = self.local_seq
            if method == "INVITE":
                self.invite_seq = seq
        uri, routes = self._route()
        items = [
            ("Via", str(via)),
            *(("Route", r) for r in routes),
            ("Max-Forwards", str(DEFAULT_MAX_FORWARDS)),
            ("From", str(self.local_uri)),
            ("To", str(self.remote_uri)),
            ("Call-ID", self.call_id),
            ("CSeq", f"{seq} {method}"),
        ]
        if method in TARGET_REFRESH and self.local_contact is not None:
            items.append(("Contact", self.local_contact))
        if content_type is not None:
            items.append(("Content-Type", content_type))
        items.extend(headers)
        return SipRequest(method, uri, Headers(items), body)

    def ack(self, *, via: Via, body: bytes = b"", content_type: str | None = None) -> SipRequest:
        """§13.2.2.4: the ACK for a 2xx (its own transaction, so pass a new branch)."""
        return self.request("ACK", via=via, body=body, content_type=content_type)

    def bye(self, *, via: Via, headers: Iterable[tuple[str, str]] = ()) -> SipRequest:
        """§15.1.1: a BYE; the dialog is over as soon as it is sent."""
        bye = self.request("BYE", via=via, headers=headers)
        self.state = DialogState.TERMINATED
        return bye
