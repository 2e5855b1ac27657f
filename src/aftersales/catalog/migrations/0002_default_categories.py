"""The product categories the 三包 rules and the demo know, named in four languages."""

from django.db import migrations

CATEGORIES = [
    ("mobile-phone", {"en": "Mobile phones", "zh-hant": "手機", "zh-hans": "手机", "ko": "휴대폰"}),
    ("personal-computer", {"en": "Computers and laptops", "zh-hant": "電腦與筆電", "zh-hans": "电脑与笔记本",
                           "ko": "컴퓨터·노트북"}),
    ("flat-panel-tv", {"en": "Flat-panel TVs", "zh-hant": "平板電視", "zh-hans": "平板电视", "ko": "평판 TV"}),
    ("air-conditioner", {"en": "Air conditioners", "zh-hant": "冷氣機", "zh-hans": "空调", "ko": "에어컨"}),
    ("refrigerator", {"en": "Refrigerators", "zh-hant": "冰箱", "zh-hans": "冰箱", "ko": "냉장고"}),
    ("washing-machine", {"en": "Washing machines", "zh-hant": "洗衣機", "zh-hans": "洗衣机", "ko": "세탁기"}),
    ("household-car", {"en": "Cars", "zh-hant": "家用汽車", "zh-hans": "家用汽车", "ko": "승용차"}),
    ("cosmetics", {"en": "Cosmetics", "zh-hant": "化妝品", "zh-hans": "化妆品", "ko": "화장품"}),
    ("accessories", {"en": "Accessories", "zh-hant": "配件", "zh-hans": "配件", "ko": "액세서리"}),
    ("other", {"en": "Other products", "zh-hant": "其他商品", "zh-hans": "其他商品", "ko": "기타 상품"}),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("catalog", "ProductCategory")
    Name = apps.get_model("catalog", "ProductCategoryName")
    for code, names in CATEGORIES:
        category, _created = Category.objects.get_or_create(code=code)
        for language, name in names.items():
            Name.objects.get_or_create(category=category, language=language, defaults={"name": name})


def backwards(apps, schema_editor):
    Category = apps.get_model("catalog", "ProductCategory")
    Category.objects.filter(code__in=[c for c, _n in CATEGORIES], product_models__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
