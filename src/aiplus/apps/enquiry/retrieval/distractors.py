"""Realistic distractor FAQs for measuring retrieval at a full 1823 knowledge-base size.

The demo KB has ~100 FAQs; 1823 answers for over twenty departments and holds about ten times
that. Distractors are generated from templates: departments that the demo KB does *not* cover
(so no distractor is a right answer to an eval query) x services each of them really offers x
the actions citizens ask about (apply, renew, fees, appeal, ...), in English and Traditional
Chinese, with a templated answer. They share the KB's vocabulary (「申請」「續期」「費用」,
"apply", "renew", "fee") and subject style, which is what makes them hard for BM25 and E5."""

from __future__ import annotations

import itertools

from aiplus.apps.enquiry.retrieval.model import FaqEntry

DEPARTMENTS = (
    ("BD", "Buildings Department", "屋宇署", (("minor works", "小型工程"),
                                              ("unauthorised building works", "違例建築工程"),
                                              ("window inspection", "強制驗窗"))),
    ("LandsD", "Lands Department", "地政總署", (("short-term tenancy", "短期租約"),
                                                 ("small house grant", "丁屋批地"),
                                                 ("land lease modification", "修訂地契"))),
    ("MD", "Marine Department", "海事處", (("pleasure vessel licence", "遊樂船隻牌照"),
                                          ("local vessel certificate", "本地船隻證明書"),
                                          ("seafarer's certificate", "海員證書"))),
    ("CAD", "Civil Aviation Department", "民航處", (("drone registration", "無人機註冊"),
                                                 ("pilot licence", "機師執照"),
                                                 ("aircraft noise report", "飛機噪音報告"))),
    ("PO", "Hongkong Post", "香港郵政", (("mail redirection", "郵件轉遞"),
                                       ("PO box rental", "郵政信箱租用"),
                                       ("parcel tracking", "郵件追蹤"))),
    ("CR", "Companies Registry", "公司註冊處", (("company incorporation", "公司成立"),
                                            ("annual return", "周年申報表"),
                                            ("company name search", "公司名稱查冊"))),
    ("AFCD", "Agriculture, Fisheries and Conservation Department", "漁農自然護理署",
     (("dog licence", "狗隻牌照"), ("animal import permit", "動物進口許可證"),
      ("country park permit", "郊野公園許可證"))),
    ("EDB", "Education Bureau", "教育局", (("school places allocation", "學位分配"),
                                          ("kindergarten admission", "幼稚園入學"),
                                          ("teacher registration", "教師註冊"))),
    ("DH", "Department of Health", "衞生署", (("vaccination record", "疫苗接種紀錄"),
                                             ("medical device listing", "醫療儀器表列"),
                                             ("tobacco retail permit", "煙草零售許可證"))),
    ("OFCA", "Office of the Communications Authority", "通訊事務管理局辦公室",
     (("radio dealer licence", "無線電商牌照"), ("amateur station licence", "業餘電台牌照"),
      ("telecom complaint", "電訊服務投訴"))),
    ("IPD", "Intellectual Property Department", "知識產權署",
     (("trade mark registration", "商標註冊"), ("patent application", "專利申請"),
      ("design registration", "外觀設計註冊"))),
    ("FSD", "Fire Services Department", "消防處", (("fire safety certificate", "消防證書"),
                                                 ("dangerous goods licence", "危險品牌照"),
                                                 ("fire drill booking", "消防演習預約"))),
    ("CSD", "Correctional Services Department", "懲教署", (("prison visit", "探訪在囚人士"),
                                                        ("rehabilitation programme", "更生計劃"),
                                                        ("inmate correspondence", "囚友通信"))),
    ("DSD", "Drainage Services Department", "渠務署", (("drain blockage report", "渠道淤塞舉報"),
                                                    ("trade effluent surcharge", "工商業污水附加費"),
                                                    ("drainage connection", "排水接駁"))),
    ("CEDD", "Civil Engineering and Development Department", "土木工程拓展署",
     (("slope maintenance", "斜坡維修"), ("excavation permit", "挖掘准許證"),
      ("public fill disposal", "公眾填料處置"))),
    ("HAD", "Home Affairs Department", "民政事務總署",
     (("hotel and guesthouse licence", "旅館牌照"), ("club premises certificate", "會社合格證明書"),
      ("owners' corporation formation", "成立業主立案法團"))),
)
ACTIONS = (
    ("How do I apply for {s}?", "如何申請{z}？"),
    ("What is the fee for {s}?", "{z}的費用是多少？"),
    ("How long does processing of {s} take?", "{z}的處理時間需要多久？"),
    ("How do I renew my {s}?", "如何續期{z}？"),
    ("Can I appeal a decision on {s}?", "對{z}的決定可以上訴嗎？"),
    ("What documents are needed for {s}?", "辦理{z}需要甚麼文件？"),
    ("How do I cancel my {s}?", "如何取消{z}？"),
    ("Where can I check the status of {s}?", "在哪裏查詢{z}的進度？"),
    ("Who is eligible for {s}?", "誰符合{z}的資格？"),
    ("Can I submit {s} online?", "{z}可以在網上辦理嗎？"),
    ("What happens if {s} is late?", "{z}逾期會怎樣？"),
    ("Who do I contact about {s}?", "有關{z}應聯絡誰？"),
    ("What are the office hours for {s}?", "{z}的辦公時間是甚麼？"),
    ("Can someone else handle {s} for me?", "可以由他人代辦{z}嗎？"),
    ("Is there a concession for {s}?", "{z}有沒有優惠？"),
    ("What are the rules on {s}?", "{z}有甚麼規定？"),
    ("How do I change details of {s}?", "如何更改{z}的資料？"),
    ("How do I make a complaint about {s}?", "如何就{z}作出投訴？"),
    ("Is a form needed for {s}?", "{z}需要填寫表格嗎？"),
    ("How do I pay for {s}?", "如何繳付{z}的費用？"),
)


def distractor_entries(count: int) -> list[FaqEntry]:
    """``count`` distinct distractors (at most departments x services x actions = 960)."""
    combos = [(code, en, zh, s_en, s_zh, a_en, a_zh)
              for (code, en, zh, services), (a_en, a_zh) in itertools.product(DEPARTMENTS, ACTIONS)
              for s_en, s_zh in services]
    if count > len(combos):
        raise ValueError(f"at most {len(combos)} distractors can be generated")
    entries = []
    for i, (code, dept_en, dept_zh, s_en, s_zh, a_en, a_zh) in enumerate(combos[:count]):
        entries.append(FaqEntry(
            id=f"distractor-{i:04d}",
            question_en=a_en.format(s=s_en),
            question_zh=a_zh.format(z=s_zh),
            answer_en=f"Please refer to the {dept_en}'s guidance on {s_en} or call its hotline.",
            answer_zh=f"請參閱{dept_zh}有關{s_zh}的指引或致電其熱線。",
            category=f"distractor-{code.lower()}",
            department=code,
        ))
    return entries
