def test_print_ops(app):
    doc = app.test_client().get("/api/openapi.json").get_json()
    import json
    out = {}
    for path, item in doc["paths"].items():
        if "/x/dropin" in path:
            out[path] = item
    json.dump({"paths": out, "schemas": doc["components"]["schemas"]}, open("/tmp/h6/openapi.json", "w"), indent=1)
    rules = sorted((sorted(r.methods - {"HEAD", "OPTIONS"}), r.rule, r.endpoint) for r in app.url_map.iter_rules() if "dropin" in r.rule)
    json.dump(rules, open("/tmp/h6/rules.json", "w"), indent=0)
