def test_the_region_tree_has_the_province_its_11_cities_and_100_counties(api):
    (province,) = api.get("/api/v1/regions").get_json()
    assert (province["code"], province["name"]) == ("360000", "江西省")
    assert len(province["children"]) == 11
    assert sum(len(city["children"]) for city in province["children"]) == 100


def test_a_region_comes_with_its_parent_chain_and_children(api):
    body = api.get("/api/v1/regions/360113").get_json()
    assert (body["name"], body["short_name"], body["level"]) == ("红谷滩区", "红谷滩", "county")
    assert [p["code"] for p in body["parents"]] == ["360000", "360100"]
    city = api.get("/api/v1/regions/360700").get_json()
    assert "360704" in [c["code"] for c in city["children"]]  # 赣县区, current code


def test_an_unknown_region_returns_404(api):
    assert api.get("/api/v1/regions/999999").status_code == 404


def test_departments_are_listed_by_region_with_pagination(api):
    response = api.get("/api/v1/departments?region_code=360100&page_size=2")
    assert response.status_code == 200
    assert len(response.get_json()) == 2
    assert all(d["region_code"] == "360100" for d in response.get_json())
    assert '"total": 6' in response.headers["X-Pagination"]


def test_service_items_are_listed_by_department(api):
    items = api.get("/api/v1/service-items?department_code=360100-GAJ").get_json()
    assert [i["name"] for i in items] == ["居民身份证换领", "户口迁移", "机动车登记"]
