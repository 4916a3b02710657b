# SPDX-License-Identifier: GPL-3.0-or-later
"""Access tokens bought with an Odoo API key.

A token is shown to its client once, when it is issued; the database keeps
only its SHA-256 digest, the user it acts as and when it stops working.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# 32 random bytes, URL-safe base64 without padding: 43 characters
TOKEN_BYTES = 32
TOKEN_LIFETIME = timedelta(hours=1)


def token_digest(token):
    """Hex SHA-256 of a token as presented by a client."""
    return hashlib.sha256(token.encode('utf-8', 'surrogateescape')).hexdigest()


class KeygateAccessToken(models.Model):
    _name = 'keygate_token_api.access_token'
    _description = 'Keygate API access token (digest only)'
    _order = 'expiry desc, id desc'
    _rec_name = 'user_id'
    _log_access = False

    token = fields.Char(
        string='Token digest', required=True, readonly=True, index=True, copy=False,
        help='Hex SHA-256 digest of the token; the token itself is never stored.')
    user_id = fields.Many2one(
        'res.users', string='User', required=True, readonly=True, index=True,
        ondelete='cascade')
    expiry = fields.Datetime(string='Expires (UTC)', required=True, readonly=True)

    # Odoo 19 declares table constraints as model attributes and ignores
    # _sql_constraints; Odoo 18 knows only the latter.
    if hasattr(models, 'Constraint'):
        _token_unique = models.Constraint(
            'UNIQUE(token)', 'An access token digest must be unique.')
    else:
        _sql_constraints = [
            ('token_unique', 'UNIQUE(token)', 'An access token digest must be unique.'),
        ]

    @api.model
    def _issue(self, user_id):
        """Create a token for ``user_id``; return ``(token, lifetime_seconds)``.

        Must be called with a superuser environment: nobody else may create
        tokens. The clear token is returned to the caller only.
        """
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.sudo().create({
            'token': token_digest(token),
            'user_id': user_id,
            'expiry': fields.Datetime.now() + TOKEN_LIFETIME,
        })
        return token, int(TOKEN_LIFETIME.total_seconds())

    @api.model
    def _lookup(self, token):
        """Find the record of a presented token.

        Returns ``(record, state)`` where state is ``'valid'``, ``'expired'``
        or ``'invalid'`` (unknown token, or its user is inactive).
        """
        if not token:
            return self.browse(), 'invalid'
        record = self.sudo().search([('token', '=', token_digest(token))], limit=1)
        if not record or not record.user_id.active:
            return self.browse(), 'invalid'
        if record.expiry <= fields.Datetime.now():
            return record, 'expired'
        return record, 'valid'

    @api.autovacuum
    def _gc_expired_tokens(self):
        """Daily vacuum: drop tokens that expired more than a day ago."""
        limit = fields.Datetime.now() - timedelta(days=1)
        expired = self.sudo().search([('expiry', '<', limit)])
        if expired:
            _logger.info('Removing %d expired Keygate access tokens', len(expired))
            expired.unlink()
