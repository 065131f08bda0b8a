"""The 1823 enquiry service: bilingual FAQ answering, hand-over and voice enquiries (§22)."""
