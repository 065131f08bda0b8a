"""Red-teaming: bilingual probe sets sent to a gateway model or an app endpoint, judged,
written as JSONL and a bilingual HTML report, run as a job and re-run on a schedule."""
