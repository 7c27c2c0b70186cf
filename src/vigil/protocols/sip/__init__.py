"""Sans-I/O SIP, the RFC 3261 subset GB/T 28181 uses.

Messages, parser, digest, transactions, dialogs and subscriptions.

Everything in ``__all__`` is the public API; the submodules are implementation detail.
"""

from __future__ import annotations

from vigil.protocols.errors import SipError
from vigil.protocols.sip.client_transaction import (
    InviteClientTransaction,
    NonInviteClientTransaction,
    ack_for,
)
from vigil.protocols.sip.dialog import Dialog, DialogId, DialogState
from vigil.protocols.sip.digest import (
    DigestChallenge,
    DigestCredentials,
    authorize,
    digest_ha1,
    digest_response,
    verify_credentials,
)
from vigil.protocols.sip.digest_server import (
    AuthVerdict,
    NonceCounter,
    NonceIssuer,
    NonceStatus,
    authenticate,
)
from vigil.protocols.sip.grammar import HEADER_SPECS, MAGIC_COOKIE, SIP_VERSION, HeaderSpec
from vigil.protocols.sip.headers import Headers
from vigil.protocols.sip.ids import new_branch, new_call_id, new_tag
from vigil.protocols.sip.message import (
    REASON_PHRASES,
    SipMessage,
    SipRequest,
    SipResponse,
    make_request,
    make_response,
)
from vigil.protocols.sip.parser import (
    MAX_HEADER_LINE,
    MAX_HEADERS,
    MAX_MESSAGE_SIZE,
    StreamParser,
    is_keepalive,
    parse_message,
)
from vigil.protocols.sip.server_transaction import (
    InviteServerTransaction,
    NonInviteServerTransaction,
)
from vigil.protocols.sip.subscription import (
    Subscription,
    SubscriptionState,
    SubscriptionStateHeader,
)
from vigil.protocols.sip.transaction import (
    Action,
    Deliver,
    Terminated,
    TimedOut,
    TimerConfig,
    Transaction,
    TransactionKey,
    TransactionState,
    Transmit,
)
from vigil.protocols.sip.typed_headers import CSeq, NameAddr, Via
from vigil.protocols.sip.uri import SipUri

__all__ = [
    "HEADER_SPECS",
    "MAGIC_COOKIE",
    "MAX_HEADERS",
    "MAX_HEADER_LINE",
    "MAX_MESSAGE_SIZE",
    "REASON_PHRASES",
    "SIP_VERSION",
    "Action",
    "AuthVerdict",
    "CSeq",
    "Deliver",
    "Dialog",
    "DialogId",
    "DialogState",
    "DigestChallenge",
    "DigestCredentials",
    "HeaderSpec",
    "Headers",
    "InviteClientTransaction",
    "InviteServerTransaction",
    "NameAddr",
    "NonInviteClientTransaction",
    "NonInviteServerTransaction",
    "NonceCounter",
    "NonceIssuer",
    "NonceStatus",
    "SipError",
    "SipMessage",
    "SipRequest",
    "SipResponse",
    "SipUri",
    "StreamParser",
    "Subscription",
    "SubscriptionState",
    "SubscriptionStateHeader",
    "Terminated",
    "TimedOut",
    "TimerConfig",
    "Transaction",
    "TransactionKey",
    "TransactionState",
    "Transmit",
    "Via",
    "ack_for",
    "authenticate",
    "authorize",
    "digest_ha1",
    "digest_response",
    "is_keepalive",
    "make_request",
    "make_response",
    "new_branch",
    "new_call_id",
    "new_tag",
    "parse_message",
    "verify_credentials",
]
