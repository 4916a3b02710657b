# SPDX-License-Identifier: GPL-3.0-or-later
{
    'name': 'Keygate token API',
    # No series prefix: Odoo 18 and 19 both take it as their own (18.0.1.0.0,
    # 19.0.1.0.0); a version of another series is not installable.
    'version': '1.0.0',
    'summary': 'Trade an Odoo API key for a short-lived bearer token and create projects with it',
    'description': """
Companion module of Keygate, the GNOME desktop manager for Odoo API keys.

Two JSON routes, both POST only:

* ``/auth/token/apikey`` checks an Odoo API key exactly like Odoo's own
  JSON-RPC does and answers a bearer access token that lives one hour;
* ``/api/project/create`` creates a project as the token's user, with that
  user's access rights.

Only the SHA-256 digest of each token is stored.
""",
    'category': 'Hidden/Tools',
    'author': 'Keygate contributors',
    'license': 'GPL-3 or any later version',
    'depends': ['base', 'project'],
    'data': [
        'security/ir.model.access.csv',
    ],
    'installable': True,
    'application': False,
}
