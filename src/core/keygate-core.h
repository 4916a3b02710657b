/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-create-spec.h"
#include "kg-diagnosis.h"
#include "kg-error.h"
#include "kg-exchange.h"
#include "kg-history.h"
#include "kg-http.h"
#include "kg-identity.h"
#include "kg-keyring.h"
#include "kg-odoo-rpc.h"
#include "kg-profile.h"
#include "kg-profile-store.h"
#include "kg-record-create.h"
#include "kg-redact.h"
#include "kg-session-login.h"
#include "kg-token-client.h"
#include "kg-token-spec.h"
