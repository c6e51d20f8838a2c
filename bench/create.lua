-- wrk script: durable creates.  Each request creates one item; the token
-- comes from the environment (LUOSHI_TOKEN).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LUOSHI_TOKEN")
wrk.body = '{"kind":"task","title":"基准新建事项","lead_unit_id":5,"deadline":"2030-06-30","feedback_cycle":"monthly"}'
