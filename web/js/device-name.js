// The name this browser gives itself when it signs in ("Chrome on Pixel 7"), shown in Settings ›
// Devices. Only where the browser tells its brand, platform and model (User-Agent Client Hints:
// Chromium browsers, secure pages): elsewhere the name is left to the server, which names the
// device from its User-Agent (DeviceName.swift); two phones of one make are then renamed by hand.

const BRAND_NAMES = { 'Google Chrome': 'Chrome', 'Microsoft Edge': 'Edge', HeadlessChrome: 'Chrome' };

/** Resolves with a short name, or '' (the server then names the device). */
export async function deviceName() {
  const hints = navigator.userAgentData;
  if (!hints) return '';
  const brands = (hints.brands || []).map((b) => b.brand).filter((b) => !/Not.?A.?Brand/i.test(b));
  const brand = brands.find((b) => b !== 'Chromium') || brands[0];
  let model = '';
  try {
    model = (await hints.getHighEntropyValues(['model'])).model || '';
  } catch {
    model = '';
  }
  const where = model.trim() || hints.platform || '';
  return brand && where ? `${BRAND_NAMES[brand] || brand} on ${where}`.slice(0, 64) : '';
}
