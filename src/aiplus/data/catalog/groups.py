"""DATA.GOV.HK's 19 categories, seeded as CKAN groups with their real ids (by migration)."""

from __future__ import annotations

import uuid

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("city-management", "City Management", "城市管理"),
    ("climate-and-weather", "Climate and Weather", "氣候及天氣"),
    ("commerce-and-industry", "Commerce and Industry", "工商業"),
    ("development", "Development", "發展"),
    ("education", "Education", "教育"),
    ("employment-and-labour", "Employment and Labour", "就業及勞工"),
    ("environment", "Environment", "環境"),
    ("finance", "Finance", "財經"),
    ("food", "Food", "食物"),
    ("health", "Health", "衞生"),
    ("housing", "Housing", "房屋"),
    ("information-technology-and-broadcasting", "Information Technology and Broadcasting",
     "資訊科技及廣播"),
    ("law-and-security", "Law and Security", "法律及保安"),
    ("legislature", "Legislature", "立法"),
    ("miscellaneous", "Miscellaneous", "其他"),
    ("population", "Population", "人口"),
    ("recreation-and-culture", "Recreation and Culture", "康樂及文化"),
    ("social-welfare", "Social Welfare", "社會福利"),
    ("transport", "Transport", "運輸"),
)


def group_id(name: str) -> str:
    """A stable id per category, the same on every installation."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"aiplus:group:{name}"))
