"""A receipt on a spending in the PWA: the camera button, the thumbnail (also on the partner's
phone, live), the sheet to see, replace and remove it."""

import struct
import zlib

from browser import sign_in_with_tokens
from test_browser_dashboard import funnel
from test_browser_sharing import household_of_two


def receipt_png(path, width=120, height=200):
    """A small picture of a till receipt: white paper, grey lines of text, a bold total."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            line = 14 <= y % 18 <= 16 and 10 <= x <= width - 10 - (y * 7) % 40
            total = height - 30 <= y <= height - 22 and width // 2 <= x <= width - 10
            shade = 40 if total else 150 if line else 250
            row += bytes([shade, shade, shade - (5 if not line and not total else 0)])
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def tap(page, css):
    """Taps `css` once it stays put (the list is drawn again when figures arrive)."""
    page.wait(lambda: page.tap(page.find(css)) or True, message=f"tapped {css}")


def row(page, spending_id):
    return page.find(f'.spending[data-id="{spending_id}"]')


def test_attach_see_replace_and_remove_a_receipt(server, browsers, tmp_path):
    owner, member = household_of_two(server.url)
    food = funnel(owner, "Food")
    spending = owner.post("/spending/", {"amount": 23.4, "funnel_id": food["id"], "note": "market"}).json()
    page, partner = browsers(server.url), browsers(server.url, dark=True)
    sign_in_with_tokens(page, owner)
    sign_in_with_tokens(partner, member)
    # The partner may not change the owner's spending: no camera button there.
    assert not row(partner, spending).find_elements("css selector", ".receipt-add")

    page.tap(row(page, spending).find_element("css selector", ".receipt-add"))
    page.find('input[type="file"]').send_keys(str(receipt_png(tmp_path / "receipt.png")))
    page.wait_text("#toast", "Receipt kept")
    page.wait(lambda: page.js(
        "const i = document.querySelector('.receipt-thumb img'); return !!i && i.complete && i.naturalWidth === 120"),
        message="the thumbnail drawn")
    assert owner.get(f"/spending/{spending}").json()["has_receipt"] is True
    page.screenshot("receipt-row-light")
    # The partner's phone shows it too, without a reload.
    partner.wait(lambda: partner.js(
        "const i = document.querySelector('.receipt-thumb img'); return !!i && i.naturalWidth === 120"),
        timeout=5, message="the thumbnail on the partner's phone")
    partner.screenshot("receipt-row-dark")
    tap(partner, ".receipt-thumb")
    partner.wait(lambda: partner.js("const i = document.querySelector('.receipt-full'); return !!i && i.naturalWidth === 120"),
                 message="the full picture")
    assert "Replace" not in partner.text(".receipt-sheet") and "Remove" not in partner.text(".receipt-sheet")
    partner.screenshot("receipt-sheet-dark")
    partner.click_text(".receipt-sheet button", "Close")

    # Replace it, then remove it.
    tap(page, ".receipt-thumb")
    page.wait(lambda: page.visible(".receipt-sheet"), message="the sheet")
    page.screenshot("receipt-sheet-light")
    page.click_text(".receipt-sheet button", "Replace")
    page.find('input[type="file"]').send_keys(str(receipt_png(tmp_path / "other.png", width=90)))
    page.wait(lambda: page.js("const i = document.querySelector('.receipt-thumb img'); return !!i && i.naturalWidth === 90"),
              message="the new thumbnail")
    tap(page, ".receipt-thumb")
    page.click_text(".receipt-sheet button", "Remove")
    page.click_text(".dialog button", "Remove")
    page.wait_text("#toast", "Receipt removed")
    page.wait(lambda: row(page, spending).find_elements("css selector", ".receipt-add"), message="the camera button back")
    assert owner.get(f"/spending/{spending}").json()["has_receipt"] is False
    assert "undefined" not in page.text(".spendings")
