// Light, dark or the system's choice (the default), remembered on this device.

import { THEME } from './storage-keys.js';

export const getTheme = () => localStorage.getItem(THEME) || 'system';

export function applyTheme(theme = getTheme()) {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

export function setTheme(theme) {
  if (theme === 'system') localStorage.removeItem(THEME);
  else localStorage.setItem(THEME, theme);
  applyTheme(theme);
}
