# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP routes of the Keygate token API.

``POST /auth/token/apikey``   Odoo API key -> one-hour bearer access token
``POST /api/project/create``  create a project as the token's user

Both routes are ``auth='none'`` and pick their database themselves (header
``X-Odoo-Database``, else ``"db"`` in the JSON body), so they also work on a
server that holds several databases when the module is loaded server-wide.
Every answer is JSON with ``Cache-Control: no-store`` and ``Pragma: no-cache``;
errors are ``{"error": "<short text>", "message": "<sentence>"}``.
"""

import json
import logging
from contextlib import closing

import psycopg2

from odoo import SUPERUSER_ID, api, http, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.modules.registry import Registry

_logger = logging.getLogger(__name__)

MODULE = 'keygate_token_api'
TOKEN_MODEL = 'keygate_token_api.access_token'

NO_CACHE = [('Cache-Control', 'no-store'), ('Pragma', 'no-cache')]
REALM = 'Bearer realm="odoo"'
REALM_INVALID = 'Bearer realm="odoo", error="invalid_token"'

MSG_INVALID_KEY = 'The API key is unknown, revoked, expired, or belongs to an inactive user.'


class ApiError(Exception):
    """An answer other than success: HTTP status, error, message, headers."""

    def __init__(self, status, error, message, headers=()):
        super().__init__(error)
        self.status = status
        self.error = error
        self.message = message
        self.headers = list(headers)


def _json_response(data, status=200, headers=()):
    return request.make_json_response(data, headers=NO_CACHE + list(headers), status=status)


def _error_response(err):
    return _json_response({'error': err.error, 'message': err.message},
                          status=err.status, headers=err.headers)


def _json_body():
    """The JSON object of the request body; ``{}`` when there is no body.

    A form body was already parsed (and consumed) by Odoo's dispatcher: it is
    a body, and it is not a JSON object.
    """
    httprequest = request.httprequest
    if httprequest.form or httprequest.files:
        raise ApiError(400, 'Invalid JSON body',
                       "The request body must be a JSON object, sent as 'Content-Type: application/json'.")
    raw = httprequest.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, 'Invalid JSON body', 'The request body must be a JSON object.')
    return body


def _text(value):
    """A non-empty string, stripped, or None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _requested_db(body):
    return _text(request.httprequest.headers.get('X-Odoo-Database')) or _text(body.get('db'))


def _db_with_module(dbname):
    """True if ``dbname`` is served here (database list and dbfilter) and has
    this module installed. Checked with a plain cursor, so that no registry is
    ever loaded for a database that is not an Odoo one or lacks the module."""
    if dbname not in http.db_list(force=True):
        return False
    try:
        with closing(sql_db.db_connect(dbname).cursor()) as cr:
            # a database that is not an Odoo one has no module table at all
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if not cr.fetchone()[0]:
                return False
            cr.execute(
                "SELECT 1 FROM ir_module_module WHERE name = %s AND state IN ('installed', 'to upgrade')",
                [MODULE])
            return bool(cr.fetchone())
    except psycopg2.Error:
        return False


def _registry(dbname):
    """The up-to-date registry of ``dbname``, or ApiError 404."""
    not_found = ApiError(
        404, 'Database not found',
        f"No database named '{dbname}' with {MODULE} installed is served here.")
    if not _db_with_module(dbname):
        raise not_found
    try:
        registry = Registry(dbname).check_signaling()
    except (AttributeError, psycopg2.Error):
        _logger.exception('Cannot load the registry of database %s', dbname)
        raise not_found from None
    if TOKEN_MODEL not in registry:
        raise not_found
    return registry


def _presented_token():
    """Bearer token of the Authorization header (scheme case-insensitive),
    else the X-Access-Token header; None when neither carries one."""
    headers = request.httprequest.headers
    scheme, _sep, value = (headers.get('Authorization') or '').strip().partition(' ')
    if scheme.lower() == 'bearer' and value.strip():
        return value.strip()
    return _text(headers.get('X-Access-Token'))


