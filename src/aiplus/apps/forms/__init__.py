"""Form processing with OCR: International Driving Permit applications first (§23).

Templates are data (``form_templates/*.yaml``): a department adds a form without code. A page
is prepared (perspective, deskew), checked for quality, read by offline OCR (RapidOCR, or
Tesseract), matched to its template by its printed labels, validated, cross-checked against
the driving licence and, where anything is doubtful, sent to an officer's review queue.
"""
