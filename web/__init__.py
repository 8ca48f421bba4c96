"""The office console (评审管理平台): server-rendered Chinese pages beside the JSON API (#14).

Conventions for whoever adds a page:

- **Where.** One module per feature in `web/pages/` with its own
  ``router = APIRouter(include_in_schema=False)``, listed in `web.pages.PAGES`. Pages live
  under ``/console/...`` (plus ``/`` the to-do list, ``/login``, ``/logout``,
  ``/password``); `web.console.is_page` decides that a refusal on such a path is shown as
  a page, not as the API's JSON. Templates are in `web/templates/`, each
  ``{% extends "base.html" %}`` with ``{% block content %}``; the one stylesheet and the
  one script are `web/static/console.css` and `console.js` (``/console/static/``; no CDN,
  no inline script or style: the Content-Security-Policy forbids both).
- **Who.** The current user is a dependency from `web.session`: `WebUser` (any signed-in
  account that has chosen its own password), `PendingUser` (also one that still owes the
  first-login change), or a role gate — `OfficeUser`, `ReviewerUser`, `ApplicantUser`,
  `OfficialUser` … or ``Annotated[Viewer, Depends(gate(Role.X, …))]`` — which is the API's
  own `api.auth.RoleGate`. No session: a redirect to ``/login?next=…``; the first-login
  change owed: a redirect to ``/password``. Record-level confidentiality is the API's too:
  read through `services.views` / `services.listings` with the viewer, never filter in a
  template.
- **Render.** ``render(request, "x.html", title="…", **context)`` (`web.render`) adds
  `viewer`, `csrf`, `nav` (the menu of the viewer's role: `web.render.NAV`, add your
  entry there), `path` and the one-time `flash` message. Filters: ``| local`` (an instant
  in Asia/Shanghai), ``| day``, ``| cn`` (a code as its Chinese word, `domain.names`),
  ``| role_name``, ``| score`` (half-up to 0.1).
- **Forms.** ``{% import "_forms.html" as f with context %}``; inside every
  ``<form method="post">`` put ``{{ f.hidden(form) }}`` (the CSRF field and a once-key
  made for this rendering) and ``{{ f.general(form) }}`` (a refusal that concerns no one
  field), then ``f.input`` / ``f.select`` /
  ``f.checkboxes`` / ``f.textarea`` — each shows the typed value and its error. A GET
  route renders with ``form=Form()`` (`web.forms.Form`); the POST route does
  ``posted = await read_form(request)`` (CSRF checked) and
  ``return await act(request, posted, run, "完成提示", again=..., fields={code: "field"})``
  where ``run()`` calls the *same* service function (or API endpoint function) as the JSON
  API and returns the page to go to. `act` applies the API's idempotency rule (a double
  click acts once), maps pydantic's errors to their fields and domain error codes through
  `fields`, and on a refusal calls ``again(form)`` to render the form with what was typed.
  The audit middleware records the POST under the route's ``summary=`` (give one, in
  Chinese, ending in "（控制台）" is not needed: the path says it).
- **Links the to-do list makes** are built in `services.todo_roles` (`cycle_link`,
  `application_link`); a page that serves one of them must keep that path. Served here:
  ``/console/cycles/{y}``, ``…/apply``, ``…/conflicts``, ``…/shortlist``,
  ``…/applications/{code}`` (anchors ``#findings``, ``#materials``, ``#site-report``),
  ``…/applications/{code}/panels/{stage}``, ``…/applications/{code}/scores/{stage}``
  (``#consensus``), ``/console/audit``; and by the second half (`web.pages.committee`,
  `publicity`, `approval`, `honors`): ``/console/cycles/{y}/votes``,
  ``/console/cycles/{y}/objections/{number}``, ``/console/cycles/{y}/approval``,
  ``/console/honors/{honor_id}``. The public portal (no sign-in) is ``/portal…``
  (`web.pages.portal`).
"""
