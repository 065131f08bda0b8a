"""Synthetic catalogues for scale tests: ``aiplus opendata generate --datasets N --orgs M``.

Datasets are plausible and bilingual (subjects of DATA.GOV.HK's 19 categories, qualified by
district and year, published by Hong Kong bureaux, departments and public bodies), with tags,
groups and link resources (no files). They are written with SQLAlchemy Core bulk inserts, one
transaction per batch, and every row the catalogue service would write is written too:

* the dataset, its tags, categories and resources;
* revision 1 in ``data_dataset_revisions`` with the same snapshot ``package_show`` returns;
* its facet postings (:func:`aiplus.data.catalog.facets.keys`);
* the search document, built with :func:`aiplus.data.catalog.text.document` from the same
  parts as :func:`aiplus.data.catalog.service.index_dataset` (and on SQLite its FTS5 row);
* one audit entry per batch (``dataset.generate``) summarising what the batch created, in the
  batch's transaction, so the audit log still records every write.

Missing organisations are created first, each with its own ``org.create`` audit entry. Contents
depend only on ``seed``; ids are random, and names continue after the datasets already present,
so generating twice adds to the catalogue rather than colliding with it.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from aiplus.core import audit, identity
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.data.catalog import facets
from aiplus.data.catalog.groups import CATEGORIES
from aiplus.data.catalog.models import (
    Dataset,
    DatasetRevision,
    FacetPosting,
    Group,
    Resource,
    SearchDocument,
    Tag,
    dataset_groups,
    dataset_tags,
)
from aiplus.data.catalog.serialise import package_dict
from aiplus.data.catalog.text import document
from aiplus.platform.services import Platform

MAX_DATASETS = 1_000_000
MAX_ORGS = 1_000
DEFAULT_BATCH = 2_000
LICENCE = "hk-dgh-terms"
RESOURCE_HOST = "https://opendata.example"  # a reserved name: generated links lead nowhere

# (slug, English name, Chinese name, kind): bureaux, departments and public bodies.
ORGANISATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("hk-dpo", "Digital Policy Office", "數字政策辦公室", "department"),
    ("hk-td", "Transport Department", "運輸署", "department"),
    ("hk-effo", "Efficiency Office (1823)", "效率促進辦公室（1823）", "department"),
    ("hk-ha", "Hospital Authority", "醫院管理局", "hospital"),
    ("hk-hko", "Hong Kong Observatory", "香港天文台", "department"),
    ("hk-epd", "Environmental Protection Department", "環境保護署", "department"),
    ("hk-lcsd", "Leisure and Cultural Services Department", "康樂及文化事務署", "department"),
    ("hk-censtatd", "Census and Statistics Department", "政府統計處", "department"),
    ("hk-dh", "Department of Health", "衞生署", "department"),
    ("hk-fehd", "Food and Environmental Hygiene Department", "食物環境衞生署", "department"),
    ("hk-housing", "Housing Department", "房屋署", "department"),
    ("hk-landsd", "Lands Department", "地政總署", "department"),
    ("hk-pland", "Planning Department", "規劃署", "department"),
    ("hk-bd", "Buildings Department", "屋宇署", "department"),
    ("hk-cedd", "Civil Engineering and Development Department", "土木工程拓展署", "department"),
    ("hk-dsd", "Drainage Services Department", "渠務署", "department"),
    ("hk-wsd", "Water Supplies Department", "水務署", "department"),
    ("hk-hyd", "Highways Department", "路政署", "department"),
    ("hk-afcd", "Agriculture, Fisheries and Conservation Department", "漁農自然護理署",
     "department"),
    ("hk-swd", "Social Welfare Department", "社會福利署", "department"),
    ("hk-edb", "Education Bureau", "教育局", "bureau"),
    ("hk-labour", "Labour Department", "勞工處", "department"),
    ("hk-immd", "Immigration Department", "入境事務處", "department"),
    ("hk-police", "Hong Kong Police Force", "香港警務處", "department"),
    ("hk-fsd", "Fire Services Department", "消防處", "department"),
    ("hk-csd", "Correctional Services Department", "懲教署", "department"),
    ("hk-customs", "Customs and Excise Department", "香港海關", "department"),
    ("hk-mardep", "Marine Department", "海事處", "department"),
    ("hk-cad", "Civil Aviation Department", "民航處", "department"),
    ("hk-emsd", "Electrical and Mechanical Services Department", "機電工程署", "department"),
    ("hk-archsd", "Architectural Services Department", "建築署", "department"),
    ("hk-rvd", "Rating and Valuation Department", "差餉物業估價署", "department"),
    ("hk-landreg", "Land Registry", "土地註冊處", "department"),
    ("hk-ird", "Inland Revenue Department", "稅務局", "department"),
    ("hk-tsy", "Treasury", "庫務署", "department"),
    ("hk-gld", "Government Logistics Department", "政府物流服務署", "department"),
    ("hk-isd", "Information Services Department", "政府新聞處", "department"),
    ("hk-had", "Home Affairs Department", "民政事務總署", "department"),
    ("hk-ofca", "Office of the Communications Authority", "通訊事務管理局辦公室", "department"),
    ("hk-ipd", "Intellectual Property Department", "知識產權署", "department"),
    ("hk-tid", "Trade and Industry Department", "工業貿易署", "department"),
    ("hk-investhk", "Invest Hong Kong", "投資推廣署", "department"),
    ("hk-itc", "Innovation and Technology Commission", "創新科技署", "department"),
    ("hk-lad", "Legal Aid Department", "法律援助署", "department"),
    ("hk-cr", "Companies Registry", "公司註冊處", "department"),
    ("hk-oro", "Official Receiver's Office", "破產管理署", "department"),
    ("hk-reo", "Registration and Electoral Office", "選舉事務處", "department"),
    ("hk-govtlab", "Government Laboratory", "政府化驗所", "department"),
    ("hk-gfs", "Government Flying Service", "政府飛行服務隊", "department"),
    ("hk-ams", "Auxiliary Medical Service", "醫療輔助隊", "department"),
    ("hk-cas", "Civil Aid Service", "民眾安全服務隊", "department"),
    ("hk-post", "Hongkong Post", "香港郵政", "department"),
    ("hk-rthk", "Radio Television Hong Kong", "香港電台", "department"),
    ("hk-gpa", "Government Property Agency", "政府產業署", "department"),
    ("hk-wfsfaa", "Working Family and Student Financial Assistance Agency",
     "在職家庭及學生資助事務處", "department"),
    ("hk-audit", "Audit Commission", "審計署", "department"),
    ("hk-doj", "Department of Justice", "律政司", "department"),
    ("hk-jud", "Judiciary", "司法機構", "other"),
    ("hk-legco", "Legislative Council Secretariat", "立法會秘書處", "other"),
    ("hk-cso", "Chief Secretary for Administration's Office", "政務司司長辦公室", "bureau"),
    ("hk-fso", "Financial Secretary's Office", "財政司司長辦公室", "bureau"),
    ("hk-csb", "Civil Service Bureau", "公務員事務局", "bureau"),
    ("hk-tlb", "Transport and Logistics Bureau", "運輸及物流局", "bureau"),
    ("hk-eeb", "Environment and Ecology Bureau", "環境及生態局", "bureau"),
    ("hk-healthb", "Health Bureau", "醫務衞生局", "bureau"),
    ("hk-hb", "Housing Bureau", "房屋局", "bureau"),
    ("hk-devb", "Development Bureau", "發展局", "bureau"),
    ("hk-fstb", "Financial Services and the Treasury Bureau", "財經事務及庫務局", "bureau"),
    ("hk-itib", "Innovation, Technology and Industry Bureau", "創新科技及工業局", "bureau"),
    ("hk-lwb", "Labour and Welfare Bureau", "勞工及福利局", "bureau"),
    ("hk-sb", "Security Bureau", "保安局", "bureau"),
    ("hk-cmab", "Constitutional and Mainland Affairs Bureau", "政制及內地事務局", "bureau"),
    ("hk-hyab", "Home and Youth Affairs Bureau", "民政及青年事務局", "bureau"),
    ("hk-cedb", "Commerce and Economic Development Bureau", "商務及經濟發展局", "bureau"),
    ("hk-cstb", "Culture, Sports and Tourism Bureau", "文化體育及旅遊局", "bureau"),
    ("hk-hkma", "Hong Kong Monetary Authority", "香港金融管理局", "other"),
    ("hk-sfc", "Securities and Futures Commission", "證券及期貨事務監察委員會", "other"),
    ("hk-ia", "Insurance Authority", "保險業監管局", "other"),
    ("hk-mpfa", "Mandatory Provident Fund Schemes Authority", "強制性公積金計劃管理局", "other"),
    ("hk-eaa", "Estate Agents Authority", "地產代理監管局", "other"),
    ("hk-hkha", "Hong Kong Housing Authority", "香港房屋委員會", "other"),
    ("hk-hkhs", "Hong Kong Housing Society", "香港房屋協會", "other"),
    ("hk-ura", "Urban Renewal Authority", "市區重建局", "other"),
    ("hk-aahk", "Airport Authority Hong Kong", "香港機場管理局", "other"),
    ("hk-mtr", "MTR Corporation", "香港鐵路有限公司", "company"),
    ("hk-kmb", "The Kowloon Motor Bus Company", "九龍巴士", "company"),
    ("hk-citybus", "Citybus", "城巴", "company"),
    ("hk-clp", "CLP Power Hong Kong", "中華電力有限公司", "company"),
    ("hk-hke", "The Hongkong Electric Company", "香港電燈有限公司", "company"),
    ("hk-towngas", "The Hong Kong and China Gas Company", "香港中華煤氣有限公司", "company"),
    ("hk-cyberport", "Hong Kong Cyberport Management Company", "香港數碼港管理有限公司",
     "company"),
    ("hk-hkstp", "Hong Kong Science and Technology Parks Corporation", "香港科技園公司",
     "company"),
    ("hk-hkpc", "Hong Kong Productivity Council", "香港生產力促進局", "other"),
    ("hk-hktb", "Hong Kong Tourism Board", "香港旅遊發展局", "other"),
    ("hk-hktdc", "Hong Kong Trade Development Council", "香港貿易發展局", "other"),
    ("hk-vtc", "Vocational Training Council", "職業訓練局", "other"),
    ("hk-hkeaa", "Hong Kong Examinations and Assessment Authority", "香港考試及評核局", "other"),
    ("hk-ugc", "University Grants Committee", "大學教育資助委員會", "other"),
    ("hk-cic", "Construction Industry Council", "建造業議會", "other"),
    ("hk-consumer", "Consumer Council", "消費者委員會", "other"),
    ("hk-eoc", "Equal Opportunities Commission", "平等機會委員會", "other"),
    ("hk-pcpd", "Office of the Privacy Commissioner for Personal Data",
     "個人資料私隱專員公署", "other"),
    ("hk-ombudsman", "Office of The Ombudsman", "申訴專員公署", "other"),
    ("hk-icac", "Independent Commission Against Corruption", "廉政公署", "department"),
    ("hk-wkcda", "West Kowloon Cultural District Authority", "西九文化區管理局", "other"),
    ("hk-oceanpark", "Ocean Park Corporation", "海洋公園公司", "other"),
    ("hk-cfs", "Centre for Food Safety", "食物安全中心", "department"),
    ("hk-chp", "Centre for Health Protection", "衞生防護中心", "department"),
    ("hk-geo", "Geotechnical Engineering Office", "土力工程處", "department"),
    ("hk-smo", "Survey and Mapping Office", "測繪處", "department"),
    ("hk-hku", "The University of Hong Kong", "香港大學", "university"),
    ("hk-cuhk", "The Chinese University of Hong Kong", "香港中文大學", "university"),
    ("hk-hkust", "The Hong Kong University of Science and Technology", "香港科技大學",
     "university"),
    ("hk-polyu", "The Hong Kong Polytechnic University", "香港理工大學", "university"),
    ("hk-cityu", "City University of Hong Kong", "香港城市大學", "university"),
    ("hk-hkbu", "Hong Kong Baptist University", "香港浸會大學", "university"),
    ("hk-lingnan", "Lingnan University", "嶺南大學", "university"),
    ("hk-eduhk", "The Education University of Hong Kong", "香港教育大學", "university"),
    ("hk-hkmu", "Hong Kong Metropolitan University", "香港都會大學", "university"),
)

# (English, Chinese, slug): the 18 districts.
DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("Central and Western", "中西區", "central-western"), ("Wan Chai", "灣仔區", "wan-chai"),
    ("Eastern", "東區", "eastern"), ("Southern", "南區", "southern"),
    ("Yau Tsim Mong", "油尖旺區", "yau-tsim-mong"), ("Sham Shui Po", "深水埗區", "sham-shui-po"),
    ("Kowloon City", "九龍城區", "kowloon-city"), ("Wong Tai Sin", "黃大仙區", "wong-tai-sin"),
    ("Kwun Tong", "觀塘區", "kwun-tong"), ("Kwai Tsing", "葵青區", "kwai-tsing"),
    ("Tsuen Wan", "荃灣區", "tsuen-wan"), ("Tuen Mun", "屯門區", "tuen-mun"),
    ("Yuen Long", "元朗區", "yuen-long"), ("North", "北區", "north"), ("Tai Po", "大埔區", "tai-po"),
    ("Sha Tin", "沙田區", "sha-tin"), ("Sai Kung", "西貢區", "sai-kung"),
    ("Islands", "離島區", "islands"),
)

FREQUENCY_TEXT = {
    "real-time": ("in real time", "實時"), "daily": ("daily", "每日"),
    "weekly": ("weekly", "每周"), "monthly": ("monthly", "每月"),
    "quarterly": ("quarterly", "每季"), "annual": ("once a year", "每年"),
    "irregular": ("as needed", "不定期"), "as-needed": ("as needed", "按需要"),
}
FORMATS = {"CSV": ("csv", "text/csv"), "JSON": ("json", "application/json"),
           "XML": ("xml", "application/xml"), "GeoJSON": ("geojson", "application/geo+json"),
           "XLSX": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "PDF": ("pdf", "application/pdf"), "API": ("json", "application/json"),
           "KML": ("kml", "application/vnd.google-earth.kml+xml")}


@dataclass(frozen=True)
class Subject:
    group: str
    en: str
    zh: str
    about_en: str
    about_zh: str
    tags: tuple[str, ...]
    formats: tuple[str, ...]
    frequency: str
    by_district: bool = True


def _s(group: str, en: str, zh: str, about_en: str, about_zh: str, tags: str, formats: str,
       frequency: str, by_district: bool = True) -> Subject:
    return Subject(group, en, zh, about_en, about_zh, tuple(tags.split(",")),
                   tuple(formats.split(",")), frequency, by_district)


SUBJECTS: tuple[Subject, ...] = (
    _s("city-management", "Public Toilets", "公廁",
       "Locations and opening hours of public toilets, with accessible facilities.",
       "公廁的位置及開放時間，並列明暢通易達設施。", "toilets,facilities,hygiene", "CSV,GeoJSON",
       "monthly"),
    _s("city-management", "Street Lighting Faults Reported", "街燈故障報告",
       "Faults reported on street lights and the time taken to repair them.",
       "市民報告的街燈故障及修復所需時間。", "street lighting,maintenance", "CSV,JSON", "weekly"),
    _s("city-management", "Government Public Works Sites", "政府工程地盤",
       "Active public works sites with contractor, programme and expected completion.",
       "進行中的政府工程地盤、承建商、工程進度及預計完工日期。", "works,construction,roads",
       "CSV,GeoJSON", "weekly"),
    _s("city-management", "Complaints about Environmental Nuisance", "環境滋擾投訴",
       "Complaints received about noise, odour and dumping, by type and outcome.",
       "有關噪音、氣味及棄置廢物的投訴數目，按類別及處理結果劃分。", "complaints,nuisance,1823",
       "CSV,XLSX", "monthly"),
    _s("climate-and-weather", "Hourly Temperature Readings", "每小時氣溫讀數",
       "Air temperature recorded every hour at automatic weather stations.",
       "自動氣象站每小時錄得的氣溫。", "weather,temperature,weather station", "CSV,JSON,XML",
       "real-time"),
    _s("climate-and-weather", "Rainfall Records", "雨量紀錄",
       "Rainfall in millimetres from the rain-gauge network.",
       "雨量站網絡錄得的雨量（毫米）。", "weather,rainfall", "CSV,XML", "daily"),
    _s("climate-and-weather", "Relative Humidity", "相對濕度",
       "Relative humidity recorded at weather stations.",
       "氣象站錄得的相對濕度。", "weather,humidity", "CSV,JSON", "real-time"),
    _s("climate-and-weather", "Weather Warnings Issued", "天氣警告紀錄",
       "Rainstorm, thunderstorm, cold and very hot weather warnings with times of issue.",
       "暴雨、雷暴、寒冷及酷熱天氣警告及其發出時間。", "weather,warning", "CSV,JSON", "as-needed",
       False),
    _s("commerce-and-industry", "Registered Companies", "註冊公司數目",
       "Local and non-Hong Kong companies on the register, by type.",
       "按類別劃分的本地公司及非香港公司註冊數目。", "companies,business,statistics", "CSV,XLSX",
       "monthly", False),
    _s("commerce-and-industry", "Retail Shop Licences", "零售店舖牌照",
       "Licensed retail shops and restricted food permits by district.",
       "各區持牌零售店舖及限制出售食物許可證數目。", "retail,licensing,business", "CSV", "monthly"),
    _s("commerce-and-industry", "Trade Statistics by Commodity", "按商品劃分的貿易統計",
       "Value of imports, domestic exports and re-exports by commodity group.",
       "按商品組別劃分的進口、港產品出口及轉口貨值。", "trade,exports,imports,statistics",
       "CSV,XLSX", "monthly", False),
    _s("commerce-and-industry", "Start-ups at Incubation Centres", "培育中心初創企業",
       "Start-ups admitted to incubation programmes, by technology area.",
       "按科技範疇劃分獲培育計劃取錄的初創企業。", "start-up,innovation,technology", "CSV,JSON",
       "quarterly", False),
    _s("development", "Building Plans Approved", "獲批建築圖則",
       "Building plans approved, with gross floor area and intended use.",
       "獲批建築圖則的總樓面面積及擬作用途。", "buildings,planning,construction", "CSV,XLSX",
       "monthly"),
    _s("development", "Outline Zoning Plans", "分區計劃大綱圖",
       "Land use zones of statutory outline zoning plans.",
       "法定分區計劃大綱圖的土地用途地帶。", "planning,land use,zoning", "GeoJSON,KML,PDF",
       "irregular"),
    _s("development", "Slope Maintenance Responsibility", "斜坡維修責任",
       "Registered man-made slopes with the party responsible for maintenance.",
       "已登記人造斜坡及負責維修的一方。", "slopes,geotechnical,safety", "CSV,GeoJSON",
       "quarterly"),
    _s("development", "Land Sale Results", "賣地結果",
       "Government land sales with site area, permitted use and premium.",
       "政府賣地的地盤面積、准許用途及地價。", "land,sale,housing supply", "CSV,PDF", "as-needed",
       False),
    _s("education", "Kindergarten Places", "幼稚園學額",
       "Kindergartens with places, fees and session types.",
       "幼稚園的學額、學費及上課時段。", "kindergarten,schools,education", "CSV,JSON", "annual"),
    _s("education", "Primary School Profiles", "小學概覽",
       "Primary schools with class numbers, medium of instruction and facilities.",
       "小學的班數、教學語言及設施。", "primary school,schools,education", "CSV,JSON", "annual"),
    _s("education", "Secondary School Enrolment", "中學學生人數",
       "Students enrolled in secondary schools, by grade and finance type.",
       "按級別及資助類別劃分的中學學生人數。", "secondary school,students,education", "CSV,XLSX",
       "annual"),
    _s("education", "Continuing Education Courses", "持續進修課程",
       "Courses reimbursable under the continuing education fund.",
       "可獲持續進修基金發還學費的課程。", "courses,adult learning,skills", "CSV,JSON", "monthly",
       False),
    _s("employment-and-labour", "Vacancies Registered with the Labour Department",
       "勞工處登記的職位空缺",
       "Job vacancies registered for job seekers, by industry and occupation.",
       "為求職人士登記的職位空缺，按行業及職業劃分。", "jobs,vacancies,employment", "CSV,JSON",
       "daily"),
    _s("employment-and-labour", "Occupational Injuries", "職業傷亡",
       "Occupational injuries reported, by industry and type of accident.",
       "按行業及意外類別劃分的職業傷亡個案。", "safety,injuries,workplace", "CSV,XLSX",
       "quarterly", False),
    _s("employment-and-labour", "Median Monthly Wages", "每月工資中位數",
       "Median monthly wages by industry section and occupation.",
       "按行業主類及職業劃分的每月工資中位數。", "wages,employment,statistics", "CSV,XLSX",
       "annual", False),
    _s("environment", "Air Quality Health Index", "空氣質素健康指數",
       "Hourly AQHI and health risk at air quality monitoring stations.",
       "空氣質素監測站每小時的空氣質素健康指數及健康風險級別。", "air quality,aqhi,pollution",
       "CSV,XML,JSON", "real-time"),
    _s("environment", "Recycling Collection Points", "回收點",
       "Collection points for recyclables, with the waste types accepted.",
       "可回收物的收集點及接收的回收物類別。", "recycling,waste,green", "GeoJSON,CSV", "weekly"),
    _s("environment", "Marine Water Quality", "海水水質",
       "Monthly water quality at marine monitoring stations.",
       "海水水質監測站的每月水質數據。", "water quality,marine,pollution", "CSV,XLSX", "monthly"),
    _s("environment", "Noise Measurements near Roads", "道路噪音量度",
       "Traffic noise levels measured at roadside points.",
       "路旁測量點錄得的交通噪音水平。", "noise,traffic,environment", "CSV", "quarterly"),
    _s("environment", "Country Park Visitors", "郊野公園遊客人次",
       "Estimated visitors to country parks by month.",
       "郊野公園每月估計遊客人次。", "country parks,hiking,nature", "CSV,XLSX", "monthly"),
    _s("finance", "Government Revenue and Expenditure", "政府收入及開支",
       "Monthly government revenue and expenditure by head.",
       "按總目劃分的每月政府收入及開支。", "budget,public finance,statistics", "CSV,XLSX",
       "monthly", False),
    _s("finance", "Interbank Interest Rates", "銀行同業拆息",
       "Daily interbank offered rates for different tenors.",
       "不同期限的每日銀行同業拆息。", "interest rates,banking,hibor", "CSV,JSON,API", "daily",
       False),
    _s("finance", "Automated Teller Machine Locations", "自動櫃員機位置",
       "Locations of ATMs of retail banks with services offered.",
       "零售銀行自動櫃員機的位置及提供的服務。", "atm,banking,location", "CSV,GeoJSON", "monthly"),
    _s("finance", "Stored Value Facility Statistics", "儲值支付工具統計",
       "Accounts and transaction value of stored value facilities.",
       "儲值支付工具的帳戶數目及交易金額。", "payments,fintech,statistics", "CSV,XLSX",
       "quarterly", False),
    _s("food", "Licensed Restaurants", "持牌食肆",
       "General and light refreshment restaurants with licence type and address.",
       "普通食肆及小食食肆的牌照類別及地址。", "restaurants,licensing,food", "CSV,XML", "weekly"),
    _s("food", "Food Safety Test Results", "食物安全檢測結果",
       "Results of food samples tested under the food surveillance programme.",
       "食物監察計劃下抽取食物樣本的檢測結果。", "food safety,testing", "CSV,PDF", "monthly",
       False),
    _s("food", "Wholesale Prices of Vegetables", "蔬菜批發價格",
       "Daily wholesale prices of vegetables at the wholesale market.",
       "批發市場每日蔬菜批發價格。", "prices,vegetables,market", "CSV,JSON", "daily", False),
    _s("food", "Public Markets", "公眾街市",
       "Public markets with number of stalls and opening hours.",
       "公眾街市的檔位數目及開放時間。", "markets,food,facilities", "CSV,GeoJSON", "irregular"),
    _s("health", "Accident and Emergency Waiting Time", "急症室等候時間",
       "Waiting times at public hospitals' Accident and Emergency Departments.",
       "公立醫院急症室的等候時間。", "hospital,waiting time,accident and emergency",
       "JSON,CSV", "real-time"),
    _s("health", "Elderly Health Centres", "長者健康中心",
       "Elderly health centres with services and enrolment quota.",
       "長者健康中心的服務及登記名額。", "elderly,clinics,health", "CSV,JSON", "irregular"),
    _s("health", "Notifiable Infectious Diseases", "須呈報傳染病",
       "Weekly number of notifications of infectious diseases.",
       "每周須呈報傳染病的呈報數目。", "infectious disease,surveillance,public health",
       "CSV,XLSX", "weekly", False),
    _s("health", "General Outpatient Clinic Quota", "普通科門診籌額",
       "Consultation quotas at general outpatient clinics.",
       "普通科門診診所的診症籌額。", "clinics,outpatient,hospital", "CSV,JSON", "daily"),
    _s("housing", "Public Rental Housing Estates", "公共屋邨",
       "Public rental housing estates with number of flats and year of intake.",
       "公共租住屋邨的單位數目及入伙年份。", "public housing,estates", "CSV,JSON,GeoJSON",
       "annual"),
    _s("housing", "Private Domestic Rents and Prices", "私人住宅租金及售價",
       "Rental and price indices of private domestic units by class.",
       "按類別劃分的私人住宅單位租金及售價指數。", "property,rents,prices", "CSV,XLSX",
       "monthly", False),
    _s("housing", "Waiting List for Public Rental Housing", "公屋輪候冊",
       "Applications on the waiting list and average waiting time.",
       "輪候冊上的申請數目及平均輪候時間。", "public housing,waiting list", "CSV,PDF",
       "quarterly", False),
    _s("information-technology-and-broadcasting", "Public Wi-Fi Hotspots", "公共 Wi-Fi 熱點",
       "Free public Wi-Fi locations under the Wi-Fi.HK brand.",
       "以 Wi-Fi.HK 品牌提供的免費公共 Wi-Fi 位置。", "wi-fi,internet,digital", "CSV,GeoJSON",
       "monthly"),
    _s("information-technology-and-broadcasting", "Mobile Network Coverage", "流動網絡覆蓋",
       "5G and 4G coverage measured along roads and railways.",
       "沿道路及鐵路量度的5G及4G網絡覆蓋。", "5g,mobile,telecommunications", "GeoJSON,CSV",
       "quarterly"),
    _s("information-technology-and-broadcasting", "Broadband Subscriptions", "寬頻用戶",
       "Residential and commercial broadband subscriptions by speed.",
       "按速度劃分的住宅及商業寬頻用戶數目。", "broadband,internet,statistics", "CSV,XLSX",
       "monthly", False),
    _s("information-technology-and-broadcasting", "Government Mobile Apps Usage",
       "政府流動應用程式使用量", "Downloads and active users of government mobile apps.",
       "政府流動應用程式的下載量及活躍用戶。", "apps,digital government,e-services", "CSV,JSON",
       "monthly", False),
    _s("law-and-security", "Crime Statistics", "罪案統計",
       "Reported crimes by category and police district.",
       "按罪案類別及警區劃分的舉報罪案數字。", "crime,police,statistics", "CSV,XLSX", "monthly"),
    _s("law-and-security", "Fire Incidents", "火警事故",
       "Fire calls and special service calls attended, by district.",
       "按地區劃分的火警召喚及特別服務召喚。", "fire,emergency,safety", "CSV,JSON", "monthly"),
    _s("law-and-security", "Traffic Accident Casualties", "交通意外傷亡",
       "Road traffic accidents and casualties by severity.",
       "按嚴重程度劃分的道路交通意外及傷亡人數。", "road safety,accidents,traffic", "CSV,XLSX",
       "monthly"),
    _s("law-and-security", "Passenger Traffic at Control Points", "各管制站旅客流量",
       "Daily arrivals and departures at immigration control points.",
       "各出入境管制站每日的入境及出境旅客人次。", "immigration,border,visitors", "CSV,JSON",
       "daily", False),
    _s("legislature", "Council Meeting Voting Results", "立法會會議表決結果",
       "How each Member voted on motions and bills at Council meetings.",
       "議員在立法會會議上就議案及法案的表決紀錄。", "legislative council,voting,meetings",
       "XML,CSV", "weekly", False),
    _s("legislature", "Committee Meeting Schedules", "委員會會議時間表",
       "Meeting dates, agendas and papers of committees and panels.",
       "委員會及事務委員會的會議日期、議程及文件。", "committees,meetings,agenda", "XML,JSON",
       "weekly", False),
    _s("legislature", "Written Questions and Replies", "書面質詢及答覆",
       "Written questions by Members and replies by public officers.",
       "議員提出的書面質詢及官員的答覆。", "questions,replies,legislative council", "XML,JSON",
       "weekly", False),
    _s("miscellaneous", "General Holidays", "公眾假期",
       "The year's general holidays in English and Chinese.",
       "本年度的公眾假期，備有中英文名稱。", "holidays,calendar", "CSV,JSON", "annual", False),
    _s("miscellaneous", "Government Telephone Directory", "政府電話簿",
       "Office telephone numbers of government departments by unit.",
       "政府部門各組別的辦公室電話號碼。", "directory,contacts,government", "CSV,XML",
       "monthly", False),
    _s("miscellaneous", "Press Releases", "新聞公報",
       "Government press releases with title, time and category.",
       "政府新聞公報的標題、發布時間及類別。", "news,press releases", "XML,JSON", "real-time",
       False),
    _s("population", "Population by Age and Sex", "按年齡及性別劃分的人口",
       "Mid-year population by five-year age group and sex.",
       "按五歲年齡組別及性別劃分的年中人口。", "population,age,statistics", "CSV,XLSX", "annual"),
    _s("population", "Births and Deaths", "出生及死亡",
       "Registered births and deaths by month.",
       "每月登記出生及死亡數字。", "births,deaths,vital statistics", "CSV,XLSX", "monthly"),
    _s("population", "Household Size", "住戶人數",
       "Domestic households by household size.",
       "按住戶人數劃分的家庭住戶數目。", "households,population,census", "CSV,XLSX", "annual"),
    _s("recreation-and-culture", "Public Libraries", "公共圖書館",
       "Public libraries with opening hours and facilities.",
       "公共圖書館的開放時間及設施。", "library,books,culture", "CSV,JSON", "irregular"),
    _s("recreation-and-culture", "Sports Centres", "體育館",
       "Sports centres with facilities available for booking.",
       "可供預訂設施的體育館。", "sports,leisure,facilities", "CSV,GeoJSON", "irregular"),
    _s("recreation-and-culture", "Museum Attendance", "博物館入場人次",
       "Monthly attendance at public museums.",
       "公共博物館每月入場人次。", "museum,culture,attendance", "CSV,XLSX", "monthly", False),
    _s("recreation-and-culture", "Cultural Programmes", "文化節目",
       "Performances and exhibitions at civic venues.",
       "文娛中心的表演及展覽節目。", "performances,events,culture", "JSON,CSV", "weekly"),
    _s("social-welfare", "Elderly Care Places", "安老院舍宿位",
       "Subsidised residential care places for the elderly and waiting time.",
       "資助安老院舍宿位及輪候時間。", "elderly,residential care,welfare", "CSV,XLSX",
       "quarterly"),
    _s("social-welfare", "Social Security Cases", "社會保障個案",
       "Comprehensive social security assistance cases by category.",
       "按類別劃分的綜合社會保障援助個案。", "social security,welfare,statistics", "CSV,XLSX",
       "monthly"),
    _s("social-welfare", "Child Care Centres", "幼兒中心",
       "Child care centres with capacity and service hours.",
       "幼兒中心的名額及服務時間。", "child care,families,welfare", "CSV,JSON", "irregular"),
    _s("social-welfare", "Rehabilitation Services", "康復服務",
       "Day training and vocational rehabilitation places for persons with disabilities.",
       "為殘疾人士提供的日間訓練及職業康復名額。", "rehabilitation,disabilities,welfare",
       "CSV,XLSX", "quarterly"),
    _s("transport", "Journey Time Indicators", "行車時間指示器",
       "Estimated journey times on major routes, refreshed every two minutes.",
       "主要路線的估計行車時間，每兩分鐘更新。", "traffic,journey time,real-time", "XML,JSON",
       "real-time"),
    _s("transport", "Car Park Vacancy", "停車場空置車位",
       "Real-time vacant parking spaces at public car parks.",
       "公眾停車場的實時空置車位。", "parking,car park,real-time", "JSON,CSV", "real-time"),
    _s("transport", "Bus Routes and Stops", "巴士路線及車站",
       "Franchised bus routes with their stops and fares.",
       "專營巴士路線、車站及車費。", "bus,public transport,routes", "JSON,CSV,GeoJSON", "daily"),
    _s("transport", "Traffic Detector Readings", "交通探測器讀數",
       "Speed, volume and occupancy from traffic detectors.",
       "交通探測器錄得的車速、流量及佔用率。", "traffic,detector,speed", "XML,CSV", "real-time"),
    _s("transport", "Ferry Services Patronage", "渡輪服務乘客量",
       "Passenger trips on licensed ferry routes by month.",
       "持牌渡輪航線每月乘客人次。", "ferry,public transport,patronage", "CSV,XLSX", "monthly",
       False),
)


@dataclass(frozen=True)
class GenerationResult:
    datasets: int
    organisations_created: int
    seconds: float
    first_name: str
    last_name: str

    @property
    def rate(self) -> float:
        """Datasets written per second."""
        return self.datasets / self.seconds if self.seconds else 0.0


def check_sizes(datasets: int, orgs: int) -> None:
    """Refuse counts outside what the generator supports, naming the bad one."""
    problems: dict[str, list[str]] = {}
    if not isinstance(datasets, int) or not 1 <= datasets <= MAX_DATASETS:
        problems["datasets"] = [f"must be a whole number from 1 to {MAX_DATASETS:,}"]
    if not isinstance(orgs, int) or not 1 <= orgs <= MAX_ORGS:
        problems["orgs"] = [f"must be a whole number from 1 to {MAX_ORGS:,}"]
    if problems:
        raise ValidationFailed(N_("Cannot generate that catalogue."), details=problems)


def organisations(count: int) -> list[tuple[str, str, str, str]]:
    """The first ``count`` publishers: real bodies, then District Offices, then numbered ones."""
    found = list(ORGANISATIONS)
    found += [(f"hk-do-{slug}", f"{en} District Office", f"{zh}民政事務處", "department")
              for en, zh, slug in DISTRICTS]
    number = 1
    while len(found) < count:
        found.append((f"hk-body-{number:03d}", f"Public Body No. {number}",
                      f"公營機構第{number}號", "other"))
        number += 1
    return found[:count]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].rstrip("-")


def _ensure_orgs(session: Session, wanted: list[tuple[str, str, str, str]],
                 actor: str) -> tuple[dict[str, identity.Organisation], int]:
    existing = {org.slug: org for org in session.scalars(
        select(identity.Organisation).where(
            identity.Organisation.slug.in_([slug for slug, *_ in wanted])))}
    created = 0
    for slug, en, zh, kind in wanted:
        if slug not in existing:
            existing[slug] = identity.create_org(session, slug, en, zh, kind)
            audit.record(session, actor=actor, org=slug, action="org.create",
                         target=f"org:{slug}", detail={"source": "opendata generate"})
            created += 1
    return existing, created


def _ensure_tags(session: Session) -> dict[str, Tag]:
    names = sorted({tag for subject in SUBJECTS for tag in subject.tags}
                   | {en.lower() for en, _, _ in DISTRICTS})
    have = {tag.name for tag in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    missing = [{"name": name} for name in names if name not in have]
    if missing:
        session.execute(insert(Tag.__table__), missing)
    return {tag.name: Tag(id=tag.id, name=tag.name)
            for tag in session.scalars(select(Tag).where(Tag.name.in_(names)))}


class _Batch:
    """Rows of one batch, table by table."""

    def __init__(self) -> None:
        self.datasets: list[dict[str, Any]] = []
        self.tags: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []
        self.resources: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self.postings: list[dict[str, Any]] = []
        self.revisions: list[dict[str, Any]] = []


def _detached(org: identity.Organisation) -> identity.Organisation:
    """A copy outside any session, so building snapshots never touches the database."""
    return identity.Organisation(id=org.id, slug=org.slug, name_en=org.name_en,
                                 name_zh=org.name_zh, kind=org.kind, created_at=org.created_at)


class _Maker:
    """Builds datasets from a seeded random stream."""

    def __init__(self, seed: int, orgs: list[identity.Organisation], tags: dict[str, Tag],
                 groups: dict[str, Group], actor: str, now: datetime) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.orgs = orgs
        self.tags = tags
        self.groups = groups
        self.actor = actor
        self.now = now
        # Publishers are skewed, as in real catalogues: a few publish most datasets.
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(orgs))]
        self.rng.shuffle(weights)
        self.weights = list(_cumulative(weights))
        self.by_group: dict[str, list[Subject]] = {}
        for subject in SUBJECTS:
            self.by_group.setdefault(subject.group, []).append(subject)
        self.group_names = sorted(self.by_group)

    def _org(self, index: int) -> identity.Organisation:
        if index < len(self.orgs):  # every publisher gets at least one dataset
            return self.orgs[index]
        return self.rng.choices(self.orgs, cum_weights=self.weights)[0]

    def add(self, batch: _Batch, index: int, name_number: int) -> str:
        rng = self.rng
        org = self._org(index)
        subject = rng.choice(self.by_group[self.group_names[index % len(self.group_names)]])
        year = rng.randint(2012, 2025)
        district = rng.choice(DISTRICTS) if subject.by_district and rng.random() < 0.7 else None
        if district:
            title_en = f"{subject.en} – {district[0]}, {year}"
            title_zh = f"{district[1]}{subject.zh}（{year}年）"
            stem = f"{_slug(subject.en)}-{district[2]}-{year}"
        else:
            title_en, title_zh = f"{subject.en}, {year}", f"{year}年{subject.zh}"
            stem = f"{_slug(subject.en)}-{year}"
        name = f"{stem}-{name_number}"
        often_en, often_zh = FREQUENCY_TEXT[subject.frequency]
        notes_en = (f"{subject.about_en} Published by the {org.name_en} and updated "
                    f"{often_en}." + (f" Covers the {district[0]} district." if district else ""))
        notes_zh = (f"{subject.about_zh}由{org.name_zh}發佈，{often_zh}更新。"
                    + (f"涵蓋{district[1]}。" if district else ""))
        tag_names = set(rng.sample(subject.tags, rng.randint(1, len(subject.tags))))
        if district:
            tag_names.add(district[0].lower())
        tags = sorted((self.tags[t] for t in tag_names), key=lambda t: t.name)
        group_names = {subject.group}
        if rng.random() < 0.25:
            group_names.add(rng.choice(self.group_names))
        groups = sorted((self.groups[g] for g in group_names), key=lambda g: g.name)
        created = self.now - timedelta(days=rng.uniform(0, 8 * 365))
        modified = created + (self.now - created) * rng.random() ** 3
        dataset_id = str(uuid.uuid4())
        row: dict[str, Any] = {
            "id": dataset_id, "name": name, "org_id": org.id, "title_en": title_en,
            "title_zh": title_zh, "notes_en": notes_en, "notes_zh": notes_zh,
            "licence_id": LICENCE, "update_frequency": subject.frequency, "state": "active",
            "private": False, "classification": "public", "personal_data": False,
            "cross_boundary_gba": False, "gba_record": None,
            "provenance": f"Synthetic data from `aiplus opendata generate` (seed {self.seed}), "
                          f"modelled on {org.name_en} publications.",
            "author": "", "author_email": "", "maintainer": org.name_en, "maintainer_email": "",
            "url": "", "version": "", "spatial": None, "extras": {"generated": "true"},
            "revision": 1, "creator": self.actor, "created_at": created, "modified_at": modified,
        }
        resources = []
        for position, fmt in enumerate(rng.sample(subject.formats,
                                                  rng.randint(1, len(subject.formats)))):
            extension, mimetype = FORMATS[fmt]
            resources.append({
                "id": str(uuid.uuid4()), "dataset_id": dataset_id, "position": position,
                "name_en": f"{title_en} ({fmt})", "name_zh": f"{title_zh}（{fmt}）",
                "description_en": f"{subject.en} in {fmt} format.",
                "description_zh": f"{fmt} 格式的{subject.zh}。", "format": fmt,
                "url": f"{RESOURCE_HOST}/{org.slug}/{name}/data-{position + 1}.{extension}",
                "url_type": None, "mimetype": mimetype, "size": None, "sha256": "",
                "file_key": None, "datastore_active": False, "created_at": created,
                "modified_at": modified})
        # The same parts, in the same order, as service.index_dataset; document() of the
        # parts joined equals document(*parts), and repeated parts are segmented once.
        parts = (name.replace("-", " "), title_en, title_zh, notes_en, notes_zh,
                 " ".join(t.name for t in tags), org.name_en, org.name_zh,
                 " ".join(f"{g.title_en} {g.title_zh}" for g in groups))
        body = " ".join(text for text in map(_document, parts) if text)
        # package_show's dictionary, built from plain objects (no ORM bookkeeping needed).
        snapshot = package_dict(SimpleNamespace(  # type: ignore[arg-type]
            **row, organisation=org, tags=tags, groups=groups,
            resources=[SimpleNamespace(**r) for r in resources]), "en")
        batch.datasets.append(row)
        batch.tags.extend({"dataset_id": dataset_id, "tag_id": t.id} for t in tags)
        batch.groups.extend({"dataset_id": dataset_id, "group_id": g.id} for g in groups)
        batch.resources.extend(resources)
        batch.documents.append({"dataset_id": dataset_id, "body": body})
        batch.postings.extend({"dataset_id": dataset_id, "key": key} for key in sorted(
            facets.keys((g.id for g in groups), (t.name for t in tags),
                        (r["format"] for r in resources))))
        batch.revisions.append({"dataset_id": dataset_id, "revision": 1, "at": created,
                                "actor": self.actor, "action": "create", "snapshot": snapshot})
        return name


@lru_cache(maxsize=1 << 16)
def _document(part: str) -> str:
    return document(part)


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _write(session: Session, batch: _Batch) -> None:
    session.execute(insert(Dataset.__table__), batch.datasets)
    session.execute(insert(dataset_tags), batch.tags)
    session.execute(insert(dataset_groups), batch.groups)
    session.execute(insert(Resource.__table__), batch.resources)
    session.execute(insert(SearchDocument.__table__), batch.documents)
    session.execute(insert(FacetPosting.__table__), batch.postings)
    session.execute(insert(DatasetRevision.__table__), batch.revisions)
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sql_text("INSERT INTO data_search_fts (dataset_id, body) "
                                 "VALUES (:dataset_id, :body)"), batch.documents)


def _free_names(session: Session, batch: _Batch) -> None:
    """Rename the (rare) generated names that are taken already, before inserting."""
    names = [row["name"] for row in batch.datasets]
    taken = set(session.scalars(select(Dataset.name).where(Dataset.name.in_(names))))
    for row in batch.datasets:
        if row["name"] in taken:
            row["name"] = f"{row['name'][:88]}-{uuid.uuid4().hex[:8]}"


def generate(platform: Platform, datasets: int, orgs: int, seed: int = 0,
             batch_size: int = DEFAULT_BATCH, actor: str = "opendata-generator",
             progress: Callable[[int, int], None] | None = None,
             statistics: bool = True) -> GenerationResult:
    """Add ``datasets`` synthetic datasets spread over ``orgs`` publishers and the 19
    categories; ``progress(done, total)`` is called after every committed batch. With
    ``statistics`` the query planner's statistics are refreshed at the end (:func:`analyse`)."""
    check_sizes(datasets, orgs)
    started = time.perf_counter()
    now = datetime.now(UTC)
    with platform.db.transaction() as session:
        by_slug, created_orgs = _ensure_orgs(session, organisations(orgs), actor)
        publishers = [_detached(by_slug[slug]) for slug, *_ in organisations(orgs)]
        tags = _ensure_tags(session)
        groups = {g.name: Group(id=g.id, name=g.name, title_en=g.title_en, title_zh=g.title_zh,
                                description_en=g.description_en,
                                description_zh=g.description_zh, created_at=g.created_at)
                  for g in session.scalars(select(Group))}
        start_number = (session.scalar(select(func.count()).select_from(Dataset)) or 0) + 1
    missing = sorted({name for name, _, _ in CATEGORIES} - set(groups))
    if missing:
        raise ValidationFailed(N_("The catalogue's categories are missing; run the migrations."),
                               details={"groups": missing})
    maker = _Maker(seed, publishers, tags, groups, actor, now)
    done, first, last = 0, "", ""
    while done < datasets:
        size = min(batch_size, datasets - done)
        batch = _Batch()
        names = [maker.add(batch, done + i, start_number + done + i) for i in range(size)]
        with platform.db.transaction() as session:
            _free_names(session, batch)
            _write(session, batch)
            audit.record(session, actor=actor, action="dataset.generate",
                         target=f"datasets:{batch.datasets[0]['name']}..{batch.datasets[-1]['name']}",
                         detail={"datasets": size, "resources": len(batch.resources),
                                 "seed": seed, "organisations": orgs,
                                 "first": batch.datasets[0]["name"],
                                 "last": batch.datasets[-1]["name"]})
        first = first or names[0]
        last = batch.datasets[-1]["name"]
        done += size
        if progress:
            progress(done, datasets)
    if statistics:
        analyse(platform)
    return GenerationResult(datasets, created_orgs, time.perf_counter() - started, first, last)


def analyse(platform: Platform) -> None:
    """Refresh the query planner's statistics of the catalogue tables after a bulk load.

    PostgreSQL's autovacuum would do this some time later; SQLite never does it by itself, and
    without statistics its planner prefers the (useless: every row is active) ``state`` index
    to the organisation index, which makes organisation-filtered searches scan every dataset.
    On PostgreSQL it is ``VACUUM (ANALYZE)``: the search's covering indexes only answer
    without visiting the table once vacuum has marked the freshly loaded pages all-visible.
    """
    postgres = platform.db.write_engine.dialect.name == "postgresql"
    command = "VACUUM (ANALYZE)" if postgres else "ANALYZE"
    options = {"isolation_level": "AUTOCOMMIT"} if postgres else {}
    with platform.db.write_engine.connect().execution_options(**options) as connection:
        for table in ("data_datasets", "data_dataset_tags", "data_dataset_groups",
                      "data_resources", "data_search_documents", "data_tags", "organisations"):
            connection.execute(sql_text(f"{command} {table}"))
        connection.commit()
