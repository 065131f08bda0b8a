"""Civil-service document copilot: chat with documents, summarise, translate and draft, with
citations (§24). Modelled on the UK government's Redbox: an explicit route graph, map-reduce
for long documents, per-message ratings and retention."""
