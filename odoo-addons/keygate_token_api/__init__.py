# SPDX-License-Identifier: GPL-3.0-or-later
from . import controllers
from . import models
