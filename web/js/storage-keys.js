// Every key the app keeps in Web Storage, in one place. Installed apps already hold data under
// these strings: renaming one forgets that data on every device (the e2e tests spell
// 'stracker.tokens' and 'stracker.username' too, to sign a browser in).

// localStorage, one per device
export const TOKENS = 'stracker.tokens'; // {access, refresh} of the signed-in user (auth.js)
export const LAST_USER = 'stracker.username'; // the last signed-in username, pre-filled on sign-in (auth.js)
export const THEME = 'stracker.theme'; // 'light' | 'dark'; absent: the system's choice (theme.js)
export const DRAFT = 'stracker.draft'; // {amount, note, funnel} typed but not saved (dashboard, app.js shortcuts)
export const OUTBOX = 'stracker.outbox'; // unsent changes when IndexedDB cannot open (outbox-db.js)
export const INSTALL_HINT = 'stracker.install-hint'; // 'dismissed': no install hint on this device (install.js)

/** A cross-tab lease where the Web Locks API is missing (locks.js). */
export const lockKey = (name) => `stracker.lock.${name}`;

// localStorage, per user: the last answers of the server, shown offline (store.js, history view)
export const overviewKey = (user) => `stracker.overview.${user}`;
export const householdKey = (user) => `stracker.household.${user}`;
export const historyKey = (user) => `stracker.history.${user}`;
// {id: "€9.00 for 🛒 Food"}: spendings the person was told wait on this phone (offline-queue.js)
export const announcedKey = (user) => `stracker.announced.${user}`;
export const userCacheKeys = (user) => [overviewKey(user), householdKey(user), historyKey(user), announcedKey(user)];

// sessionStorage: why the user was signed out, shown once on the sign-in screen (auth.js)
export const SIGNOUT_REASON = 'stracker.signout-reason';
