"""Well-known cookie families that JavaScript or another service sets, and a site never signs.

A site behind the firewall does not set these itself: Google's, Meta's and other analytics
scripts, consent managers and CDNs write them from the browser or the edge, so they can never
arrive signed. Without a policy they would be *foreign* cookies, dropped from
``request.COOKIES``; with this one they pass unsigned and unverified (their value is whatever
the browser holds, so no view may trust it), and, should the site set one itself, it leaves
JavaScript-readable as the scripts that own it expect. A project's own ``HARDSESS["COOKIES"]``
entries, exact names and patterns alike, come first (docs/runtime.md, "Which requirements a
cookie gets").

Patterns use ``*`` for any run of characters, nothing else. Each family is listed with the
vendor documentation its names come from, so the list can be checked and kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["FAMILIES", "FAMILY_REQUIREMENTS", "WELL_KNOWN"]

#: What a well-known cookie gets: passes unsigned, readable by the script that owns it.
FAMILY_REQUIREMENTS: Mapping[str, Any] = MappingProxyType({"sign": False, "httponly": False})

#: Family -> name patterns.
FAMILIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # Google Analytics 4 and Universal Analytics, Google Ads / Tag Manager
        # (support.google.com/analytics/answer/11397207).
        "Google Analytics": (
            "_ga",
            "_ga_*",
            "_gid",
            "_gat",
            "_gat_*",
            "__utm*",
            "_gcl_*",
            "_dc_gtm_*",
        ),
        # Google Identity Services: "Sign in with Google" sets g_csrf_token from JavaScript and
        # posts the same value as a form field (developers.google.com/identity/gsi/web).
        "Google Sign-In": ("g_csrf_token", "g_state"),
        # Meta pixel (developers.facebook.com/docs/marketing-api/conversions-api/parameters).
        "Meta Pixel": ("_fbp", "_fbc"),
        # Names as each vendor documents them, never a bare short prefix: a site's own
        # ``mp_cart`` or ``_hjadmin`` must not lose its signature to a family.
        "Hotjar": (
            "_hjSession_*",
            "_hjSessionUser_*",
            "_hjid",
            "_hjFirstSeen",
            "_hjIncludedInSessionSample_*",
            "_hjIncludedInPageviewSample",
            "_hjAbsoluteSessionInProgress",
            "_hjTLDTest",
        ),
        "Matomo": ("_pk_id.*", "_pk_ses.*", "_pk_ref.*", "_pk_cvar.*", "_pk_hsr.*", "mtm_consent*"),
        "Microsoft Clarity": ("_clck", "_clsk"),
        "Mixpanel": ("mp_*_mixpanel",),
        "Segment": ("ajs_anonymous_id", "ajs_user_id", "ajs_group_id"),
        "HubSpot": ("__hstc", "__hssc", "__hssrc", "hubspotutk"),
        "Intercom": ("intercom-id-*", "intercom-session-*", "intercom-device-id-*"),
        # Cloudflare bot management and challenges (developers.cloudflare.com/fundamentals/
        # reference/policies-compliances/cloudflare-cookies/).
        "Cloudflare": ("__cf_bm", "cf_clearance", "_cfuvid"),
        # Consent managers: Osano cookieconsent, Cookiebot, OneTrust, IAB TCF v2, CookieYes,
        # Klaro.
        "consent": (
            "cookieconsent_status",
            "CookieConsent",
            "OptanonConsent",
            "OptanonAlertBoxClosed",
            "euconsent-v2",
            "cookieyes-consent",
            "cookielawinfo-*",
            "klaro",
        ),
    }
)

#: Pattern -> family, in the order they are tried.
WELL_KNOWN: Mapping[str, str] = MappingProxyType(
    {pattern: family for family, patterns in FAMILIES.items() for pattern in patterns}
)
