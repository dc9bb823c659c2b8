"""`creatorlens serve`: the dashboard and the REST API on one port (loopback by default)."""

from __future__ import annotations

from typing import Annotated

import typer

from creatorlens.cli._app import DEFAULT_DB, DbOption, app, console, open_workspace, user_errors

#: Bind addresses that mean "every interface": they name no host a browser would send.
_ANY_INTERFACE = ("0.0.0.0", "::", "")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="Interface to bind; 0.0.0.0 exposes it to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    lang: Annotated[
        str, typer.Option(help="Default UI language (en | ko); browsers may ask for another.")
    ] = "en",
    require_key_for_reads: Annotated[
        bool, typer.Option("--require-key-for-reads", help="Reads need an API key too.")
    ] = False,
    max_upload_mb: Annotated[
        float, typer.Option(min=0.001, help="Largest file POST /api/v1/ingest accepts.")
    ] = 50.0,
    search_cache: Annotated[
        int, typer.Option(min=0, help="Creator search pages kept in memory (0 = none).")
    ] = 2048,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(help="Allow this browser origin (CORS is off by default); repeatable."),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Also answer requests whose Host header is this name (loopback names and the "
            "--host address are allowed already; '*' allows any, '*.example.com' a domain); "
            "repeatable. Other Host values get 400 (a DNS-rebinding defence)."
        ),
    ] = None,
    max_concurrent_uploads: Annotated[
        int, typer.Option(min=1, help="Uploads ingested at once; more get 503 with Retry-After.")
    ] = 2,
) -> None:
    """Serve the dashboard (/) and the REST API (/api/v1, OpenAPI at /api/v1/docs)."""
    import uvicorn

    from creatorlens.web import create_app

    with user_errors():
        open_workspace(db, must_exist=True).close()
        web_app = create_app(
            db,
            api_keys_required_for_reads=require_key_for_reads,
            lang=lang,
            max_upload_bytes=int(max_upload_mb * 1024 * 1024),
            cors_origins=tuple(cors_origin or ()),
            search_cache_size=search_cache,
            allowed_hosts=allowed_hosts(host, allowed_host or ()),
            max_concurrent_uploads=max_concurrent_uploads,
        )
    console.print(f"creatorlens on http://{host}:{port}/  (API docs: http://{host}:{port}/api/v1/docs)")
    if host in _ANY_INTERFACE and not allowed_host:
        console.print(
            "note: requests must name this server as 127.0.0.1, localhost or [::1]; to reach it by "
            "another name or address, add --allowed-host NAME"
        )
    uvicorn.run(web_app, host=host, port=port, log_level="warning", access_log=False)


def allowed_hosts(bind: str, extra: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Host header values the server answers: loopback names, the bound address, and ``extra``."""
    from creatorlens.web._app import LOOPBACK_HOSTS

    hosts = list(LOOPBACK_HOSTS)
    if bind not in _ANY_INTERFACE:
        hosts.append(f"[{bind}]" if ":" in bind and not bind.startswith("[") else bind)
    hosts.extend(h.strip().lower() for h in extra if h.strip())
    return tuple(dict.fromkeys(hosts))
