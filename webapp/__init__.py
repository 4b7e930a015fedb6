"""Partnership Hub: the Flask app, built by ``create_app`` as a list of named steps."""
import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings

from . import transactions
from .extensions import csrf, db, htmx, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# A strict Content-Security-Policy: our own scripts and styles only, nothing inline.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(config=None, **overrides):
    """Build the app from a config class (default: the one HUB_CONFIG names)."""
    config = config or settings.from_environment()
    config.check()
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config)
    app.config.update(overrides)
    Path(app.instance_path).mkdir(exist_ok=True)

    configure_logging(app)
    register_extensions(app)
    hold_requests_to_partnerships(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_commands(app)
    trust_hosts(app)
    trust_proxies(app)
    start_scheduler(app)
    return app


def configure_logging(app):
    """One line a record, with its time and source, for the server log (the sync and
    the outbox log what they did there). A host's own logging set-up wins. The
    development server's request log, and the app's, never hold a feed's or a password
    link's secret."""
    from .log_secrets import hide_secrets

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    hide_secrets("werkzeug", app.logger.name)
    for chatty in ("weasyprint", "fontTools"):  # their steps are no news: a command's output is the hub's own
        logging.getLogger(chatty).setLevel(logging.WARNING)


def register_extensions(app):
    db.init_app(app)
    transactions.register(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    from .auth.sessions import configure_login_manager

    configure_login_manager(login_manager)
    from .auth import school_accounts

    school_accounts.init_app(app)


def hold_requests_to_partnerships(app):
    """Before any blueprint's own before_request: what a view reads is its partnership's."""
    from .partnership_scope import register

    register(app)


def register_blueprints(app):
    from .auth.routes import bp as auth_bp
    from .auth.school_accounts import bp as school_accounts_bp
    from .calendar.routes import bp as calendar_bp
    from .edits.routes import bp as edits_bp
    from .health.routes import bp as health_bp
    from .impact.routes import bp as impact_bp
    from .impact_forms.routes import bp as impact_forms_bp
    from .partnerships.routes import bp as partnerships_bp
    from .people.routes import bp as people_bp
    from .plans.routes import bp as plans_bp
    from .priorities.routes import bp as priorities_bp
    from .reviews.routes import bp as reviews_bp
    from .schools.routes import bp as schools_bp
    from .summaries.routes import bp as summaries_bp
    from .support.routes import bp as support_bp
    from .syncs.routes import bp as syncs_bp
    from .years.routes import bp as years_bp

    register_url_converters(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(school_accounts_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(edits_bp)
    app.register_blueprint(priorities_bp)
    app.register_blueprint(impact_bp)
    app.register_blueprint(syncs_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(schools_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(summaries_bp)
    app.register_blueprint(impact_forms_bp)
    app.register_blueprint(years_bp)
    app.register_blueprint(partnerships_bp)
    app.register_blueprint(support_bp)


def register_url_converters(app):
    """Before any blueprint adds its rules (register_blueprints calls it first): every
    <int:…> is an id the database can hold."""
    from .converters import DatabaseIdConverter

    app.url_map.converters["int"] = DatabaseIdConverter


def register_errorhandlers(app):
    from .errors import register

    register(app)


def register_template_helpers(app):
    from .templating import register

    register(app)


def register_security_headers(app):
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config["STRICT_TRANSPORT_SECURITY"]:
            response.headers.setdefault("Strict-Transport-Security", app.config["STRICT_TRANSPORT_SECURITY"])
        if response.mimetype == "text/html":
            # Pages about safeguarding must not linger in shared browsers' caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_commands(app):
    from .commands import register

    register(app)


def trust_hosts(app):
    """Requests for a host that is not the hub's are refused (400) before any view runs,
    unless the configuration names the hosts itself."""
    from .safe_urls import trusted_hosts

    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)


def trust_proxies(app):
    """Behind nginx or a load balancer, the client's own address limits its sign-ins.
    X-Forwarded-Host is never believed: nginx passes the Host it matched as Host."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)


def start_scheduler(app):
    if app.config["SCHEDULER_ENABLED"]:
        from .syncing import start_scheduler as start

        start(app)
