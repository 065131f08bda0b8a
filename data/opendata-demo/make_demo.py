"""Writes the open data demo catalogue: ``src/aiplus/apps/opendata/demo_data/``.

Run once from the repository root (``.venv/bin/python data/opendata-demo/make_demo.py``); the
outputs are committed, so ``make run`` never runs this. Every figure is synthetic: made up by
this script from a fixed seed, shaped like the Hong Kong feeds it imitates, and NOT an official
figure. Place names and positions are approximate. See ``data/README.md``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from pyproj import Transformer

SEED = 20251118
OUT = Path(__file__).resolve().parents[2] / "src" / "aiplus" / "apps" / "opendata" / "demo_data"
FILES = OUT / "files"
DAY = date(2025, 11, 18)  # the "today" of the demo snapshots (a Tuesday)
LICENCE = "hk-dgh-terms"
SYNTHETIC = ("Synthetic demonstration data written by the AI Plus team; not official figures. "
             "由 AI Plus 團隊編寫的示範數據，並非官方數字。")

rng = random.Random(SEED)
_to_hk80 = Transformer.from_crs("EPSG:4326", "EPSG:2326", always_xy=True)

ORGANISATIONS = [
    {"slug": "hk-dpo", "name_en": "Digital Policy Office", "name_zh": "數字政策辦公室",
     "kind": "department"},
    {"slug": "hk-td", "name_en": "Transport Department", "name_zh": "運輸署", "kind": "department"},
    {"slug": "hk-effo", "name_en": "Efficiency Office (1823)", "name_zh": "效率促進辦公室（1823）",
     "kind": "department"},
    {"slug": "hk-ha", "name_en": "Hospital Authority", "name_zh": "醫院管理局", "kind": "hospital"},
    {"slug": "demo-bank", "name_en": "Harbour Demonstration Bank", "name_zh": "維港示範銀行",
     "kind": "bank"},
    {"slug": "hk-hko", "name_en": "Hong Kong Observatory", "name_zh": "香港天文台",
     "kind": "department"},
    {"slug": "hk-epd", "name_en": "Environmental Protection Department", "name_zh": "環境保護署",
     "kind": "department"},
    {"slug": "hk-lcsd", "name_en": "Leisure and Cultural Services Department",
     "name_zh": "康樂及文化事務署", "kind": "department"},
    {"slug": "hk-censtatd", "name_en": "Census and Statistics Department",
     "name_zh": "政府統計處", "kind": "department"},
]

# (English, Chinese, region English, region Chinese, centre lon, centre lat)
DISTRICTS = [
    ("Central and Western", "中西區", "Hong Kong Island", "香港島", 114.150, 22.282),
    ("Wan Chai", "灣仔區", "Hong Kong Island", "香港島", 114.182, 22.276),
    ("Eastern", "東區", "Hong Kong Island", "香港島", 114.224, 22.280),
    ("Southern", "南區", "Hong Kong Island", "香港島", 114.170, 22.245),
    ("Yau Tsim Mong", "油尖旺區", "Kowloon", "九龍", 114.171, 22.311),
    ("Sham Shui Po", "深水埗區", "Kowloon", "九龍", 114.160, 22.331),
    ("Kowloon City", "九龍城區", "Kowloon", "九龍", 114.190, 22.322),
    ("Wong Tai Sin", "黃大仙區", "Kowloon", "九龍", 114.197, 22.342),
    ("Kwun Tong", "觀塘區", "Kowloon", "九龍", 114.225, 22.313),
    ("Kwai Tsing", "葵青區", "New Territories", "新界", 114.120, 22.354),
    ("Tsuen Wan", "荃灣區", "New Territories", "新界", 114.113, 22.372),
    ("Tuen Mun", "屯門區", "New Territories", "新界", 113.975, 22.392),
    ("Yuen Long", "元朗區", "New Territories", "新界", 114.030, 22.446),
    ("North", "北區", "New Territories", "新界", 114.135, 22.500),
    ("Tai Po", "大埔區", "New Territories", "新界", 114.168, 22.450),
    ("Sha Tin", "沙田區", "New Territories", "新界", 114.195, 22.383),
    ("Sai Kung", "西貢區", "New Territories", "新界", 114.263, 22.318),
    ("Islands", "離島區", "New Territories", "新界", 113.945, 22.288),
]
DISTRICT_ZH = {d[0]: d[1] for d in DISTRICTS}
# Round figures near the 2021 census, perturbed below: realistic, but not the official counts.
POPULATION = [236_000, 167_000, 530_000, 263_000, 311_000, 431_000, 411_000, 407_000, 673_000,
              496_000, 320_000, 507_000, 668_000, 310_000, 316_000, 693_000, 489_000, 185_000]
AREA_KM2 = [12.6, 10.6, 18.7, 39.4, 7.0, 9.5, 10.0, 9.3, 11.3, 23.3, 61.7, 85.5, 138.5, 136.6,
            148.2, 69.3, 129.7, 176.4]


def files(*parts: str) -> Path:
    path = FILES.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_csv(name: str, header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    files(name).write_text(buffer.getvalue(), encoding="utf-8")
    return f"files/{name}"


def write_geojson(name: str, features: list[dict[str, object]]) -> str:
    collection = {"type": "FeatureCollection", "features": features}
    files(name).write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n",
                           encoding="utf-8")
    return f"files/{name}"


def write_json(name: str, value: object) -> str:
    files(name).write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return f"files/{name}"


def point(lon: float, lat: float, properties: dict[str, object]) -> dict[str, object]:
    return {"type": "Feature", "geometry": {"type": "Point",
                                            "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": properties}


def bbox(points: list[tuple[float, float]]) -> dict[str, object]:
    """A dataset's ``spatial`` extent: the bounding polygon of its positions."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    w, e, s, n = (round(min(lons), 3), round(max(lons), 3), round(min(lats), 3),
                  round(max(lats), 3))
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def jitter(lon: float, lat: float, metres: float) -> tuple[float, float]:
    angle = rng.uniform(0, 2 * math.pi)
    distance = rng.uniform(0, metres)
    return (lon + distance * math.cos(angle) / 103_000, lat + distance * math.sin(angle) / 111_000)


def resource(file: str, en: str, zh: str, desc_en: str, desc_zh: str,
             fmt: str) -> dict[str, object]:
    return {"file": file, "format": fmt, "name": {"en": en, "zh-Hant": zh},
            "description": {"en": desc_en, "zh-Hant": desc_zh}}


DATASETS: list[dict[str, object]] = []


def dataset(name: str, org: str, title: tuple[str, str], notes: tuple[str, str],
            groups: list[str], tags: list[str], frequency: str, provenance: str,
            resources: list[dict[str, object]], spatial: dict[str, object] | None = None) -> None:
    entry: dict[str, object] = {
        "name": name, "owner_org": org,
        "title": {"en": title[0], "zh-Hant": title[1]},
        "notes": {"en": notes[0], "zh-Hant": notes[1]},
        "groups": groups, "tags": tags, "license_id": LICENCE, "update_frequency": frequency,
        "provenance": f"{provenance} {SYNTHETIC}", "resources": resources,
    }
    if spatial:
        entry["spatial"] = spatial
    DATASETS.append(entry)


# --- Hong Kong Observatory --------------------------------------------------------------------

STATIONS = [
    ("Hong Kong Observatory", "香港天文台", 114.1742, 22.3019, 0.0),
    ("King's Park", "京士柏", 114.1728, 22.3119, -0.2),
    ("Wong Chuk Hang", "黃竹坑", 114.1736, 22.2478, -0.1),
    ("Ta Kwu Ling", "打鼓嶺", 114.1567, 22.5286, -2.4),
    ("Lau Fau Shan", "流浮山", 113.9836, 22.4689, -1.1),
    ("Tai Po", "大埔", 114.1789, 22.4461, -1.3),
    ("Sha Tin", "沙田", 114.2100, 22.4025, -1.2),
    ("Tuen Mun", "屯門", 113.9642, 22.3858, -0.9),
    ("Tseung Kwan O", "將軍澳", 114.2556, 22.3158, -1.4),
    ("Sai Kung", "西貢", 114.2744, 22.3756, -0.6),
    ("Cheung Chau", "長洲", 114.0267, 22.2011, -0.4),
    ("Chek Lap Kok", "赤鱲角", 113.9219, 22.3094, -0.3),
    ("Tsing Yi", "青衣", 114.1100, 22.3442, -0.5),
    ("Shek Kong", "石崗", 114.0847, 22.4361, -1.9),
    ("Tsuen Wan Ho Koon", "荃灣可觀", 114.1078, 22.3836, -1.6),
    ("Tsuen Wan Shing Mun Valley", "荃灣城門谷", 114.1267, 22.3756, -1.0),
    ("Hong Kong Park", "香港公園", 114.1622, 22.2783, -0.2),
    ("Shau Kei Wan", "筲箕灣", 114.2361, 22.2817, -0.3),
    ("Kowloon City", "九龍城", 114.1847, 22.3350, -0.1),
    ("Happy Valley", "跑馬地", 114.1836, 22.2703, -0.4),
    ("Wong Tai Sin", "黃大仙", 114.2050, 22.3394, -0.2),
    ("Stanley", "赤柱", 114.2186, 22.2142, -0.3),
    ("Kwun Tong", "觀塘", 114.2247, 22.3186, -0.1),
    ("Sham Shui Po", "深水埗", 114.1369, 22.3358, 0.0),
    ("Kai Tak Runway Park", "啟德跑道公園", 114.2169, 22.3047, -0.2),
    ("Yuen Long Park", "元朗公園", 114.0183, 22.4408, -1.5),
    ("Tai Mei Tuk", "大美督", 114.2375, 22.4753, -1.2),
]


