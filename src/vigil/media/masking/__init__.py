"""Privacy masking of video: the picture's masked regions blurred, re-encoded, served as a
stream of its own (:class:`MaskedSource`)."""

from vigil.media.masking.blur import Masker
from vigil.media.masking.source import MaskedSource
from vigil.media.masking.transcoder import MaskingTranscoder, masked_frames

__all__ = ["MaskedSource", "Masker", "MaskingTranscoder", "masked_frames"]
