"""One router per service."""