class KeygateTokenApi(http.Controller):

    @http.route('/auth/token/apikey', type='http', auth='none', methods=['POST'],
                csrf=False, save_session=False)
    def token_from_api_key(self, **_params):
        try:
            body = _json_body()
            dbname = _requested_db(body)
            if not dbname:
                raise ApiError(
                    400, 'Missing database',
                    "Send the database name in the 'X-Odoo-Database' header or as 'db' in the JSON body.")
            key = _text(request.httprequest.headers.get('X-API-Key')) or _text(body.get('api_key'))
            if not key:
                raise ApiError(
                    400, 'Missing API key',
                    "Send the API key in the 'X-API-Key' header or as 'api_key' in the JSON body.")
            registry = _registry(dbname)
            with registry.manage_changes(), registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                # the very check Odoo makes for an API key on /jsonrpc
                uid = env['res.users.apikeys']._check_credentials(scope='rpc', key=key)
                if not uid:
                    raise ApiError(401, 'Invalid API key', MSG_INVALID_KEY)
                token, lifetime = env[TOKEN_MODEL]._issue(uid)
        except ApiError as err:
            return _error_response(err)
        _logger.info('Keygate access token issued for uid %s on %s', uid, dbname)
        return _json_response({
            'access_token': token,
            'token_type': 'Bearer',
            'expires_in': lifetime,
            'uid': uid,
        })

    @http.route('/api/project/create', type='http', auth='none', methods=['POST'],
                csrf=False, save_session=False)
    def project_create(self, **_params):
        try:
            # order of checks: missing token, body, database, then the token itself
            token = _presented_token()
            if not token:
                raise ApiError(
                    401, 'Missing access token',
                    "Send 'Authorization: Bearer <token>' or 'X-Access-Token: <token>'.",
                    headers=[('WWW-Authenticate', REALM)])
            body = _json_body()
            dbname = _requested_db(body) or request.db
            if not dbname:
                raise ApiError(
                    400, 'Missing database',
                    "Send the database name in the 'X-Odoo-Database' header or as 'db' in the JSON body.")
            registry = _registry(dbname)
            with registry.manage_changes(), registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                record, state = env[TOKEN_MODEL]._lookup(token)
                if state == 'invalid':
                    raise ApiError(
                        401, 'Invalid access token',
                        'The access token is unknown or its user is inactive.',
                        headers=[('WWW-Authenticate', REALM_INVALID)])
                if state == 'expired':
                    raise ApiError(
                        401, 'Access token expired',
                        'The access token has expired; exchange the API key for a new one.',
                        headers=[('WWW-Authenticate', REALM_INVALID)])
                name = _text(body.get('project_name'))
                if not name:
                    raise ApiError(
                        400, 'Missing project_name',
                        "The JSON body must contain a non-empty string 'project_name'.")
                description = body.get('project_description')
                if description is not None and not isinstance(description, str):
                    raise ApiError(
                        400, 'Validation error',
                        "'project_description' must be a string.")
                project_id = self._create_project(env, record.user_id, name, description)
        except ApiError as err:
            return _error_response(err)
        return _json_response({
            'status': 'success',
            'message': 'Project created successfully',
            'project_id': project_id,
        })

    @staticmethod
    def _create_project(env, user, name, description):
        """Create the project as ``user``, with that user's rights only."""
        user_env = env(user=user.id, su=False)
        user_env = user_env(context=user_env['res.users'].context_get())
        values = {'name': name}
        if description:
            values['description'] = description
        try:
            with env.cr.savepoint():
                project = user_env['project.project'].create(values)
                project.flush_recordset()
        except AccessError as exc:
            raise ApiError(403, 'Access denied', str(exc)) from None
        except (ValidationError, UserError) as exc:
            raise ApiError(400, 'Validation error', str(exc)) from None
        except psycopg2.IntegrityError as exc:
            raise ApiError(400, 'Validation error', exc.diag.message_primary or str(exc)) from None
        _logger.info('Keygate token API: project %s created by uid %s on %s',
                     project.id, user.id, env.cr.dbname)
        return project.id
