"""The forms app's :class:`~aiplus.platform.registry.App`, found through the ``aiplus.apps``
entry point. The package itself stays light, so its CLI can load without the web stack."""

from datetime import date
from pathlib import Path

from aiplus.apps.forms.api import router as api_router
from aiplus.apps.forms.bench import benchmark
from aiplus.apps.forms.jobs import retention_job
from aiplus.apps.forms.web import router as pages_router
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import App, ImpactRecord, ModelCard

HERE = Path(__file__).resolve().parent
OWNER = "AI Plus platform team (forms service)"


MODELS = (
    ModelCard(
        name="rapidocr-pp-ocr", version="rapidocr 3.10.0 (PP-OCRv6 small det/rec, PP-OCR cls)",
        title=Bilingual("Text recognition (RapidOCR, PP-OCR)", "文字識別（RapidOCR，PP-OCR）"),
        intended_use=Bilingual(
            "Reads printed English and Traditional Chinese on scanned or photographed forms.",
            "讀取掃描或拍攝表格上的英文及繁體中文印刷字。"),
        out_of_scope=Bilingual("Deciding an application; reading cursive handwriting.",
                               "決定申請結果；讀取潦草手寫字。"),
        data=Bilingual("PaddleOCR PP-OCR models as ONNX, shipped inside the rapidocr wheel.",
                       "PaddleOCR PP-OCR 模型（ONNX 格式），隨 rapidocr 套件提供。"),
        limits=Bilingual(
            "Accuracy falls on heavy blur, glare and handwriting; low-confidence fields go to "
            "an officer.", "嚴重模糊、反光及手寫字會降低準確度；低信心欄位交由人員覆核。"),
        owner=OWNER, licence="Apache-2.0", source="rapidocr 3.10.0 (PyPI)"),
    ModelCard(
        name="tesseract-chi-tra-eng", version="Debian tesseract-ocr 5",
        title=Bilingual("Text recognition (Tesseract, second engine)", "文字識別（Tesseract，第二引擎）"),
        intended_use=Bilingual("An independent second OCR engine for cross-checking.",
                               "用作交叉核對的另一個獨立文字識別引擎。"),
        out_of_scope=Bilingual("Deciding an application.", "決定申請結果。"),
        data=Bilingual("tesseract-ocr-chi-tra and tesseract-ocr-eng LSTM models.",
                       "tesseract-ocr-chi-tra 及 tesseract-ocr-eng LSTM 模型。"),
        limits=Bilingual("Slower and less accurate than RapidOCR on our forms.",
                         "在本平台表格上較 RapidOCR 慢及準確度較低。"),
        owner=OWNER, licence="Apache-2.0", source="Debian tesseract-ocr, pytesseract"),
    ModelCard(
        name="forms-template-matcher", version="1",
        title=Bilingual("Form template matcher", "表格範本配對器"),
        intended_use=Bilingual(
            "Finds a template's bilingual labels on the page, places each field's box, "
            "normalises and validates the values, and scores confidence per field.",
            "在頁面上尋找範本的雙語標籤，定出各欄位位置，將數值標準化及驗證，並為每個欄位評估信心。"),
        out_of_scope=Bilingual("Forms without a template.", "沒有範本的表格。"),
        data=Bilingual("Rules from the YAML templates; thresholds set on synthetic forms.",
                       "規則來自 YAML 範本；門檻以合成表格設定。"),
        limits=Bilingual("Tuned on synthetic renders; real scans may differ.",
                         "以合成圖像調校；真實掃描可能有差異。"),
        owner=OWNER, licence="Apache-2.0", source="aiplus"),
)

app = App(
    slug="forms",
    cli="aiplus.apps.forms.cli:cli",
    requires=("compute", "guard", "models"),
    title=Bilingual("Form processing with OCR", "表格光學字元識別處理"),
    summary=Bilingual(
        "Reads scanned and photographed application forms, checks them and routes doubtful "
        "fields to an officer.",
        "讀取掃描或拍攝的申請表格，作出核對，並把有疑問的欄位交人員覆核。"),
    seed_system=Bilingual("OCR for International Driving Permit applications (§23)",
                          "國際駕駛許可證申請的光學字元識別（第23段）"),
    assessment=ImpactRecord(
        risk_level="medium",
        summary=Bilingual(
            "Reads personal data from application forms. It never refuses an application on "
            "its own: doubtful or invalid fields go to an officer, unreadable photos are "
            "returned to the applicant. Page images are encrypted at rest and deleted after "
            "the retention period.",
            "從申請表讀取個人資料。系統不會自行拒絕申請：有疑問或無效的欄位交由人員處理，"
            "無法讀取的相片則請申請人重新提交。頁面圖像以加密方式儲存，並於保留期後刪除。"),
        assessed_on=date(2026, 11, 25),
        assessor="AI Plus platform team",
        personal_data=True,
        human_oversight=Bilingual(
            "Officers check every doubtful field against the image, correct it and decide; "
            "every decision is in the audit log.",
            "人員對照圖像核對每個有疑問的欄位、作出更正及決定；所有決定均記入審計記錄。"),
    ),
    api=api_router,
    pages=pages_router,
    templates=HERE / "templates",
    jobs=(retention_job,),
    models=MODELS,
    benchmarks=(benchmark,),
    migrations=HERE / "migrations" / "versions",
    home_path="/forms",
)
