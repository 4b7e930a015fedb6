"""Error pages that say what happened and what to do, as a page or an htmx message."""
from flask import Response, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from .hx import fragment, is_htmx
from .safe_urls import same_site_referrer

MESSAGES = {
    400: ("That request could not be understood", "Go back and try again."),
    403: ("This page is not yours to see", "It belongs to another school. Your own pages are in the menu."),
    404: ("Page not found", "The page may have moved, or the link may be mistyped."),
    405: ("That cannot be done here", "Go back and try again."),
    413: ("That was too much to send",
          "A form holds at most a few spreadsheet cells of text. Shorten it and try again."),
    429: ("Too many requests", "Wait a minute, then try again."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Try again in a minute."),
}
NOT_FOR_YOU = "That is not open to you"
EXPIRED = (
    "This page has expired",
    "The form was open too long or you signed in elsewhere. Reload the page and try again; "
    "anything you typed will need typing again.",
)


def _answer(status, title, advice):
    if is_htmx():
        # Show the message in the page's message area instead of swapping it into the target.
        html = render_template("errors/_message.html", title=title, advice=advice)
        return fragment(html, retarget="#messages", reswap="innerHTML"), status
    # "Reload the page" goes back to the page of the form, only if that page is on this site:
    # a form posted from elsewhere must not get a link to wherever it came from.
    back = same_site_referrer(request) or url_for("plans.home")
    return render_template("errors/error.html", status=status, title=title, advice=advice, back=back), status


def register(app):
    @app.errorhandler(SecurityError)
    def unknown_host(error):
        # A Host that is not the hub's (TRUSTED_HOSTS): plain words, built from nothing the
        # request said. The page templates build URLs, which would ask the refused host again.
        return Response("This address is not the Partnership Hub's.\n", 400, mimetype="text/plain")

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _answer(400, *EXPIRED)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if request.path == "/healthz":
            return error
        title, advice = MESSAGES.get(error.code, (error.name, error.description))
        if error.code == 403 and error.description != type(error).description:
            # abort(403, description=...) says what this person's role cannot do.
            title, advice = NOT_FOR_YOU, error.description
        return _answer(error.code, title, advice)

    @app.errorhandler(500)
    def server_error(error):
        return _answer(500, *MESSAGES[500])
