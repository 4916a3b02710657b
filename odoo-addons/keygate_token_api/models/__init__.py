# SPDX-License-Identifier: GPL-3.0-or-later
from . import access_token