def hko() -> None:
    rows = []
    for hour in range(24):
        stamp = datetime(DAY.year, DAY.month, DAY.day, hour).strftime("%Y-%m-%d %H:%M")
        # A clear November day: coolest near dawn, warmest mid-afternoon.
        base = 20.6 + 3.4 * math.sin((hour - 9) / 24 * 2 * math.pi)
        for en, zh, lon, lat, offset in STATIONS:
            inland_night = offset * (1.0 if hour < 9 or hour > 18 else 0.4)
            value = base + inland_night + rng.gauss(0, 0.25)
            rows.append([stamp, en, zh, lat, lon, f"{value:.1f}"])
    hourly = write_csv("hko-hourly-temperature-20251118.csv",
                       ["date_time", "station_en", "station_zh", "latitude", "longitude",
                        "temperature_c"], rows)
    dataset(
        "hourly-temperature-automatic-weather-stations", "hk-hko",
        ("Hourly Air Temperature at Automatic Weather Stations", "自動氣象站每小時氣溫"),
        ("Air temperature in degrees Celsius recorded at the top of each hour by 27 automatic "
         "weather stations across Hong Kong, with each station's latitude and longitude (WGS 84). "
         "One day of readings.",
         "全港27個自動氣象站於每小時正錄得的氣溫（攝氏度），並附各站的經緯度（WGS 84）。"
         "本資源載有一日的讀數。"),
        ["climate-and-weather"], ["weather", "temperature", "weather station", "real-time"],
        "real-time", "Modelled on the Hong Kong Observatory's regional weather readings.",
        [resource(hourly, "Hourly temperature, 18 November 2025", "每小時氣溫（2025年11月18日）",
                  "One row per station per hour.", "每站每小時一行。", "CSV")],
        bbox([(s[2], s[3]) for s in STATIONS]))

    rows = []
    for offset in range(30):
        day = DAY - timedelta(days=29 - offset)
        wet = rng.random() < 0.25
        for en, zh, *_ in DISTRICTS:
            amount = max(0.0, rng.gammavariate(1.2, 9.0) - 2) if wet else (
                rng.choice([0.0, 0.0, 0.0, 0.5]) if rng.random() < 0.3 else 0.0)
            rows.append([day.isoformat(), en, zh, f"{amount:.1f}"])
    rainfall = write_csv("hko-daily-rainfall-by-district-202511.csv",
                         ["date", "district_en", "district_zh", "rainfall_mm"], rows)
    dataset(
        "daily-rainfall-by-district", "hk-hko",
        ("Daily Rainfall by District", "各區每日雨量"),
        ("Total rainfall in millimetres for each of the 18 districts, day by day, from the "
         "rain-gauge network. A reading of 0.0 means no measurable rain.",
         "根據雨量站網絡計算全港18區每日的總雨量（毫米）。讀數為0.0即沒有可量度的雨量。"),
        ["climate-and-weather"], ["weather", "rainfall", "district"], "daily",
        "Modelled on the Hong Kong Observatory's daily rainfall by district.",
        [resource(rainfall, "Daily rainfall, last 30 days", "每日雨量（過去30日）",
                  "One row per district per day.", "每區每日一行。", "CSV")])

    rows = []
    for offset in range(90):
        day = DAY - timedelta(days=89 - offset)
        seasonal = 9.5 - offset * 0.045
        value = max(1, round(seasonal + rng.gauss(0, 1.6)))
        level = ("Extreme" if value >= 11 else "Very High" if value >= 8 else "High"
                 if value >= 6 else "Moderate" if value >= 3 else "Low")
        level_zh = {"Extreme": "極高", "Very High": "甚高", "High": "高", "Moderate": "中等",
                    "Low": "低"}[level]
        rows.append([day.isoformat(), value, level, level_zh])
    uv = write_csv("hko-daily-max-uv-index-kings-park.csv",
                   ["date", "max_uv_index", "exposure_level_en", "exposure_level_zh"], rows)
    dataset(
        "daily-maximum-uv-index", "hk-hko",
        ("Daily Maximum UV Index at King's Park", "京士柏每日最高紫外線指數"),
        ("The highest ultraviolet index of each day measured at King's Park, with the exposure "
         "level (Low, Moderate, High, Very High, Extreme).",
         "京士柏每日錄得的最高紫外線指數及其曝曬級數（低、中等、高、甚高、極高）。"),
        ["climate-and-weather", "health"], ["weather", "uv index", "sun"], "daily",
        "Modelled on the Hong Kong Observatory's UV index records.",
        [resource(uv, "Daily maximum UV index, last 90 days", "每日最高紫外線指數（過去90日）",
                  "One row per day.", "每日一行。", "CSV")])

    rows = []
    signals = [("1", "Standby Signal No. 1", "一號戒備信號"),
               ("3", "Strong Wind Signal No. 3", "三號強風信號"),
               ("8NE", "No. 8 Northeast Gale or Storm Signal", "八號東北烈風或暴風信號"),
               ("8SE", "No. 8 Southeast Gale or Storm Signal", "八號東南烈風或暴風信號")]
    start = datetime(2025, 6, 2, 10, 40)
    for number in range(1, 11):
        start += timedelta(days=rng.randint(6, 14), hours=rng.randint(0, 23))
        strongest = rng.choice([0, 0, 1, 1, 1, 2, 3])
        moment = start
        for level in range(strongest + 1):
            code, en, zh = signals[level]
            hours = rng.randint(4, 20)
            rows.append([f"TC-2025-{number:02d}", code, en, zh, moment.strftime("%Y-%m-%d %H:%M"),
                         (moment + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")])
            moment += timedelta(hours=hours - rng.randint(0, 2))
    cyclones = write_csv("hko-tropical-cyclone-signals-2025.csv",
                         ["cyclone", "signal", "signal_en", "signal_zh", "issued_at",
                          "cancelled_at"], rows)
    dataset(
        "tropical-cyclone-warning-signals", "hk-hko",
        ("Tropical Cyclone Warning Signals Issued", "熱帶氣旋警告信號紀錄"),
        ("Each tropical cyclone warning signal issued this season, with the times of issue and "
         "cancellation (Hong Kong Time). Cyclones are identified by a season number.",
         "本季發出的每個熱帶氣旋警告信號，以及發出和取消的時間（香港時間）。熱帶氣旋以季度編號識別。"),
        ["climate-and-weather"], ["weather", "typhoon", "warning signal"],
        "as-needed", "Modelled on the Hong Kong Observatory's tropical cyclone warning records.",
        [resource(cyclones, "Signals issued in 2025", "2025年發出的信號",
                  "One row per signal issued.", "每個已發出的信號一行。", "CSV")])


# --- Environmental Protection Department --------------------------------------------------

AQ_STATIONS = [
    ("Central/Western", "中西區", "general", 114.1446, 22.2849),
    ("Eastern", "東區", "general", 114.2194, 22.2830),
    ("Kwun Tong", "觀塘", "general", 114.2247, 22.3096),
    ("Sham Shui Po", "深水埗", "general", 114.1591, 22.3302),
    ("Kwai Chung", "葵涌", "general", 114.1297, 22.3571),
    ("Tsuen Wan", "荃灣", "general", 114.1144, 22.3718),
    ("Tseung Kwan O", "將軍澳", "general", 114.2594, 22.3178),
    ("Yuen Long", "元朗", "general", 114.0227, 22.4452),
    ("Tuen Mun", "屯門", "general", 113.9765, 22.3910),
    ("Tung Chung", "東涌", "general", 113.9437, 22.2888),
    ("Tai Po", "大埔", "general", 114.1646, 22.4510),
    ("Sha Tin", "沙田", "general", 114.1845, 22.3764),
    ("North", "北區", "general", 114.1283, 22.4967),
    ("Tap Mun", "塔門", "general", 114.3606, 22.4713),
    ("Southern", "南區", "general", 114.1602, 22.2473),
    ("Causeway Bay", "銅鑼灣", "roadside", 114.1850, 22.2802),
    ("Central", "中環", "roadside", 114.1582, 22.2819),
    ("Mong Kok", "旺角", "roadside", 114.1685, 22.3227),
]
RISK = [(3, "Low", "低"), (6, "Moderate", "中"), (7, "High", "高"), (10, "Very High", "甚高"),
        (99, "Serious", "嚴重")]


def epd() -> None:
    rows = []
    for hour in range(24):
        stamp = datetime(DAY.year, DAY.month, DAY.day, hour).strftime("%Y-%m-%d %H:%M")
        regional = 3.6 + 1.2 * math.sin((hour - 6) / 24 * 2 * math.pi)
        for en, zh, kind, _lon, _lat in AQ_STATIONS:
            value = regional + (1.8 if kind == "roadside" else 0) + rng.gauss(0, 0.5)
            if 7 <= hour <= 10 or 17 <= hour <= 20:
                value += 0.8 if kind == "roadside" else 0.3
            aqhi = min(11, max(1, round(value)))
            _, risk_en, risk_zh = next(r for r in RISK if aqhi <= r[0])
            rows.append([stamp, en, zh, kind, aqhi if aqhi <= 10 else "10+", risk_en, risk_zh])
    aqhi = write_csv("epd-aqhi-by-station-20251118.csv",
                     ["date_time", "station_en", "station_zh", "station_type", "aqhi",
                      "health_risk_en", "health_risk_zh"], rows)
    stations = write_csv("epd-air-monitoring-stations.csv",
                         ["station_en", "station_zh", "station_type", "latitude", "longitude"],
                         [[en, zh, kind, lat, lon] for en, zh, kind, lon, lat in AQ_STATIONS])
    dataset(
        "air-quality-health-index-by-station", "hk-epd",
        ("Air Quality Health Index (AQHI) by Monitoring Station", "各監測站空氣質素健康指數"),
        ("Hourly AQHI (1 to 10+) and the health risk category at 15 general and 3 roadside air "
         "quality monitoring stations. A second file lists the stations with their positions.",
         "15個一般空氣質素監測站及3個路邊監測站每小時的空氣質素健康指數（1至10+）及健康風險級別。"
         "另一檔案列出各監測站及其位置。"),
        ["environment", "health"], ["air quality", "aqhi", "pollution", "real-time"], "real-time",
        "Modelled on the Environmental Protection Department's AQHI feed.",
        [resource(aqhi, "Hourly AQHI, 18 November 2025", "每小時空氣質素健康指數（2025年11月18日）",
                  "One row per station per hour.", "每站每小時一行。", "CSV"),
         resource(stations, "Monitoring stations", "監測站位置",
                  "Station names, type and WGS 84 position.", "監測站名稱、類別及 WGS 84 位置。",
                  "CSV")],
        bbox([(s[3], s[4]) for s in AQ_STATIONS]))

    waste = [("Paper", "廢紙"), ("Metals", "金屬"), ("Plastics", "塑膠"), ("Glass bottles", "玻璃樽"),
             ("Rechargeable batteries", "充電池"), ("Small electrical appliances", "小型電器"),
             ("Fluorescent lamps", "慳電膽及光管"), ("Clothes", "衣物"), ("Beverage cartons", "紙包飲品盒")]
    kinds = [("GREEN@COMMUNITY Recycling Store", "綠在區區回收便利點"),
             ("Recycling Station", "回收環保站"), ("Housing estate collection point", "屋苑回收點"),
             ("Street-side recycling bins", "路邊回收桶"), ("Community recycling spot", "回收流動點")]
    features, points = [], []
    for index in range(80):
        en, zh, _r, _rz, lon, lat = DISTRICTS[index % 18]
        lon, lat = jitter(lon, lat, 1800)
        kind_en, kind_zh = kinds[rng.randrange(len(kinds))]
        accepted = sorted(rng.sample(range(len(waste)), rng.randint(3, 7)))
        features.append(point(lon, lat, {
            "id": f"RP{index + 1:04d}", "type_en": kind_en, "type_zh": kind_zh,
            "name_en": f"{kind_en} ({en} {index // 18 + 1})",
            "name_zh": f"{kind_zh}（{zh}{index // 18 + 1}）",
            "district_en": en, "district_zh": zh,
            "waste_types_en": "; ".join(waste[i][0] for i in accepted),
            "waste_types_zh": "、".join(waste[i][1] for i in accepted),
            "opening_hours": rng.choice(["08:00-20:00", "24 hours", "10:00-18:00 (Tue-Sun)",
                                         "09:00-19:00"]),
        }))
        points.append((lon, lat))
    recycling = write_geojson("epd-recycling-points.geojson", features)
    dataset(
        "recycling-collection-points", "hk-epd",
        ("Recycling Collection Points", "回收點"),
        ("Where to hand in recyclables: community recycling stores, recycling stations, housing "
         "estate and street-side collection points, with the waste types each accepts. Points "
         "in WGS 84.",
         "市民可交回可回收物的地點，包括綠在區區、回收環保站、屋苑及路邊回收點，並列明各點接收的"
         "回收物類別。座標採用 WGS 84。"),
        ["environment", "city-management"], ["recycling", "waste", "green"], "weekly",
        "Modelled on the Environmental Protection Department's recycling points map.",
        [resource(recycling, "Recycling points (GeoJSON)", "回收點（GeoJSON）",
                  "One point feature per collection point.", "每個回收點一個點要素。", "GeoJSON")],
        bbox(points))

    beaches = [("Repulse Bay Beach", "淺水灣泳灘", "Southern"), ("Deep Water Bay Beach", "深水灣泳灘", "Southern"),
               ("Stanley Main Beach", "赤柱正灘泳灘", "Southern"), ("Shek O Beach", "石澳泳灘", "Southern"),
               ("Big Wave Bay Beach", "大浪灣泳灘", "Eastern"),
               ("Clear Water Bay Second Beach", "清水灣第二灣泳灘", "Sai Kung"),
               ("Silverstrand Beach", "銀線灣泳灘", "Sai Kung"), ("Golden Beach", "黃金泳灘", "Tuen Mun"),
               ("Cafeteria Old Beach", "加多近山泳灘", "Tuen Mun"), ("Butterfly Beach", "蝴蝶灣泳灘", "Tuen Mun"),
               ("Lido Beach", "麗都灣泳灘", "Tsuen Wan"), ("Ting Kau Beach", "汀九灣泳灘", "Tsuen Wan"),
               ("Upper Cheung Sha Beach", "上長沙泳灘", "Islands"), ("Pui O Beach", "貝澳泳灘", "Islands"),
               ("Tung Wan Beach, Cheung Chau", "長洲東灣泳灘", "Islands"),
               ("Hung Shing Yeh Beach", "洪聖爺灣泳灘", "Islands"), ("Lo So Shing Beach", "蘆鬚城泳灘", "Islands")]
    rows = []
    for week in range(12):
        day = DAY - timedelta(days=7 * (11 - week) + 1)
        for en, zh, district in beaches:
            dirty = district in ("Tsuen Wan", "Tuen Mun")
            count = max(1, round(rng.lognormvariate(3.6 if dirty else 2.6, 0.9)))
            grade = 1 if count <= 24 else 2 if count <= 180 else 3 if count <= 610 else 4
            rows.append([day.isoformat(), en, zh, district, DISTRICT_ZH[district], count, grade])
    beach = write_csv("epd-beach-water-quality-2025.csv",
                      ["sampling_date", "beach_en", "beach_zh", "district_en", "district_zh",
                       "e_coli_count_per_100ml", "grade"], rows)
    dataset(
        "beach-water-quality-grades", "hk-epd",
        ("Beach Water Quality Grades", "泳灘水質級別"),
        ("Weekly E. coli counts at gazetted beaches and the resulting grade: 1 Good, 2 Fair, "
         "3 Poor, 4 Very Poor.",
         "憲報公布泳灘每周的大腸桿菌數目及水質級別：1級良好、2級一般、3級欠佳、4級極差。"),
        ["environment", "recreation-and-culture", "health"], ["water quality", "beach", "swimming"],
        "weekly", "Modelled on the Environmental Protection Department's beach water quality reports.",
        [resource(beach, "Weekly grades, last 12 weeks", "每周級別（過去12周）",
                  "One row per beach per sampling day.", "每個泳灘每個採樣日一行。", "CSV")])

    rows = []
    for offset in range(36):
        year, month = divmod(2022 * 12 + 10 + offset, 12)
        domestic = 6_300 + rng.randint(-250, 250) - offset * 12
        commercial = 3_050 + rng.randint(-180, 180) - offset * 6
        rows.append([f"{year}-{month + 1:02d}", domestic, commercial, domestic + commercial])
    msw = write_csv("epd-msw-disposal-tonnes-per-day.csv",
                    ["month", "domestic_tonnes_per_day", "commercial_industrial_tonnes_per_day",
                     "total_tonnes_per_day"], rows)
    dataset(
        "municipal-solid-waste-disposal", "hk-epd",
        ("Municipal Solid Waste Disposed of at Landfills", "堆填區棄置的都市固體廢物"),
        ("Average daily quantity of municipal solid waste disposed of at landfills each month, "
         "split into domestic and commercial and industrial waste, in tonnes per day.",
         "每月平均每日在堆填區棄置的都市固體廢物數量，分為家居廢物及工商業廢物（公噸／日）。"),
        ["environment"], ["waste", "landfill", "statistics"], "monthly",
        "Modelled on the Environmental Protection Department's waste statistics.",
        [resource(msw, "Monthly averages, last 36 months", "每月平均數（過去36個月）",
                  "One row per month.", "每月一行。", "CSV")])


# --- Transport Department -----------------------------------------------------------------

def td() -> None:
    origins = [("TOLO", "Tolo Highway near Science Park", "吐露港公路近科學園"),
               ("TMR", "Tuen Mun Road near Sham Tseng", "屯門公路近深井"),
               ("KCR", "Kwun Tong Road near Ngau Tau Kok", "觀塘道近牛頭角"),
               ("GLR", "Gloucester Road near Wan Chai", "告士打道近灣仔"),
               ("ECR", "Island Eastern Corridor near North Point", "東區走廊近北角")]
    destinations = [("CHT", "Cross-Harbour Tunnel", "紅磡海底隧道"),
                    ("EHC", "Eastern Harbour Crossing", "東區海底隧道"),
                    ("WHC", "Western Harbour Crossing", "西區海底隧道")]
    rows = []
    base = {(o[0], d[0]): rng.randint(6, 28) for o in origins for d in destinations}
    for step in range(30):
        stamp = datetime(DAY.year, DAY.month, DAY.day, 8, 0) + timedelta(minutes=2 * step)
        rush = 1 + 0.35 * math.sin(step / 29 * math.pi)
        for o_id, o_en, o_zh in origins:
            for d_id, d_en, d_zh in destinations:
                minutes = max(3, round(base[(o_id, d_id)] * rush + rng.gauss(0, 1.2)))
                colour = ("green" if minutes < base[(o_id, d_id)] * 1.15 else
                          "amber" if minutes < base[(o_id, d_id)] * 1.4 else "red")
                rows.append([stamp.strftime("%Y-%m-%d %H:%M"), f"{o_id}-{d_id}", o_en, o_zh,
                             d_en, d_zh, minutes, colour])
    journey = write_csv("td-journey-time-indicators-20251118-am.csv",
                        ["capture_time", "route_id", "from_en", "from_zh", "to_en", "to_zh",
                         "journey_time_min", "colour"], rows)
    dataset(
        "journey-time-indicators", "hk-td",
        ("Journey Time Indicators", "行車時間指示器"),
        ("Estimated journey times from five major roads to the three road harbour crossings, "
         "refreshed every 2 minutes, with a colour: green (smooth), amber (slow), red (congested).",
         "由五條主要道路前往三條過海隧道的估計行車時間，每兩分鐘更新，並以顏色表示路面情況："
         "綠色（暢通）、黃色（緩慢）、紅色（擠塞）。"),
        ["transport"], ["traffic", "journey time", "real-time", "harbour crossing"], "real-time",
        "Modelled on the Transport Department's journey time indicator feed.",
        [resource(journey, "Morning peak, 18 November 2025", "早上繁忙時間（2025年11月18日）",
                  "Captures every 2 minutes, 08:00 to 08:58.", "08:00至08:58每兩分鐘一次。", "CSV")])

    parks = [("Rumsey Street Multi-storey Car Park", "林士街多層停車場", "Central and Western", 114.1530, 22.2855, 380),
             ("City Hall Car Park", "大會堂停車場", "Central and Western", 114.1610, 22.2826, 220),
             ("Kennedy Town Car Park", "堅尼地城停車場", "Central and Western", 114.1285, 22.2820, 160),
             ("Wan Chai Harbour Road Car Park", "灣仔港灣道停車場", "Wan Chai", 114.1755, 22.2810, 300),
             ("Causeway Bay Car Park", "銅鑼灣停車場", "Wan Chai", 114.1840, 22.2790, 250),
             ("North Point Car Park", "北角停車場", "Eastern", 114.2005, 22.2910, 190),
             ("Chai Wan Car Park", "柴灣停車場", "Eastern", 114.2380, 22.2650, 210),
             ("Aberdeen Car Park", "香港仔停車場", "Southern", 114.1545, 22.2480, 240),
             ("Star Ferry Car Park", "天星碼頭多層停車場", "Central and Western", 114.1595, 22.2860, 400),
             ("Yau Ma Tei Car Park", "油麻地停車場", "Yau Tsim Mong", 114.1690, 22.3070, 560),
             ("Mong Kok Car Park", "旺角停車場", "Yau Tsim Mong", 114.1700, 22.3190, 280),
             ("Sham Shui Po Car Park", "深水埗停車場", "Sham Shui Po", 114.1620, 22.3300, 150),
             ("Kowloon City Car Park", "九龍城停車場", "Kowloon City", 114.1905, 22.3290, 170),
             ("Kai Tak Car Park", "啟德停車場", "Kowloon City", 114.2010, 22.3250, 320),
             ("Wong Tai Sin Car Park", "黃大仙停車場", "Wong Tai Sin", 114.1940, 22.3420, 200),
             ("Kwun Tong Car Park", "觀塘停車場", "Kwun Tong", 114.2250, 22.3120, 330),
             ("Kwai Fong Car Park", "葵芳停車場", "Kwai Tsing", 114.1280, 22.3570, 260),
             ("Tsuen Wan Car Park", "荃灣停車場", "Tsuen Wan", 114.1150, 22.3710, 420),
             ("Tuen Mun Town Centre Car Park", "屯門市中心停車場", "Tuen Mun", 113.9740, 22.3920, 350),
             ("Yuen Long Car Park", "元朗停車場", "Yuen Long", 114.0260, 22.4440, 300),
             ("Sheung Shui Car Park", "上水停車場", "North", 114.1280, 22.5020, 240),
             ("Tai Po Car Park", "大埔停車場", "Tai Po", 114.1680, 22.4480, 260),
             ("Sha Tin Town Centre Car Park", "沙田市中心停車場", "Sha Tin", 114.1880, 22.3820, 500),
             ("Ma On Shan Car Park", "馬鞍山停車場", "Sha Tin", 114.2310, 22.4240, 210),
             ("Tseung Kwan O Car Park", "將軍澳停車場", "Sai Kung", 114.2600, 22.3080, 280),
             ("Sai Kung Town Car Park", "西貢市停車場", "Sai Kung", 114.2730, 22.3820, 120),
             ("Tung Chung Car Park", "東涌停車場", "Islands", 113.9420, 22.2880, 230),
             ("Tin Shui Wai Car Park", "天水圍停車場", "Yuen Long", 114.0040, 22.4600, 270)]
    rows = []
    stamp = datetime(DAY.year, DAY.month, DAY.day, 14, 30).strftime("%Y-%m-%d %H:%M")
    for index, (en, zh, district, lon, lat, spaces) in enumerate(parks):
        for vehicle, share in (("private car", 0.85), ("motorcycle", 0.1), ("LGV", 0.05)):
            capacity = max(4, round(spaces * share))
            vacancy = rng.randint(0, capacity // 2) if rng.random() > 0.1 else 0
            rows.append([f"TDCP{index + 1:03d}", en, zh, district, DISTRICT_ZH[district], lat, lon,
                         vehicle, capacity, vacancy, stamp])
    carparks = write_csv("td-car-park-vacancy-20251118-1430.csv",
                         ["park_id", "name_en", "name_zh", "district_en", "district_zh",
                          "latitude", "longitude", "vehicle_type", "capacity", "vacancy",
                          "last_updated"], rows)
    dataset(
        "car-park-vacancy", "hk-td",
        ("Car Park Vacancy", "停車場空置車位"),
        ("Real-time vacant parking spaces for private cars, motorcycles and light goods vehicles "
         "at public car parks, with each car park's latitude and longitude (WGS 84).",
         "公眾停車場私家車、電單車及輕型貨車的實時空置車位數目，並附各停車場的經緯度（WGS 84）。"),
        ["transport"], ["parking", "car park", "real-time"], "real-time",
        "Modelled on the Transport Department's car park vacancy feed.",
        [resource(carparks, "Vacancies at 14:30, 18 November 2025",
                  "空置車位（2025年11月18日14:30）", "One row per car park and vehicle type.",
                  "每個停車場每類車輛一行。", "CSV")],
        bbox([(p[3], p[4]) for p in parks]))

    roads = [("Tolo Highway", "吐露港公路", 2, 95), ("Tuen Mun Road", "屯門公路", 3, 80),
             ("Tsing Sha Highway", "青沙公路", 2, 90), ("Lung Cheung Road", "龍翔道", 2, 60),
             ("Kwun Tong Bypass", "觀塘繞道", 2, 65), ("Island Eastern Corridor", "東區走廊", 3, 70),
             ("Gloucester Road", "告士打道", 3, 50), ("Connaught Road Central", "干諾道中", 3, 50),
             ("Tai Po Road", "大埔公路", 2, 50), ("West Kowloon Highway", "西九龍公路", 3, 85)]
    rows = []
    for index in range(20):
        road_en, road_zh, lanes, limit = roads[index % len(roads)]
        direction = "North/East" if index < 10 else "South/West"
        detector = f"AID{index // 10 + 1:02d}{index % 10 + 1:03d}"
        for step in range(12):
            start = datetime(DAY.year, DAY.month, DAY.day, 8, 0) + timedelta(minutes=5 * step)
            for lane in range(1, lanes + 1):
                speed = max(8, round(limit * rng.uniform(0.55, 1.05) - lane * 2))
                volume = rng.randint(60, 160)
                occupancy = min(95, round(volume * 60 / max(speed, 10) / 4 + rng.uniform(0, 4)))
                rows.append([detector, road_en, road_zh, direction, f"Lane {lane}",
                             start.strftime("%Y-%m-%d %H:%M"), speed, occupancy, volume])
    detectors = write_csv("td-traffic-detectors-20251118-am.csv",
                          ["detector_id", "road_en", "road_zh", "direction", "lane",
                           "period_from", "speed_kmh", "occupancy_pct", "volume_vehicles"], rows)
    dataset(
        "traffic-speed-volume-occupancy", "hk-td",
        ("Traffic Speed, Volume and Occupancy from Detectors", "交通探測器車速、流量及佔用率"),
        ("Five-minute lane-by-lane readings from traffic detectors on strategic roads: mean speed "
         "(km/h), vehicle count and detector occupancy (per cent of time).",
         "策略性道路上交通探測器每五分鐘按行車線錄得的平均車速（公里／小時）、車輛數目及佔用率（時間百分比）。"),
        ["transport"], ["traffic", "detector", "speed", "real-time"], "real-time",
        "Modelled on the Transport Department's traffic detector data.",
        [resource(detectors, "Morning readings, 18 November 2025", "早上讀數（2025年11月18日）",
                  "One row per detector, lane and five minutes.", "每個探測器每條行車線每五分鐘一行。",
                  "CSV")])

    rows = []
    fleet = {"private_car": 612_000, "goods_vehicle": 113_000, "motorcycle": 71_000,
             "taxi": 18_150, "public_bus": 13_700, "public_light_bus": 4_350, "other": 9_800}
    for offset in range(24):
        year, month = divmod(2023 * 12 + 10 + offset, 12)
        for key in fleet:
            fleet[key] += round(fleet[key] * rng.uniform(-0.0008, 0.0022))
        rows.append([f"{year}-{month + 1:02d}", *fleet.values(), sum(fleet.values())])
    vehicles = write_csv("td-licensed-vehicles-by-type.csv",
                         ["month", *fleet.keys(), "total"], rows)
    dataset(
        "licensed-vehicles-by-type", "hk-td",
        ("Licensed Vehicles by Type", "按類別劃分的領有牌照車輛數目"),
        ("Number of licensed vehicles at the end of each month, by vehicle type: private cars, "
         "goods vehicles, motorcycles, taxis, buses, public light buses and others.",
         "每月月底按車輛類別劃分的領有牌照車輛數目，包括私家車、貨車、電單車、的士、巴士、公共小巴及其他。"),
        ["transport"], ["vehicles", "licensing", "statistics"], "monthly",
        "Modelled on the Transport Department's monthly traffic and transport digest.",
        [resource(vehicles, "Monthly counts, last 24 months", "每月數目（過去24個月）",
                  "One row per month.", "每月一行。", "CSV")])


# --- Hospital Authority -------------------------------------------------------------------

HOSPITALS = [
    ("Queen Mary Hospital", "瑪麗醫院", "Hong Kong West", "港島西", 114.1310, 22.2700),
    ("Pamela Youde Nethersole Eastern Hospital", "東區尤德夫人那打素醫院", "Hong Kong East", "港島東", 114.2370, 22.2690),
    ("Ruttonjee Hospital", "律敦治醫院", "Hong Kong East", "港島東", 114.1750, 22.2760),
    ("Queen Elizabeth Hospital", "伊利沙伯醫院", "Kowloon Central", "九龍中", 114.1750, 22.3090),
    ("Kwong Wah Hospital", "廣華醫院", "Kowloon West", "九龍西", 114.1720, 22.3150),
    ("Caritas Medical Centre", "明愛醫院", "Kowloon West", "九龍西", 114.1540, 22.3410),
    ("Princess Margaret Hospital", "瑪嘉烈醫院", "Kowloon West", "九龍西", 114.1340, 22.3400),
    ("Yan Chai Hospital", "仁濟醫院", "Kowloon West", "九龍西", 114.1190, 22.3700),
    ("North Lantau Hospital", "北大嶼山醫院", "Kowloon West", "九龍西", 113.9390, 22.2830),
    ("United Christian Hospital", "基督教聯合醫院", "Kowloon East", "九龍東", 114.2270, 22.3220),
    ("Tseung Kwan O Hospital", "將軍澳醫院", "Kowloon East", "九龍東", 114.2700, 22.3180),
    ("Prince of Wales Hospital", "威爾斯親王醫院", "New Territories East", "新界東", 114.2020, 22.3800),
    ("North District Hospital", "北區醫院", "New Territories East", "新界東", 114.1240, 22.4970),
    ("Alice Ho Miu Ling Nethersole Hospital", "雅麗氏何妙齡那打素醫院", "New Territories East", "新界東", 114.1750, 22.4580),
    ("Tuen Mun Hospital", "屯門醫院", "New Territories West", "新界西", 113.9760, 22.4070),
    ("Pok Oi Hospital", "博愛醫院", "New Territories West", "新界西", 114.0420, 22.4450),
    ("Tin Shui Wai Hospital", "天水圍醫院", "New Territories West", "新界西", 114.0050, 22.4580),
    ("St John Hospital", "長洲醫院", "Hong Kong East", "港島東", 114.0290, 22.2070),
]


def ha() -> None:
    rows = []
    busy = {h[0]: rng.uniform(0.6, 1.6) for h in HOSPITALS}
    for step in range(8):
        stamp = datetime(DAY.year, DAY.month, DAY.day, 18, 0) + timedelta(minutes=15 * step)
        for en, zh, cluster_en, cluster_zh, lon, lat in HOSPITALS:
            median = max(15, round(95 * busy[en] + rng.gauss(0, 12) + step * 2))
            p95 = max(median + 30, round(median * rng.uniform(2.0, 3.1)))
            urgent = max(5, round(rng.gauss(18, 6)))
            rows.append([stamp.strftime("%Y-%m-%d %H:%M"), en, zh, cluster_en, cluster_zh, lat, lon,
                         "Managed promptly", "即時處理", urgent, median, p95])
    ae = write_csv("ha-ae-waiting-time-20251118-evening.csv",
                   ["update_time", "hospital_en", "hospital_zh", "cluster_en", "cluster_zh",
                    "latitude", "longitude", "triage_1_2_en", "triage_1_2_zh",
                    "triage_3_median_min", "triage_4_5_median_min", "triage_4_5_p95_min"], rows)
    dataset(
        "accident-emergency-waiting-time", "hk-ha",
        ("Accident and Emergency Waiting Time", "急症室等候時間"),
        ("Waiting times at the 18 public hospitals with an Accident and Emergency Department, "
         "updated every 15 minutes: median waiting time for urgent (triage 3) patients and median "
         "and 95th percentile for semi-urgent and non-urgent (triage 4 and 5) patients. Critical "
         "and emergency cases are managed promptly.",
         "設有急症室的18間公立醫院的等候時間，每15分鐘更新：緊急（第3類）病人的等候時間中位數，"
         "以及次緊急和非緊急（第4及第5類）病人的等候時間中位數及第95百分位數。危殆及危急個案會即時處理。"),
        ["health"], ["hospital", "accident and emergency", "waiting time", "real-time"],
        "real-time", "Modelled on the Hospital Authority's A&E waiting time feed.",
        [resource(ae, "Evening updates, 18 November 2025", "晚間更新（2025年11月18日）",
                  "Every 15 minutes from 18:00 to 19:45.", "18:00至19:45每15分鐘一次。", "CSV")],
        bbox([(h[4], h[5]) for h in HOSPITALS]))

    specialties = [("Ear, Nose and Throat", "耳鼻喉科"), ("Eye", "眼科"),
                   ("Gynaecology", "婦科"), ("Medicine", "內科"), ("Orthopaedics", "骨科"),
                   ("Paediatrics", "兒科"), ("Psychiatry", "精神科"), ("Surgery", "外科")]
    clusters = sorted({(h[2], h[3]) for h in HOSPITALS})
    rows = []
    for cluster_en, cluster_zh in clusters:
        for spec_en, spec_zh in specialties:
            stable = rng.randint(20, 110)
            rows.append([cluster_en, cluster_zh, spec_en, spec_zh, "<1", rng.randint(3, 8), stable,
                         stable + rng.randint(20, 70)])
    sopc = write_csv("ha-sopc-new-case-waiting-time-2025q3.csv",
                     ["cluster_en", "cluster_zh", "specialty_en", "specialty_zh",
                      "urgent_median_weeks", "semi_urgent_median_weeks", "stable_median_weeks",
                      "stable_longest_weeks"], rows)
    dataset(
        "specialist-outpatient-waiting-time", "hk-ha",
        ("Waiting Time for New Cases at Specialist Outpatient Clinics",
         "專科門診新症輪候時間"),
        ("Median waiting time in weeks for new cases booked at specialist outpatient clinics, by "
         "cluster and specialty and by triage category (urgent, semi-urgent, stable), with the "
         "longest waiting time for stable cases.",
         "按醫院聯網、專科及分流類別（緊急、半緊急、穩定）劃分的專科門診新症輪候時間中位數（星期），"
         "以及穩定新症的最長輪候時間。"),
        ["health"], ["hospital", "outpatient", "waiting time"], "quarterly",
        "Modelled on the Hospital Authority's specialist outpatient waiting time statistics.",
        [resource(sopc, "July to September 2025", "2025年7月至9月",
                  "One row per cluster and specialty.", "每個聯網每個專科一行。", "CSV")])

    rows = []
    for en, zh, cluster_en, cluster_zh, *_ in HOSPITALS:
        acute = rng.randrange(200, 1800, 10)
        rows.append([en, zh, cluster_en, cluster_zh, acute, rng.randrange(0, 600, 10),
                     rng.randrange(0, 120, 10), round(rng.uniform(82, 112), 1)])
    beds = write_csv("ha-hospital-beds-2025-09.csv",
                     ["hospital_en", "hospital_zh", "cluster_en", "cluster_zh", "acute_beds",
                      "convalescent_beds", "psychiatric_beds", "medical_occupancy_pct"], rows)
    dataset(
        "hospital-beds-and-occupancy", "hk-ha",
        ("Hospital Beds and Medical Ward Occupancy", "醫院病床數目及內科病房住用率"),
        ("Beds in each public hospital with an A&E department by type, and the occupancy rate of "
         "medical wards at midnight, as at the end of the month.",
         "各設有急症室的公立醫院按類別劃分的病床數目，以及月底內科病房午夜住用率。"),
        ["health"], ["hospital", "beds", "statistics"], "monthly",
        "Modelled on the Hospital Authority's statistical reports.",
        [resource(beds, "As at 30 September 2025", "截至2025年9月30日",
                  "One row per hospital.", "每間醫院一行。", "CSV")])


# --- Census and Statistics Department -----------------------------------------------------

def censtatd() -> None:
    rows, elderly = [], []
    for (en, zh, region_en, region_zh, *_), people, area in zip(DISTRICTS, POPULATION, AREA_KM2):
        people = round(people * rng.uniform(0.985, 1.015), -2)
        male = round(people * rng.uniform(0.45, 0.48), -2)
        rows.append([en, zh, region_en, region_zh, int(people), int(male), int(people - male),
                     area, round(people / area)])
        share = rng.uniform(0.17, 0.25)
        elderly.append([en, zh, int(round(people * share, -2)), round(share * 100, 1),
                        int(round(people * share * rng.uniform(0.12, 0.2), -2))])
    population = write_csv("censtatd-population-by-district-2025.csv",
                           ["district_en", "district_zh", "region_en", "region_zh", "population",
                            "male", "female", "land_area_km2", "density_per_km2"], rows)
    dataset(
        "population-by-district-council-district", "hk-censtatd",
        ("Population by District Council District", "按區議會分區劃分的人口"),
        ("Mid-year population of each of the 18 District Council districts, by sex, with land "
         "area and population density.",
         "全港18個區議會分區的年中人口（按性別劃分），以及陸地面積和人口密度。"),
        ["population"], ["population", "district", "statistics"], "annual",
        "Modelled on the Census and Statistics Department's population estimates.",
        [resource(population, "Mid-2025 estimates", "2025年年中估計",
                  "One row per district.", "每區一行。", "CSV")])

    ages = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
            "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+"]
    weights = [2.4, 3.6, 4.1, 4.0, 4.6, 5.8, 6.9, 7.4, 7.8, 7.5, 7.6, 8.2, 8.4, 7.2, 5.6, 3.6,
               2.6, 2.9]
    rows = []
    for age, weight in zip(ages, weights):
        total = 7_520 * weight / sum(weights)
        female = total * (0.53 if age not in ("0-4", "5-9", "10-14", "15-19") else 0.486)
        rows.append([age, round(total - female, 1), round(female, 1), round(total, 1)])
    ages_file = write_csv("censtatd-population-by-age-sex-2025.csv",
                          ["age_group", "male_thousands", "female_thousands", "total_thousands"],
                          rows)
    dataset(
        "population-by-age-group-and-sex", "hk-censtatd",
        ("Population by Age Group and Sex", "按年齡組別及性別劃分的人口"),
        ("Mid-year population in thousands by five-year age group and sex.",
         "按五歲年齡組別及性別劃分的年中人口（千人）。"),
        ["population"], ["population", "age", "statistics"], "annual",
        "Modelled on the Census and Statistics Department's population estimates.",
        [resource(ages_file, "Mid-2025 estimates", "2025年年中估計",
                  "One row per age group.", "每個年齡組別一行。", "CSV")])

    older = write_csv("censtatd-elderly-population-by-district-2025.csv",
                      ["district_en", "district_zh", "aged_65_plus", "share_pct",
                       "living_alone"], elderly)
    dataset(
        "elderly-population-by-district", "hk-censtatd",
        ("Population Aged 65 and Over by District", "各區65歲及以上人口"),
        ("Residents aged 65 and over in each district, their share of the district population, "
         "and the number living alone, for planning elderly services.",
         "各區65歲及以上居民人數、佔區內人口的百分比及獨居人數，供規劃安老服務之用。"),
        ["social-welfare", "population"], ["elderly", "ageing", "district", "statistics"],
        "annual", "Modelled on the Census and Statistics Department's thematic reports.",
        [resource(older, "Mid-2025 estimates", "2025年年中估計",
                  "One row per district.", "每區一行。", "CSV")])

    rows = []
    rate = 3.1
    for offset in range(24):
        end = 2023 * 12 + 11 + offset  # months since year 0, zero-based month
        start = end - 2
        period = (f"{start // 12}-{start % 12 + 1:02d} to {end // 12}-{end % 12 + 1:02d}")
        rate = min(4.2, max(2.6, rate + rng.uniform(-0.1, 0.12)))
        force = 3_780 + rng.uniform(-20, 20)
        rows.append([period, round(force, 1),
                     round(force * rate / 100, 1), round(rate, 1), round(rate * 0.37, 1)])
    labour = write_csv("censtatd-labour-force-unemployment.csv",
                       ["period", "labour_force_thousands", "unemployed_thousands",
                        "unemployment_rate_pct", "underemployment_rate_pct"], rows)
    dataset(
        "labour-force-and-unemployment", "hk-censtatd",
        ("Labour Force, Unemployment and Underemployment", "勞動人口、失業及就業不足"),
        ("Seasonally adjusted unemployment rate and underemployment rate for rolling three-month "
         "periods, with the size of the labour force and the number unemployed.",
         "以三個月移動期計算的經季節性調整失業率及就業不足率，以及勞動人口和失業人數。"),
        ["employment-and-labour"], ["employment", "unemployment", "statistics"], "monthly",
        "Modelled on the Census and Statistics Department's General Household Survey.",
        [resource(labour, "Rolling three-month periods", "三個月移動期",
                  "One row per three-month period.", "每個三個月期一行。", "CSV")])

    foods = [("Pork, lean", "瘦豬肉", "kg", 92), ("Chilled chicken", "冰鮮雞", "kg", 58),
             ("Grass carp", "鯇魚", "kg", 54), ("Flowering cabbage (choi sum)", "菜心", "kg", 24),
             ("Chinese white cabbage (bok choy)", "白菜", "kg", 19), ("Tomatoes", "番茄", "kg", 22),
             ("Hen eggs", "雞蛋", "10 eggs", 21), ("Oranges", "橙", "each", 5.5),
             ("Beef, fresh", "新鮮牛肉", "kg", 210), ("Rice, Thai fragrant", "泰國香米", "kg", 16)]
    rows = []
    for offset in range(12):
        year, month = divmod(2024 * 12 + 10 + offset, 12)
        for en, zh, unit, price in foods:
            seasonal = 1 + 0.06 * math.sin((month + 1) / 12 * 2 * math.pi)
            rows.append([f"{year}-{month + 1:02d}", en, zh, unit,
                         f"{price * seasonal * rng.uniform(0.95, 1.06):.2f}"])
    food = write_csv("censtatd-fresh-food-retail-prices.csv",
                     ["month", "item_en", "item_zh", "unit", "average_price_hkd"], rows)
    dataset(
        "average-retail-prices-fresh-food", "hk-censtatd",
        ("Average Retail Prices of Selected Fresh Foods", "選定新鮮食品的平均零售價格"),
        ("Monthly average retail prices in Hong Kong dollars of selected fresh foods sold in "
         "markets and supermarkets: meat, fish, vegetables, eggs, fruit and rice.",
         "街市及超級市場出售的選定新鮮食品（肉類、魚類、蔬菜、雞蛋、水果及米）的每月平均零售價格（港元）。"),
        ["food", "commerce-and-industry"], ["food", "prices", "statistics"], "monthly",
        "Modelled on the Census and Statistics Department's price surveys.",
        [resource(food, "Monthly prices, last 12 months", "每月價格（過去12個月）",
                  "One row per item per month.", "每項食品每月一行。", "CSV")])

    types = [("Public rental housing", "公營租住房屋", 0.30), ("Subsidised sale flats", "資助出售單位", 0.16),
             ("Private permanent housing", "私人永久性房屋", 0.53), ("Non-domestic and temporary", "非住宅及臨時房屋", 0.01)]
    rows = []
    for (en, zh, *_), people in zip(DISTRICTS, POPULATION):
        households = people / 2.7
        mix = [rng.uniform(0.4, 1.6) * share for *_names, share in types]
        total = sum(mix)
        for (type_en, type_zh, _), part in zip(types, mix):
            rows.append([en, zh, type_en, type_zh, int(round(households * part / total, -2))])
    housing = write_csv("censtatd-households-by-housing-type-2025.csv",
                        ["district_en", "district_zh", "housing_type_en", "housing_type_zh",
                         "domestic_households"], rows)
    dataset(
        "domestic-households-by-housing-type", "hk-censtatd",
        ("Domestic Households by District and Type of Housing", "按區議會分區及房屋類型劃分的住戶數目"),
        ("Number of domestic households in each district by type of housing: public rental "
         "housing, subsidised sale flats, private permanent housing, and non-domestic or "
         "temporary housing.",
         "各區按房屋類型（公營租住房屋、資助出售單位、私人永久性房屋、非住宅及臨時房屋）劃分的住戶數目。"),
        ["housing", "population"], ["housing", "households", "district", "statistics"], "annual",
        "Modelled on the Census and Statistics Department's household statistics.",
        [resource(housing, "Mid-2025 estimates", "2025年年中估計",
                  "One row per district and housing type.", "每區每種房屋類型一行。", "CSV")])

    rows = []
    for year in range(2016, 2026):
        for en, zh, *_ in DISTRICTS:
            rows.append([year, en, zh, rng.choice([0, 0, 0, rng.randint(40, 2600)])])
    completions = write_csv("censtatd-private-domestic-completions.csv",
                            ["year", "district_en", "district_zh", "units_completed"], rows)
    dataset(
        "private-domestic-completions-by-district", "hk-censtatd",
        ("Completions of Private Domestic Units by District", "各區私人住宅單位落成量"),
        ("Private domestic units completed each year in each district, counted when the "
         "occupation permit is issued.",
         "各區每年落成的私人住宅單位數目，以發出佔用許可證時計算。"),
        ["development", "housing"], ["housing", "development", "construction", "statistics"],
        "annual", "Modelled on published housing supply statistics.",
        [resource(completions, "2016 to 2025", "2016年至2025年",
                  "One row per year and district.", "每年每區一行。", "CSV")])

    outlets = [("All retail outlets", "所有零售商號"), ("Food, alcoholic drinks and tobacco", "食品、酒類飲品及煙草"),
               ("Supermarkets", "超級市場"), ("Jewellery, watches and valuable gifts", "珠寶首飾、鐘錶及名貴禮物"),
               ("Clothing and footwear", "衣物及鞋類"), ("Electrical goods", "電器及攝影器材"),
               ("Medicines and cosmetics", "藥物及化妝品")]
    rows = []
    for offset in range(24):
        year, month = divmod(2023 * 12 + 10 + offset, 12)
        for en, zh in outlets:
            rows.append([f"{year}-{month + 1:02d}", en, zh,
                         round(rng.uniform(78, 104) + (4 if month in (0, 11) else 0), 1)])
    retail = write_csv("censtatd-retail-sales-value-index.csv",
                       ["month", "outlet_type_en", "outlet_type_zh", "value_index_2019_100"], rows)
    dataset(
        "retail-sales-value-index", "hk-censtatd",
        ("Retail Sales Value Index by Type of Outlet", "按零售商號類別劃分的零售業總銷貨價值指數"),
        ("Monthly value index of retail sales by type of retail outlet, 2019 = 100.",
         "按零售商號類別劃分的每月零售業總銷貨價值指數（2019年＝100）。"),
        ["commerce-and-industry"], ["retail", "economy", "statistics"], "monthly",
        "Modelled on the Census and Statistics Department's retail sales survey.",
        [resource(retail, "Monthly index, last 24 months", "每月指數（過去24個月）",
                  "One row per month and outlet type.", "每月每類商號一行。", "CSV")])

    levels = [("Kindergarten", "幼稚園", 150), ("Primary", "小學", 330), ("Secondary", "中學", 310),
              ("Post-secondary (sub-degree)", "專上（副學位）", 40), ("Undergraduate", "學士學位課程", 100),
              ("Postgraduate", "研究院課程", 45)]
    rows = []
    for year in range(2016, 2026):
        for en, zh, thousands in levels:
            trend = 1 - 0.012 * (year - 2016) if en in ("Kindergarten", "Primary") else 1
            rows.append([f"{year}/{(year + 1) % 100:02d}", en, zh,
                         round(thousands * trend * rng.uniform(0.97, 1.03), 1)])
    enrolment = write_csv("censtatd-student-enrolment-by-level.csv",
                          ["school_year", "level_en", "level_zh", "students_thousands"], rows)
    dataset(
        "student-enrolment-by-level", "hk-censtatd",
        ("Full-time Student Enrolment by Level of Education", "按教育程度劃分的全日制學生人數"),
        ("Full-time students enrolled in each school year, in thousands, from kindergarten to "
         "postgraduate programmes.",
         "每個學年由幼稚園至研究院課程的全日制學生人數（千人）。"),
        ["education"], ["education", "students", "schools", "statistics"], "annual",
        "Modelled on published education statistics.",
        [resource(enrolment, "School years 2016/17 to 2025/26", "2016/17至2025/26學年",
                  "One row per school year and level.", "每學年每個教育程度一行。", "CSV")])


# --- Leisure and Cultural Services Department ---------------------------------------------

LIBRARIES = [
    ("Hong Kong Central Library", "香港中央圖書館", "Wan Chai", 114.1905, 22.2800, "Causeway Bay", "銅鑼灣"),
    ("City Hall Public Library", "大會堂公共圖書館", "Central and Western", 114.1615, 22.2823, "Central", "中環"),
    ("Smithfield Public Library", "士美菲路公共圖書館", "Central and Western", 114.1290, 22.2835, "Kennedy Town", "堅尼地城"),
    ("Lockhart Road Public Library", "駱克道公共圖書館", "Wan Chai", 114.1778, 22.2790, "Wan Chai", "灣仔"),
    ("North Point Public Library", "北角公共圖書館", "Eastern", 114.1990, 22.2905, "North Point", "北角"),
    ("Quarry Bay Public Library", "鰂魚涌公共圖書館", "Eastern", 114.2130, 22.2870, "Quarry Bay", "鰂魚涌"),
    ("Chai Wan Public Library", "柴灣公共圖書館", "Eastern", 114.2370, 22.2650, "Chai Wan", "柴灣"),
    ("Aberdeen Public Library", "香港仔公共圖書館", "Southern", 114.1540, 22.2485, "Aberdeen", "香港仔"),
    ("Stanley Public Library", "赤柱公共圖書館", "Southern", 114.2120, 22.2185, "Stanley", "赤柱"),
    ("Kowloon Public Library", "九龍公共圖書館", "Kowloon City", 114.1790, 22.3140, "Ho Man Tin", "何文田"),
    ("To Kwa Wan Public Library", "土瓜灣公共圖書館", "Kowloon City", 114.1890, 22.3185, "To Kwa Wan", "土瓜灣"),
    ("Tsim Sha Tsui Public Library", "尖沙咀公共圖書館", "Yau Tsim Mong", 114.1740, 22.2990, "Tsim Sha Tsui", "尖沙咀"),
    ("Yau Ma Tei Public Library", "油麻地公共圖書館", "Yau Tsim Mong", 114.1700, 22.3080, "Yau Ma Tei", "油麻地"),
    ("Shek Kip Mei Public Library", "石硤尾公共圖書館", "Sham Shui Po", 114.1660, 22.3330, "Shek Kip Mei", "石硤尾"),
    ("Lai Chi Kok Public Library", "荔枝角公共圖書館", "Sham Shui Po", 114.1480, 22.3380, "Lai Chi Kok", "荔枝角"),
    ("Wong Tai Sin Public Library", "黃大仙公共圖書館", "Wong Tai Sin", 114.1945, 22.3420, "Wong Tai Sin", "黃大仙"),
    ("Tsz Wan Shan Public Library", "慈雲山公共圖書館", "Wong Tai Sin", 114.2015, 22.3490, "Tsz Wan Shan", "慈雲山"),
    ("Kwun Tong Public Library", "觀塘公共圖書館", "Kwun Tong", 114.2245, 22.3115, "Kwun Tong", "觀塘"),
    ("Ngau Tau Kok Public Library", "牛頭角公共圖書館", "Kwun Tong", 114.2175, 22.3170, "Ngau Tau Kok", "牛頭角"),
    ("Lam Tin Public Library", "藍田公共圖書館", "Kwun Tong", 114.2365, 22.3075, "Lam Tin", "藍田"),
    ("Kwai Chung Public Library", "葵涌公共圖書館", "Kwai Tsing", 114.1305, 22.3575, "Kwai Fong", "葵芳"),
    ("Tsing Yi Public Library", "青衣公共圖書館", "Kwai Tsing", 114.1040, 22.3575, "Tsing Yi", "青衣"),
    ("Tsuen Wan Public Library", "荃灣公共圖書館", "Tsuen Wan", 114.1160, 22.3715, "Tsuen Wan", "荃灣"),
    ("Tuen Mun Public Library", "屯門公共圖書館", "Tuen Mun", 113.9745, 22.3925, "Tuen Mun", "屯門"),
    ("Yuen Long Public Library", "元朗公共圖書館", "Yuen Long", 114.0270, 22.4455, "Yuen Long", "元朗"),
    ("Tin Shui Wai Public Library", "天水圍公共圖書館", "Yuen Long", 114.0010, 22.4620, "Tin Shui Wai", "天水圍"),
    ("Fanling Public Library", "粉嶺公共圖書館", "North", 114.1400, 22.4920, "Fanling", "粉嶺"),
    ("Sheung Shui Public Library", "上水公共圖書館", "North", 114.1285, 22.5030, "Sheung Shui", "上水"),
    ("Tai Po Public Library", "大埔公共圖書館", "Tai Po", 114.1700, 22.4470, "Tai Po", "大埔"),
    ("Sha Tin Public Library", "沙田公共圖書館", "Sha Tin", 114.1880, 22.3800, "Sha Tin", "沙田"),
    ("Ma On Shan Public Library", "馬鞍山公共圖書館", "Sha Tin", 114.2290, 22.4250, "Ma On Shan", "馬鞍山"),
    ("Sai Kung Public Library", "西貢公共圖書館", "Sai Kung", 114.2720, 22.3820, "Sai Kung", "西貢"),
    ("Tseung Kwan O Public Library", "將軍澳公共圖書館", "Sai Kung", 114.2605, 22.3150, "Tseung Kwan O", "將軍澳"),
    ("Tung Chung Public Library", "東涌公共圖書館", "Islands", 113.9425, 22.2895, "Tung Chung", "東涌"),
    ("Cheung Chau Public Library", "長洲公共圖書館", "Islands", 114.0285, 22.2100, "Cheung Chau", "長洲"),
]


def lcsd() -> None:
    rows = []
    for en, zh, district, lon, lat, area_en, area_zh in LIBRARIES:
        easting, northing = _to_hk80.transform(lon, lat)
        kind = "Major library" if "Central" in en or en.startswith(("Kowloon", "Sha Tin",
                                                                    "Tuen Mun")) else "District library"
        kind_zh = "主要圖書館" if kind == "Major library" else "分區圖書館"
        rows.append([en, zh, kind, kind_zh, district, DISTRICT_ZH[district], area_en, area_zh,
                     round(easting), round(northing),
                     "10:00-21:00" if kind == "Major library" else "10:00-20:00"])
    libraries = write_csv("lcsd-public-libraries.csv",
                          ["library_en", "library_zh", "type_en", "type_zh", "district_en",
                           "district_zh", "area_en", "area_zh", "easting", "northing",
                           "opening_hours"], rows)
    dataset(
        "public-libraries", "hk-lcsd",
        ("Public Libraries", "公共圖書館"),
        ("Static public libraries with their district and area, opening hours and location as "
         "Hong Kong 1980 Grid easting and northing in metres (EPSG:2326).",
         "固定公共圖書館的所屬地區、位置、開放時間，以及以香港1980方格網東距及北距（米，EPSG:2326）表示的位置。"),
        ["recreation-and-culture", "education"], ["library", "books", "culture", "hk1980"],
        "irregular", "Modelled on the Leisure and Cultural Services Department's library list.",
        [resource(libraries, "Library list with HK1980 grid coordinates",
                  "圖書館名單（附香港1980方格網座標）", "One row per library.", "每間圖書館一行。",
                  "CSV")],
        bbox([(lib[3], lib[4]) for lib in LIBRARIES]))

    museums = [("Hong Kong Museum of Art", "香港藝術館", 45_000),
               ("Hong Kong Museum of History", "香港歷史博物館", 52_000),
               ("Hong Kong Science Museum", "香港科學館", 78_000),
               ("Hong Kong Space Museum", "香港太空館", 70_000),
               ("Hong Kong Heritage Museum", "香港文化博物館", 38_000),
               ("Hong Kong Museum of Coastal Defence", "香港海防博物館", 9_000),
               ("Dr Sun Yat-sen Museum", "孫中山紀念館", 6_500),
               ("Hong Kong Film Archive", "香港電影資料館", 12_000)]
    rows = []
    for offset in range(12):
        year, month = divmod(2024 * 12 + 10 + offset, 12)
        holiday = 1.25 if month in (0, 1, 6, 7, 11) else 1.0
        for en, zh, visits in museums:
            rows.append([f"{year}-{month + 1:02d}", en, zh,
                         round(visits * holiday * rng.uniform(0.8, 1.2))])
    attendance = write_csv("lcsd-museum-attendance.csv",
                           ["month", "museum_en", "museum_zh", "attendance"], rows)
    dataset(
        "museum-attendance", "hk-lcsd",
        ("Museum Attendance", "博物館入場人次"),
        ("Monthly attendance at museums managed by the Leisure and Cultural Services Department.",
         "康樂及文化事務署轄下博物館的每月入場人次。"),
        ["recreation-and-culture"], ["museum", "culture", "attendance", "statistics"], "monthly",
        "Modelled on the Leisure and Cultural Services Department's attendance figures.",
        [resource(attendance, "Monthly attendance, last 12 months", "每月入場人次（過去12個月）",
                  "One row per museum per month.", "每間博物館每月一行。", "CSV")])

    pools = [("Victoria Park Swimming Pool", "維多利亞公園游泳池", "Wan Chai"),
             ("Kennedy Town Swimming Pool", "堅尼地城游泳池", "Central and Western"),
             ("Morrison Hill Swimming Pool", "摩利臣山游泳池", "Wan Chai"),
             ("Chai Wan Swimming Pool", "柴灣游泳池", "Eastern"),
             ("Kowloon Park Swimming Pool", "九龍公園游泳池", "Yau Tsim Mong"),
             ("Sham Shui Po Park Swimming Pool", "深水埗公園游泳池", "Sham Shui Po"),
             ("Kwun Tong Swimming Pool", "觀塘游泳池", "Kwun Tong"),
             ("Morse Park Swimming Pool", "摩士公園游泳池", "Wong Tai Sin"),
             ("Kwai Chung Swimming Pool", "葵涌游泳池", "Kwai Tsing"),
             ("Tsuen Wan Swimming Pool", "荃灣游泳池", "Tsuen Wan"),
             ("Tuen Mun Swimming Pool", "屯門游泳池", "Tuen Mun"),
             ("Yuen Long Swimming Pool", "元朗游泳池", "Yuen Long"),
             ("Tai Po Swimming Pool", "大埔游泳池", "Tai Po"),
             ("Sha Tin Jockey Club Swimming Pool", "沙田賽馬會游泳池", "Sha Tin"),
             ("Tseung Kwan O Swimming Pool", "將軍澳游泳池", "Sai Kung"),
             ("Tung Chung Swimming Pool", "東涌游泳池", "Islands")]
    features, points = [], []
    lookup = {d[0]: d for d in DISTRICTS}
    for index, (en, zh, district) in enumerate(pools):
        lon, lat = jitter(lookup[district][4], lookup[district][5], 900)
        heated = rng.random() < 0.6
        features.append(point(lon, lat, {
            "id": f"POOL{index + 1:03d}", "name_en": en, "name_zh": zh,
            "district_en": district, "district_zh": DISTRICT_ZH[district],
            "heated_indoor_pool": heated, "open_in_winter": heated,
            "main_pool_length_m": rng.choice([25, 50, 50]),
        }))
        points.append((lon, lat))
    pools_file = write_geojson("lcsd-public-swimming-pools.geojson", features)
    dataset(
        "public-swimming-pools", "hk-lcsd",
        ("Public Swimming Pools", "公眾游泳池"),
        ("Public swimming pool complexes with their district, whether they have a heated indoor "
         "pool open in winter, and the length of the main pool.",
         "公眾游泳池場館的所屬地區、是否設有冬季開放的室內暖水池，以及主池長度。"),
        ["recreation-and-culture"], ["swimming", "sports", "leisure"], "irregular",
        "Modelled on the Leisure and Cultural Services Department's venue list.",
        [resource(pools_file, "Swimming pools (GeoJSON)", "游泳池（GeoJSON）",
                  "One point feature per pool complex.", "每個游泳池場館一個點要素。", "GeoJSON")],
        bbox(points))


# --- Digital Policy Office ----------------------------------------------------------------

def dpo() -> None:
    venues = [("Public library", "公共圖書館"), ("Sports centre", "體育館"), ("Park", "公園"),
              ("Community hall", "社區會堂"), ("Cooked food centre", "熟食中心"),
              ("Public transport interchange", "公共運輸交匯處"), ("Government office", "政府辦公大樓"),
              ("Municipal services building", "市政大廈"), ("Ferry pier", "渡輪碼頭")]
    features, points = [], []
    for index in range(90):
        en, zh, _r, _rz, lon, lat = DISTRICTS[index % 18]
        lon, lat = jitter(lon, lat, 2200)
        venue_en, venue_zh = venues[rng.randrange(len(venues))]
        features.append(point(lon, lat, {
            "id": f"WIFIHK{index + 1:05d}", "venue_type_en": venue_en, "venue_type_zh": venue_zh,
            "location_en": f"{en} {venue_en} {index // 18 + 1}",
            "location_zh": f"{zh}{venue_zh}{index // 18 + 1}",
            "district_en": en, "district_zh": zh, "ssid": "Wi-Fi.HK via GOV",
            "hotspots": rng.randint(1, 12),
        }))
        points.append((lon, lat))
    wifi = write_geojson("dpo-wifi-hk-hotspots.geojson", features)
    dataset(
        "wi-fi-hk-hotspots", "hk-dpo",
        ("Wi-Fi.HK Hotspots at Government Venues", "政府場地的 Wi-Fi.HK 熱點"),
        ("Locations offering free public Wi-Fi under the Wi-Fi.HK brand at government venues, "
         "with the venue type and number of hotspots. Points in WGS 84.",
         "政府場地內以 Wi-Fi.HK 品牌提供免費公共 Wi-Fi 的位置、場地類別及熱點數目。座標採用 WGS 84。"),
        ["information-technology-and-broadcasting"], ["wi-fi", "internet", "digital"], "monthly",
        "Modelled on the Digital Policy Office's Wi-Fi.HK location list.",
        [resource(wifi, "Hotspot locations (GeoJSON)", "熱點位置（GeoJSON）",
                  "One point feature per location.", "每個地點一個點要素。", "GeoJSON")],
        bbox(points))

    holidays = [
        ("2025-01-01", "The first day of January", "一月一日"),
        ("2025-01-29", "Lunar New Year's Day", "農曆年初一"),
        ("2025-01-30", "The second day of Lunar New Year", "農曆年初二"),
        ("2025-01-31", "The third day of Lunar New Year", "農曆年初三"),
        ("2025-04-04", "Ching Ming Festival", "清明節"),
        ("2025-04-18", "Good Friday", "耶穌受難節"),
        ("2025-04-19", "The day following Good Friday", "耶穌受難節翌日"),
        ("2025-04-21", "Easter Monday", "復活節星期一"),
        ("2025-05-01", "Labour Day", "勞動節"),
        ("2025-05-05", "The Birthday of the Buddha", "佛誕"),
        ("2025-05-31", "Tuen Ng Festival", "端午節"),
        ("2025-07-01", "Hong Kong Special Administrative Region Establishment Day",
         "香港特別行政區成立紀念日"),
        ("2025-10-01", "National Day", "國慶日"),
        ("2025-10-07", "The day following the Chinese Mid-Autumn Festival", "中秋節翌日"),
        ("2025-10-29", "Chung Yeung Festival", "重陽節"),
        ("2025-12-25", "Christmas Day", "聖誕節"),
        ("2025-12-26", "The first weekday after Christmas Day", "聖誕節後第一個周日"),
    ]
    weekday_zh = "一二三四五六日"
    rows = []
    for day, en, zh in holidays:
        when = date.fromisoformat(day)
        rows.append([day, when.strftime("%A"), f"星期{weekday_zh[when.weekday()]}", en, zh])
    header = ["date", "weekday_en", "weekday_zh", "holiday_en", "holiday_zh"]
    holidays_csv = write_csv("dpo-general-holidays-2025.csv", header, rows)
    holidays_json = write_json("dpo-general-holidays-2025.json",
                               [dict(zip(header, row)) for row in rows])
    dataset(
        "general-holidays", "hk-dpo",
        ("General Holidays in Hong Kong", "香港公眾假期"),
        ("The general holidays of the year with their dates and weekdays in English and "
         "Chinese. Sundays are also general holidays and are not listed.",
         "本年度的公眾假期日期及星期，備有中英文名稱。星期日亦為公眾假期，不另列出。"),
        ["miscellaneous"], ["holidays", "calendar"], "annual",
        "Modelled on the general holidays list published for Hong Kong.",
        [resource(holidays_csv, "General holidays 2025 (CSV)", "2025年公眾假期（CSV）",
                  "One row per holiday.", "每個假期一行。", "CSV"),
         resource(holidays_json, "General holidays 2025 (JSON)", "2025年公眾假期（JSON）",
                  "The same list as a JSON array.", "以 JSON 陣列提供的同一名單。", "JSON")])

    rows = []
    users = 2_650_000
    services = 330
    for offset in range(24):
        year, month = divmod(2023 * 12 + 10 + offset, 12)
        new = rng.randint(28_000, 61_000)
        users += new
        services += rng.randint(0, 8)
        rows.append([f"{year}-{month + 1:02d}", new, users, services,
                     rng.randint(4_800_000, 7_900_000)])
    iam = write_csv("dpo-iam-smart-usage.csv",
                    ["month", "new_registrations", "registered_users", "e_services_supported",
                     "logins"], rows)
    dataset(
        "iam-smart-registrations-and-usage", "hk-dpo",
        ("iAM Smart Registrations and Usage", "「智方便」登記及使用情況"),
        ("Monthly new registrations for iAM Smart, the total number of registered users, the "
         "number of e-services that accept it and the number of logins.",
         "「智方便」每月新登記人數、累計登記用戶、支援的電子服務數目及登入次數。"),
        ["information-technology-and-broadcasting"], ["digital government", "e-services",
                                                      "statistics"],
        "monthly", "Modelled on published iAM Smart usage figures.",
        [resource(iam, "Monthly figures, last 24 months", "每月數字（過去24個月）",
                  "One row per month.", "每月一行。", "CSV")])

    devices = ["air quality sensor", "meteorological sensor", "Wi-Fi", "Bluetooth beacon",
               "radiation sensor", "5G base station"]
    areas = [("Kwun Tong", 114.2240, 22.3110), ("Kowloon City", 114.1990, 22.3230),
             ("Central and Western", 114.1570, 22.2830), ("Wan Chai", 114.1800, 22.2790),
             ("Sha Tin", 114.1890, 22.3830), ("Tseung Kwan O", 114.2600, 22.3100)]
    features, points = [], []
    for index in range(60):
        district, lon, lat = areas[index % len(areas)]
        lon, lat = jitter(lon, lat, 700)
        district = "Sai Kung" if district == "Tseung Kwan O" else district
        fitted = sorted(rng.sample(devices, rng.randint(1, 3)))
        features.append(point(lon, lat, {
            "lamppost_id": f"SLP-{index + 1:04d}", "district_en": district,
            "district_zh": DISTRICT_ZH[district], "devices": "; ".join(fitted),
            "installed": f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}",
        }))
        points.append((lon, lat))
    lampposts = write_geojson("dpo-smart-lampposts.geojson", features)
    dataset(
        "multi-functional-smart-lampposts", "hk-dpo",
        ("Multi-functional Smart Lampposts", "多功能智慧燈柱"),
        ("Positions of multi-functional smart lampposts, the devices fitted to each (air quality "
         "and weather sensors, Wi-Fi, Bluetooth beacons, 5G) and when they were installed. The "
         "lampposts carry no cameras that identify people.",
         "多功能智慧燈柱的位置、各燈柱安裝的裝置（空氣質素及氣象感應器、Wi-Fi、藍牙定位器、5G）及安裝日期。"
         "燈柱並無安裝可識別個人身分的攝影機。"),
        ["city-management", "information-technology-and-broadcasting"],
        ["smart city", "sensors", "lamppost"], "quarterly",
        "Modelled on the smart lamppost pilot scheme's published locations.",
        [resource(lampposts, "Lamppost positions (GeoJSON)", "燈柱位置（GeoJSON）",
                  "One point feature per lamppost.", "每支燈柱一個點要素。", "GeoJSON")],
        bbox(points))


# --- Efficiency Office (1823) -------------------------------------------------------------

def effo() -> None:
    categories = [
        ("Environmental hygiene", "環境衞生", "Food and Environmental Hygiene Department", "食物環境衞生署", 21_000),
        ("Street obstruction", "街道阻塞", "Lands Department", "地政總署", 6_200),
        ("Road maintenance", "道路維修", "Highways Department", "路政署", 5_400),
        ("Tree management", "樹木管理", "Development Bureau", "發展局", 3_100),
        ("Water seepage", "滲水", "Food and Environmental Hygiene Department", "食物環境衞生署", 4_700),
        ("Illegal parking", "違例泊車", "Hong Kong Police Force", "香港警務處", 3_900),
        ("Noise nuisance", "噪音滋擾", "Environmental Protection Department", "環境保護署", 2_600),
        ("Building safety", "樓宇安全", "Buildings Department", "屋宇署", 3_300),
        ("Water supply", "供水", "Water Supplies Department", "水務署", 4_100),
        ("Public transport", "公共交通", "Transport Department", "運輸署", 3_600),
        ("Leisure venues", "康樂場地", "Leisure and Cultural Services Department", "康樂及文化事務署", 2_900),
        ("Pest control", "防治蟲鼠", "Food and Environmental Hygiene Department", "食物環境衞生署", 2_400),
        ("Slope safety", "斜坡安全", "Civil Engineering and Development Department", "土木工程拓展署", 700),
        ("Drainage blockage", "渠道淤塞", "Drainage Services Department", "渠務署", 1_800),
        ("Government forms and services", "政府表格及服務", "Efficiency Office", "效率促進辦公室", 9_500),
    ]
    rows = []
    for offset in range(12):
        year, month = divmod(2024 * 12 + 10 + offset, 12)
        wet = 1.3 if month in (5, 6, 7, 8) else 1.0
        for en, zh, dept_en, dept_zh, volume in categories:
            weather = wet if en in ("Water seepage", "Drainage blockage", "Slope safety",
                                    "Tree management") else 1.0
            count = round(volume * weather * rng.uniform(0.85, 1.15))
            complaints = round(count * rng.uniform(0.35, 0.7))
            rows.append([f"{year}-{month + 1:02d}", en, zh, dept_en, dept_zh, count, complaints,
                         count - complaints])
    enquiries = write_csv("effo-1823-cases-by-category.csv",
                          ["month", "category_en", "category_zh", "department_en",
                           "department_zh", "cases", "complaints", "enquiries"], rows)
    dataset(
        "1823-cases-by-category", "hk-effo",
        ("1823 Enquiries and Complaints by Category", "1823 按類別劃分的查詢及投訴個案"),
        ("Monthly number of cases handled by 1823, the government's one-stop enquiry centre, by "
         "subject category and the department responsible, split into complaints and enquiries. "
         "Counts only: no caller details.",
         "政府一站式查詢中心1823每月處理的個案數目，按事項類別及負責部門劃分，並分為投訴及查詢。"
         "只載有數字，不含來電者資料。"),
        ["city-management"], ["1823", "complaints", "enquiries", "public services"], "monthly",
        "Modelled on the Efficiency Office's 1823 statistics.",
        [resource(enquiries, "Monthly cases, last 12 months", "每月個案（過去12個月）",
                  "One row per month and category.", "每月每個類別一行。", "CSV")])

    rows = []
    for offset in range(24):
        year, month = divmod(2023 * 12 + 10 + offset, 12)
        calls = rng.randint(190_000, 260_000)
        rows.append([f"{year}-{month + 1:02d}", calls, round(calls * rng.uniform(0.82, 0.92)),
                     round(rng.uniform(78, 93), 1), rng.randint(170, 260),
                     rng.randint(9_000, 16_000), rng.randint(14_000, 23_000)])
    service = write_csv("effo-1823-service-performance.csv",
                        ["month", "calls_received", "calls_answered",
                         "answered_within_12s_pct", "average_handling_time_s", "emails",
                         "mobile_app_cases"], rows)
    dataset(
        "1823-service-performance", "hk-effo",
        ("1823 Call Centre Service Performance", "1823 電話中心服務表現"),
        ("Calls received and answered by 1823 each month, the share answered within 12 seconds, "
         "average handling time, and cases received by email and mobile app.",
         "1823每月接聽的來電數目、於12秒內接聽的百分比、平均處理時間，以及經電郵和流動應用程式收到的個案。"),
        ["city-management", "information-technology-and-broadcasting"],
        ["1823", "call centre", "public services", "statistics"], "monthly",
        "Modelled on the Efficiency Office's 1823 performance pledges.",
        [resource(service, "Monthly performance, last 24 months", "每月表現（過去24個月）",
                  "One row per month.", "每月一行。", "CSV")])


# --- Harbour Demonstration Bank (fictional) -----------------------------------------------

def bank() -> None:
    rows, points = [], []
    for index in range(42):
        en, zh, _r, _rz, lon, lat = DISTRICTS[index % 18]
        lon, lat = jitter(lon, lat, 1500)
        branch = index % 3 == 0
        kind_en, kind_zh = ("Branch", "分行") if branch else ("ATM", "自動櫃員機")
        services = ["cash withdrawal"] + (["cash deposit"] if rng.random() < 0.6 else []) + (
            ["cheque deposit", "foreign exchange", "RMB services"] if branch else [])
        rows.append([f"HDB{index + 1:03d}", kind_en, kind_zh,
                     f"{en} {kind_en} {index // 18 + 1}", f"{zh}{kind_zh}{index // 18 + 1}",
                     en, zh, round(lat, 5), round(lon, 5), "; ".join(services),
                     "09:00-17:00 (Mon-Fri), 09:00-13:00 (Sat)" if branch else "24 hours"])
        points.append((lon, lat))
    outlets = write_csv("demo-bank-branches-atms.csv",
                        ["outlet_id", "type_en", "type_zh", "name_en", "name_zh", "district_en",
                         "district_zh", "latitude", "longitude", "services", "opening_hours"],
                        rows)
    dataset(
        "harbour-bank-branches-and-atms", "demo-bank",
        ("Harbour Demonstration Bank Branches and ATMs", "維港示範銀行分行及自動櫃員機"),
        ("Where to find the (fictional) Harbour Demonstration Bank's branches and ATMs, the "
         "services each offers and opening hours, with latitude and longitude.",
         "（虛構的）維港示範銀行分行及自動櫃員機的位置、服務及營業時間，並附經緯度。"),
        ["finance"], ["bank", "atm", "branch"], "monthly",
        "Published by a fictional bank to show how regulated firms share open data.",
        [resource(outlets, "Branches and ATMs", "分行及自動櫃員機",
                  "One row per outlet.", "每個服務點一行。", "CSV")],
        bbox(points))

    sectors = [("Retail and wholesale", "零售及批發"), ("Food and beverage", "餐飲"),
               ("Import and export trade", "進出口貿易"), ("Manufacturing", "製造業"),
               ("Logistics", "物流"), ("Professional services", "專業服務"),
               ("Information technology", "資訊科技"), ("Construction", "建造業")]
    rows = []
    for offset in range(12):
        year, month = divmod(2024 * 12 + 10 + offset, 12)
        for en, zh in sectors:
            applications = rng.randint(30, 190)
            approved = round(applications * rng.uniform(0.55, 0.88))
            rows.append([f"{year}-{month + 1:02d}", en, zh, applications, approved,
                         round(approved / applications * 100, 1),
                         round(approved * rng.uniform(0.6, 2.4), 1)])
    loans = write_csv("demo-bank-sme-loans.csv",
                      ["month", "sector_en", "sector_zh", "applications", "approved",
                       "approval_rate_pct", "amount_approved_hkd_million"], rows)
    dataset(
        "harbour-bank-sme-loan-approvals", "demo-bank",
        ("SME Loan Applications and Approvals by Sector", "按行業劃分的中小企貸款申請及批核"),
        ("Monthly small and medium-sized enterprise loan applications received and approved by "
         "the (fictional) Harbour Demonstration Bank, by business sector. Aggregates only.",
         "（虛構的）維港示範銀行每月按行業劃分收到及批核的中小企貸款申請。只載有匯總數字。"),
        ["finance", "commerce-and-industry"], ["sme", "loans", "bank", "statistics"], "monthly",
        "Published by a fictional bank to show how regulated firms share open data.",
        [resource(loans, "Monthly figures, last 12 months", "每月數字（過去12個月）",
                  "One row per month and sector.", "每月每個行業一行。", "CSV")])


def main() -> None:
    if FILES.exists():
        for old in FILES.iterdir():
            old.unlink()
    for section in (hko, epd, td, ha, censtatd, lcsd, dpo, effo, bank):
        section()
    manifest = {
        "about": {
            "en": "Demonstration open data catalogue for AI Plus. " + SYNTHETIC.split(" 由")[0],
            "zh-Hant": "AI Plus 示範開放數據目錄。由 AI Plus 團隊編寫的示範數據，並非官方數字。",
            "licence": "CC BY 4.0 (the data); see data/README.md",
            "generator": "data/opendata-demo/make_demo.py",
            "seed": SEED,
        },
        "organisations": ORGANISATIONS,
        "datasets": DATASETS,
    }
    (OUT / "catalogue.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"{len(DATASETS)} datasets, {sum(len(d['resources']) for d in DATASETS)} files, "
          f"{total / 1024:.0f} KiB in {OUT}")


if __name__ == "__main__":
    main()
