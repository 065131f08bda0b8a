"""What the gateway judges as the officer's own words in the copilot's prompts: only the
question and the facts. Passages, their labels and the draft's passage block are declared as
documents, so the app's scaffolding ("[5] (report.txt, page 1, Data Governance)") is never
scanned as input (it read as an injection and blocked 16 of 28 benchmark questions)."""

from aiplus.apps.copilot import drafting, routes
from aiplus.apps.copilot.drafting import TEMPLATES
from aiplus.apps.copilot.retrieval import Passage
from aiplus.guard.contract import split_documents

PASSAGES = [Passage(i, 1, "report.txt", 1, heading, text, 0.5, 0.9) for i, (heading, text) in
            enumerate((("Data Governance", "The PCPD published guidance on AI in 2021."),
                       ("", "Data centre floor space will reach 1.5 million square metres.")),
                      start=1)]


def own_words(user: str, documents: list[str]) -> str:
    return "".join(piece for piece, document in split_documents(user, tuple(documents))
                   if not document).strip()


def test_only_the_question_is_the_officers_own_words():
    _system, user, documents = routes.documents_prompt(PASSAGES, "How much floor space?", "en")
    assert own_words(user, documents) == "Question: How much floor space?"
    assert all(p.text in user for p in PASSAGES) and "[1] (report.txt, page 1, Data" in user


def test_a_draft_declares_its_passages_as_one_document():
    template = next(iter(TEMPLATES.values()))
    facts = {"subject": "Licence renewal", "facts": "Online from March."}
    _system, user, documents = drafting.prompt(template, facts, [p.text for p in PASSAGES], "en")
    assert own_words(user, documents) == "subject: Licence renewal\nfacts: Online from March."
    assert drafting.prompt(template, facts, [], "en")[2] == []
