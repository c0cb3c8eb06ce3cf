"""The web UI: server-rendered pages (Jinja2) over the same services as the API, at ``/``.

How to add a page (say, items):

1. A module ``web/items.py`` with ``router = page_router()`` (``web.pages``), and the module
   added to ``PAGES`` in ``web/site.py``. Its section in the header:
   ``nav.register("Items", "/items", order=10)`` at the module's top (``needs=Role.admin``
   for an admin's section); only registered sections are linked.
2. A page is a plain function (it runs in a worker thread) of at most ten lines, as API
   routes are: ``def items_page(request: Request, session: DbSession, visit: Viewer)``.
   ``Viewer``, ``Clerk`` and ``Admin`` (``web.auth``) give the signed-in visit if its role is
   at least that (403 page otherwise; someone not signed in is sent to ``/sign-in``);
   ``visit.actor`` is the ``Actor`` to pass to services (a person: ``account_id`` set, so
   audit rows name them). ``DbSession`` is the request's session: a read transaction for GET,
   a write one for POST, committed when the page returns and rolled back when it raises.
3. Answer with ``render(request, "items/list.html", **context)`` (templates in
   ``web/templates``, extending ``base.html`` and filling ``{% block main %}``), or after a
   form with ``redirect("/items/...")`` (303). A domain error a page raises becomes an HTML
   error page of its status (404, 403, 409...).
4. Forms: ``method="post"`` with ``{{ csrf_field() }}`` inside (every POST is refused with
   403 without it). A page takes its fields as ``name: Typed = ""`` (``web.forms``) and
   builds the service's values with ``parse(NewThing, values)`` inside the use case's call:
   ``attempt(session, values, lambda: use_case(session, visit.actor, thing=parse(...)))``.
   On a refusal (the values' or the service's) it rolls back the use case and gives a
   ``Form`` with the values as typed and the errors per field; render the form again (422)
   with the macros of ``_forms.html``: ``field(form, "name", "Label", path="items.0.quantity")``
   shows the errors of the service's field beside its input, ``errors(form)`` the others.
5. Show write actions only to roles that may use them (``visit.actor.role``), and check the
   role on the server anyway: ``Clerk`` on the POST, not only a hidden button.
6. Tests: ``tests/web/conftest.py`` gives a client signed in per role (``signed_in(Role.clerk)``,
   whose ``post`` sends the CSRF token) and, in headless Chromium, a signed-in page per role
   (``browse(Role.clerk)``) on a live server over the test database.

Pages must work at 360 px wide, by keyboard, with a <label> for every input; list rows are
real links. Only the project's own CSS (``web/static/site.css``) is used.
"""
