"""The document screens (adjustments, transfers; purchase orders, issues, returns and
reservations build on the same parts). A kind of document is one page module here
(``adjustments.py`` is the worked example), added to ``PAGES`` in ``web/site.py``, with its
templates in ``web/templates/documents/<kind>/`` (``list.html``, ``show.html``, ``form.html``).

What every kind uses, each part small:

- ``listing.show_list(request, Filters, names, fetch)``: a list page's filters read from the
  query into the service's filter values (a bad value shown beside its input, 422), one page
  of rows from the service's list with its cursor, and the link to the next page;
  ``list_page`` renders it (``may_create`` for clerks and admins). Templates: ``select``,
  ``status`` and ``pager`` of ``documents/_document.html``; every row a link.
- ``actions.Action`` declares a lifecycle action: its workflow name as the view's
  ``allowedActions`` (or ``allowedStatuses``) lists it, and its label. The roles are the
  document kind's (``DocumentKind.needs``), and a view read by a person lists only what
  their role may do, so ``buttons(ACTIONS, allowed)`` gives the ones to show (macro
  ``actions``: a POST form with CSRF each, to ``<path>/<action>``; ``confirm``: a link to a
  page that asks first); the POST page takes ``Clerk`` and calls
  ``require(ACTIONS, action, visit.actor, KIND)`` (403 for a weaker role, 404 for no such action),
  then the use case the API's action route calls, inside ``forms.attempt``: a refusal (409,
  422) is shown above the document.
- ``lines``: a form's lines are numbered fields ``items.N.<column>`` (``Column``: its label,
  the service's field it stands for, other fields whose errors it shows). A page takes
  ``posted: Posted`` (every field sent), reads ``Lines.read(posted, COLUMNS)`` (blank lines
  dropped), answers ``do=add_line`` by showing the form again with ``lines.grown()``
  (more lines without JavaScript), and otherwise builds the service's values with
  ``document_values(session, actor, Model, header, lines, line_values, bins)``: the items'
  codes (or barcodes) turned into ids by the catalogue (``catalog.service.item_codes``), and
  the bins' codes of the fields ``bins`` names, each at its location
  (``catalog.service.bin_codes``); an unknown code refused beside its line together with the
  values' own faults. ``ITEM_CODE`` and ``SERIALS`` are columns most kinds share.
  ``form_page`` renders the form (200, or the refusal's 409 or 422) after ``shown_beside``
  has moved the errors of fields no input shows above the form, naming their line. Template
  macro ``line_editor(form, columns)``; a draft's edit page shows its view's values again
  (``adjustments._as_typed``).

A page still calls one use case and renders; what a document may do and what it refuses stay
in its service.
"""
