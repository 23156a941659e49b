import { parse } from 'cookie';
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';

/**
 * The short-lived cookie that binds an OpenID sign-in to the browser that
 * started it: its value is random, security-manager keeps only its digest
 * beside the state. A callback URL carried to another browser (login CSRF,
 * a leaked URL) finds no such cookie there and is refused.
 */
export const LOGIN_COOKIE = 'baton_oidc_login';
/** As long as security-manager keeps the login (LOGIN_TTL_MS). */
export const LOGIN_COOKIE_MAX_AGE_MS = 10 * 60_000;
/** Only the callback needs it. */
export const LOGIN_COOKIE_PATH = '/oidc/';
const VALUE = /^[A-Za-z0-9_-]{43}$/;

export function newLoginBinding(): string {
  return randomBytes(32).toString('base64url');
}

/** The binding of this request, or undefined when the cookie is missing or not one of ours. */
export function loginBindingOf(request: Request): string | undefined {
  const header = request.header('cookie');
  if (!header || header.length > 8_192) return undefined;
  const value = parse(header)[LOGIN_COOKIE];
  return value !== undefined && VALUE.test(value) ? value : undefined;
}
