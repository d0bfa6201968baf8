"""The QR code of an authenticator app's set-up address, as an SVG image in a data: address: drawn with
presentation attributes only (no style attribute, no script), so the strict CSP (img-src 'self' data:)
shows it, and the secret it holds never travels in a second request or sits in a cache."""

import segno


def qr_code_data_uri(data):
    # Dark on a white background with the standard quiet zone, so that phones read it in the admin's
    # dark theme too.
    return segno.make(data, error="m").svg_data_uri(scale=5, dark="#000", light="#fff", border=4)
