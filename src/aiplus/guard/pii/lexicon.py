"""Hong Kong word lists the name and address recognisers share: surnames (Chinese characters
and their Cantonese romanisations), titles, place words, and the 18 districts with common areas.

Lists, not a model: they are what Hong Kong forms and letters actually use, and they are what
lets a rule tell "Wong Tai Sin" (a district) from "Wong Tai-man" (a person).
"""

from __future__ import annotations

SURNAMES = frozenset(
    "陳李張黃何林吳劉蔡鄭梁謝楊王葉郭曾周羅馮鄧許蕭朱潘麥譚盧余袁鍾彭馬趙徐蘇莫胡區姚簡關"
    "方高鄺文杜孔歐石鄒廖岑唐崔江司伍顧嚴雷戴程溫施賴萬丘邱洪柯凌霍龍范韓倪湯孫白駱阮范邵"
    "任尹魏鮑康湛卓易游包傅冼麥曹招利薛伍翁紀藍甘祝陸金連商童盛邢沈聶裴齊"
)
COMPOUND_SURNAMES = ("歐陽", "司徒", "上官", "諸葛", "司馬", "公孫", "令狐", "皇甫", "尉遲")
TITLES = ("mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "master")
PLACE_WORDS = frozenset({
    "park", "road", "street", "centre", "center", "hall", "building", "library", "school",
    "college", "university", "hospital", "clinic", "station", "court", "garden", "gardens",
    "pool", "playground", "market", "office", "estate", "tower", "plaza", "hotel", "pier",
    "city", "house", "village", "bay", "beach", "hill", "island", "harbour", "district",
    "company", "limited", "ltd", "co", "inc", "bank", "church", "temple", "museum", "theatre",
    "stadium", "ground", "complex", "services", "service", "department", "bureau", "council",
    "association", "society", "club", "trust", "fund", "foundation", "group", "centre's",
    "kowloon", "hong", "kong", "territories", "avenue", "lane", "path", "terrace", "square",
    "mall", "shop", "restaurant", "cafe", "kitchen", "store", "laboratory", "lab", "court's",
})
HAN = "\u4e00-\u9fff\u3400-\u4dbf"

#: Cantonese (HK government) romanisations of common surnames, lower case.
ROMAN_SURNAMES = frozenset("""
chan wong lee li cheung chang lau lam ng ho leung tang yip ip tsang cheng law kwok lai fung
yeung choi chow chau mak tse lo siu yuen poon hui chu kwan tam man ma ko kong au yu so fong
chung tong sze lui mok luk chiu tsui chong ngai pang tai yiu kan wan hung shek lok cheuk suen
tsoi fok ngan kam chin wu koo yim kwong tin to tung shum shiu hon sin chui lun hau tsim keung
ching wai fan mui auyeung szeto
""".split())

#: The 18 districts and common areas/towns, English and Chinese (longest first when matched).
AREAS_EN = (
    "Central and Western", "Central", "Sheung Wan", "Sai Ying Pun", "Kennedy Town", "Mid-Levels",
    "The Peak", "Wan Chai", "Causeway Bay", "Happy Valley", "Eastern", "North Point",
    "Quarry Bay", "Tai Koo", "Taikoo Shing", "Sai Wan Ho", "Shau Kei Wan", "Chai Wan",
    "Siu Sai Wan", "Southern", "Aberdeen", "Ap Lei Chau", "Pok Fu Lam", "Repulse Bay",
    "Stanley", "Wong Chuk Hang", "Yau Tsim Mong", "Yau Ma Tei", "Tsim Sha Tsui", "Mong Kok",
    "Jordan", "Tai Kok Tsui", "Sham Shui Po", "Cheung Sha Wan", "Lai Chi Kok", "Shek Kip Mei",
    "Kowloon City", "Hung Hom", "To Kwa Wan", "Ho Man Tin", "Kowloon Tong", "Wong Tai Sin",
    "Diamond Hill", "San Po Kong", "Tsz Wan Shan", "Kwun Tong", "Ngau Tau Kok", "Lam Tin",
    "Yau Tong", "Kowloon Bay", "Tsuen Wan", "Tuen Mun", "Yuen Long", "Tin Shui Wai", "North",
    "Sheung Shui", "Fanling", "Tai Po", "Sai Kung", "Tseung Kwan O", "Sha Tin", "Ma On Shan",
    "Tai Wai", "Fo Tan", "Kwai Tsing", "Kwai Chung", "Tsing Yi", "Islands", "Tung Chung",
    "Lantau", "Cheung Chau", "Lamma Island", "Discovery Bay", "Kowloon", "Hong Kong",
    "New Territories", "Hong Kong Island",
)
AREAS_ZH = (
    "中西區", "中環", "上環", "西營盤", "堅尼地城", "半山", "山頂", "灣仔", "銅鑼灣", "跑馬地",
    "東區", "北角", "鰂魚涌", "太古", "西灣河", "筲箕灣", "柴灣", "小西灣", "南區", "香港仔",
    "鴨脷洲", "薄扶林", "淺水灣", "赤柱", "黃竹坑", "油尖旺", "油麻地", "尖沙咀", "旺角", "佐敦",
    "大角咀", "深水埗", "長沙灣", "荔枝角", "石硤尾", "九龍城", "紅磡", "土瓜灣", "何文田",
    "九龍塘", "黃大仙", "鑽石山", "新蒲崗", "慈雲山", "觀塘", "牛頭角", "藍田", "油塘", "九龍灣",
    "荃灣", "屯門", "元朗", "天水圍", "北區", "上水", "粉嶺", "大埔", "西貢", "將軍澳", "沙田",
    "馬鞍山", "大圍", "火炭", "葵青", "葵涌", "青衣", "離島", "東涌", "大嶼山", "長洲", "南丫島",
    "愉景灣", "香港", "九龍", "新界",
)
#: Lower-cased English area names, for telling places from people.
AREA_WORDS_EN = frozenset(a.lower() for a in AREAS_EN)
