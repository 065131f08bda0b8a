"""Extractive summaries hold sentences only (issue 27)."""


def test_a_summary_never_ends_on_a_bare_list_number():
    """Issue 27: an extractive summary ended with a stray "- 2." (a list number the sentence
    splitter had cut off on its own)."""
    from aiplus.apps.copilot.summarise import extractive

    text = ("The department reviewed its licensing rules this year. 1. Fees will rise by five "
            "per cent from April. 2. Renewals move online. 3. Paper forms stay available for "
            "older applicants. The review ends in June. Officers will brief the public.")
    summary = extractive(text, "bullet", "long")  # every sentence: the list numbers too, before
    assert summary and all(any(ch.isalpha() for ch in line) for line in summary.splitlines())
