import { createContext } from 'react';

/** Light or dark: the user's choice (kept in localStorage, it is no secret) or the system's. */
export type Theme = 'light' | 'dark';
const KEY = 'baton.console.theme';

export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
}

/** The theme in effect, for components that style themselves (the designer's canvas). */
export const ThemeContext = createContext<Theme>('light');
