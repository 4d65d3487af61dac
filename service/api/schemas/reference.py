"""Regions, departments and service items."""

from __future__ import annotations

from marshmallow import Schema, fields

from service.api.schemas.fields import REGION_CODE


class RegionBrief(Schema):
    code = fields.String()
    name = fields.String()
    short_name = fields.String()
    level = fields.String(metadata={"description": "province, city or county"})


class RegionNode(RegionBrief):
    children = fields.List(fields.Nested(lambda: RegionNode()))


class RegionDetail(RegionBrief):
    parent_code = fields.String(allow_none=True)
    parents = fields.List(
        fields.Nested(RegionBrief), metadata={"description": "From the province down."}
    )
    children = fields.List(fields.Nested(RegionBrief))


class DepartmentOut(Schema):
    code = fields.String()
    name = fields.String()
    region_code = fields.String()


class ServiceItemOut(Schema):
    code = fields.String()
    name = fields.String()
    department_code = fields.Function(lambda s: s.department.code)
    region_code = fields.Function(lambda s: s.department.region_code)


class DepartmentQuery(Schema):
    region_code = fields.String(validate=REGION_CODE)


class ServiceItemQuery(Schema):
    department_code = fields.String()
    region_code = fields.String(validate=REGION_CODE)
