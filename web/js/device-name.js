// The name this browser gives itself when it signs in ("Chrome on Pixel 7", "Firefox on
// Android"), shown in Settings › Devices. Where the browser tells its model (User-Agent Client
// Hints, secure pages only), two phones of one make differ; otherwise the person renames one.

const BROWSERS = [[/Edg\//, 'Edge'], [/SamsungBrowser\//, 'Samsung Internet'], [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'], [/Safari\//, 'Safari']];
const SYSTEMS = [[/Android/, 'Android'], [/iPhone/, 'iPhone'], [/iPad/, 'iPad'], [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'], [/CrOS/, 'ChromeOS'], [/Linux/, 'Linux']];
const BRAND_NAMES = { 'Google Chrome': 'Chrome', 'Microsoft Edge': 'Edge', Chromium: 'Chromium', HeadlessChrome: 'Chrome' };

const first = (table, text) => table.find(([pattern]) => pattern.test(text))?.[1] || '';

/** Resolves with a short name, or '' (the server then names the device from its User-Agent). */
export async function deviceName() {
  const ua = navigator.userAgent || '';
  let browser = first(BROWSERS, ua);
  let system = first(SYSTEMS, ua);
  let model = '';
  const hints = navigator.userAgentData;
  if (hints) {
    const brands = (hints.brands || []).map((b) => b.brand).filter((b) => !/Not.?A.?Brand/i.test(b));
    const brand = brands.find((b) => b !== 'Chromium') || brands[0];
    if (brand) browser = BRAND_NAMES[brand] || brand;
    if (hints.platform) system = hints.platform === 'macOS' ? 'macOS' : hints.platform;
    try {
      model = (await hints.getHighEntropyValues(['model'])).model || '';
    } catch {
      model = '';
    }
  }
  const where = model.trim() || system;
  return (browser && where ? `${browser} on ${where}` : browser || where).slice(0, 64);
}
