"""Voice enquiries for 1823: recordings to text, and answers back as SMS or a voice message.

The HTTP endpoint, call log and outbox live in the enquiry service; this package is the domain
underneath it and imports nothing from the web layer.
"""

from aiplus.apps.enquiry.voice.audio import AUDIO_TYPES, Audio, decode_audio
from aiplus.apps.enquiry.voice.redaction import redact
from aiplus.apps.enquiry.voice.sms import SmsGateway, SmsPlan, normalise_msisdn, plan_sms
from aiplus.apps.enquiry.voice.speech import SpeechRecogniser, Transcript
from aiplus.apps.enquiry.voice.synthesis import VoiceSynthesiser

__all__ = ["AUDIO_TYPES", "Audio", "SmsGateway", "SmsPlan", "SpeechRecogniser", "Transcript",
           "VoiceSynthesiser", "decode_audio", "normalise_msisdn", "plan_sms", "redact"]
