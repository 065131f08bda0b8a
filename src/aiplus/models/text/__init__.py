"""Text primitives for English and Traditional Chinese, shared by every app that reads text.

One place decides how the platform tells the two languages apart, cuts Chinese into words and
turns a sentence into lexical tokens, so the document copilot and the 1823 enquiry service
segment 「身份證」 the same way and a fix to one (a jieba dictionary word, a Cantonese form)
reaches both:

* :mod:`.script`: Han/Latin letter counts, the language of a text, normalisation;
* :mod:`.chinese`: OpenCC ``t2s`` and a private jieba tokenizer whose dictionary also holds
  HKCanCor's Cantonese words; :mod:`.cantonese` maps colloquial to written Chinese;
* :mod:`.sentences`: sentence splitting;
* :mod:`.tokens`: plain lexical tokens (summaries, passages) and search tokens (stop words
  dropped, Cantonese normalised, Chinese bigrams, English stems) for short questions.
"""

from aiplus.models.text.cantonese import to_written_chinese
from aiplus.models.text.chinese import chinese_words, to_simplified
from aiplus.models.text.script import detect_language, language_of, letters, normalise
from aiplus.models.text.sentences import sentences
from aiplus.models.text.tokens import matching_form, segment, stem, tokens

__all__ = ["chinese_words", "detect_language", "language_of", "letters", "matching_form",
           "normalise", "segment", "sentences", "stem", "to_simplified", "to_written_chinese",
           "tokens"]
