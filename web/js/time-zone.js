// Time zones as the browser knows them: this phone's (a new household starts in it) and the
// list the household settings offer.

/** The phone's IANA time zone ("Europe/Berlin"), '' when the browser does not say. */
export function phoneTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    return '';
  }
}

/** Every IANA zone the browser knows, or at least the phone's own. */
export function knownTimeZones() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [phoneTimeZone()].filter(Boolean);
  }
}

/** Whether two names are one zone ("Etc/UTC" and "UTC", "Asia/Calcutta" and "Asia/Kolkata"),
 * as the browser resolves them; an unknown name is only equal to itself. */
export function sameTimeZone(a, b) {
  const resolved = (zone) => {
    try {
      return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      return zone;
    }
  };
  return a === b || resolved(a) === resolved(b);
}
