"""Registry pages in Traditional Chinese carry no English status words, owners or test names
(issue 27: "deployed", "not assessed", "platform", "other" were left in English)."""



def test_register_and_model_page_words_are_translated(client, platform):
    platform.migrate()
    html = {"Accept": "text/html"}
    register = client.get("/register?lang=zh-Hant", headers=html).text
    for english in (">platform<", "not assessed", ">deployed<", ">draft<"):
        assert english not in register, english
    assert "AI Plus 平台" in register
    card = client.get("/responsible/models/enquiry-faq-retriever/versions/1?lang=zh-Hant",
                      headers=html).text
    assert "<dd>其他</dd>" in card and "AI Plus 平台" in card
