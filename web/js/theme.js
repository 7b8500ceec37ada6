// Light, dark or the system's choice (the default), remembered on this device.

const KEY = 'stracker.theme';

export const getTheme = () => localStorage.getItem(KEY) || 'system';

export function applyTheme(theme = getTheme()) {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

export function setTheme(theme) {
  if (theme === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, theme);
  applyTheme(theme);
}
