"""`hongfeng-rules serve`: the library as an HTTP service (optional extra `service`: FastAPI, uvicorn).

One module per idea: `config` (the YAML file), `auth` (hashed API keys, bearer tokens), `limits` (body
size, concurrency, time), `problems` (RFC 9457 error bodies with the CLI's lines), `metrics`
(Prometheus text), `accesslog` (JSON lines), `jobs` (the audits, run in worker processes), `workers` (those processes, driven from the event loop),
`audit_routes`, `catalog_routes`, `monitor_routes` with `monitor_store` and `webhook`, `app` (wiring)
and `server` (uvicorn). docs/service.md describes the API.
"""
