import { DomainError, ErrorCodes } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { GatewayEnv } from '../gateway.env';
import { parse } from 'cookie';
import { createHash, randomBytes } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import { callerOf, type CallerRequest } from './caller';

/** The cookie a person's browser holds after single sign-on (SAML or OpenID Connect). */
export const SESSION_COOKIE = 'baton_session';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** 32 random bytes: the session token lives only in the cookie; services see its SHA-256. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The session token of a request: undefined without the cookie, 401 when it is malformed. */
export function sessionTokenOf(request: Request): string | undefined {
  const header = request.header('cookie');
  if (!header || header.length > 8_192) return undefined;
  const token = parse(header)[SESSION_COOKIE];
  if (token === undefined) return undefined;
  if (!TOKEN.test(token)) {
    throw new DomainError(ErrorCodes.unauthorized, 'the baton_session cookie is malformed', [
      { field: SESSION_COOKIE, message: 'malformed' },
    ]);
  }
  return token;
}

/** The origin (scheme://host:port) of a URL, or undefined when it is not one. */
function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Where browsers reach the gateway, and how its cookie is set; from the gateway's settings. */
@Injectable()
export class SessionSettings {
  readonly publicUrl: string;
  readonly secureCookie: boolean;
  private readonly trustedOrigins: Set<string>;

  constructor(env: GatewayEnv) {
    const tls = Boolean(env.GATEWAY_TLS_CERT_FILE);
    const configured = env.BATON_PUBLIC_URL;
    const fallback = `${tls ? 'https' : 'http'}://localhost:${env.PORT}`;
    this.publicUrl = (originOf(configured) ?? fallback).replace(/\/+$/, '');
    this.secureCookie = tls || env.BATON_COOKIE_SECURE === true;
    const extra = (env.BATON_TRUSTED_ORIGINS ?? '')
      .split(',')
      .map((origin) => originOf(origin.trim()))
      .filter((origin): origin is string => origin !== undefined);
    this.trustedOrigins = new Set([this.publicUrl, ...extra]);
  }

  /** How `baton_session` is set and cleared, whichever sign-in (SAML, OpenID) opened it. */
  sessionCookieOptions(expires?: Date): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.secureCookie, path: '/', expires };
  }

  /**
   * The CSRF defence for cookie-authenticated requests: a change (any method
   * but GET, HEAD, OPTIONS) must carry an Origin header (or, lacking one, a
   * Referer) of the gateway's public origin or a trusted one. Browsers set
   * Origin on cross-site and same-origin POSTs and scripts cannot forge it;
   * SameSite=Lax already keeps the cookie off most cross-site requests.
   */
  checkOrigin(request: Request): void {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = originOf(request.header('origin')) ?? originOf(request.header('referer'));
    if (origin && this.trustedOrigins.has(origin)) return;
    throw new DomainError(
      ErrorCodes.forbidden,
      `a change made with the session cookie needs an Origin header of ${this.publicUrl} or a trusted origin (CSRF defence)`,
      [{ field: 'Origin', message: origin ? `'${origin}' is not trusted` : 'missing' }],
    );
  }
}

/** What a finished single sign-on answers: who signed in, into which workspace, until when. */
export interface SignedInSession {
  session_id: string;
  principal: string;
  workspace_id: string;
  roles: string[];
  expires_at: string;
}

/**
 * Ends a single sign-on (the SAML ACS, the OpenID callback) the same way:
 * the audit trail names the person who signed in, in their workspace; the
 * browser gets the session cookie and goes on to `returnPath`, which the caller
 * has checked is a path of this gateway (safeReturnPath).
 */
export function completeSignIn(
  request: CallerRequest,
  response: Response,
  signIn: {
    session: SignedInSession;
    token: string;
    settings: SessionSettings;
    correlationId: string;
    returnPath: string;
  },
): void {
  const { session, settings } = signIn;
  request.caller = callerOf(session, signIn.correlationId, {
    kind: 'session',
    id: session.session_id,
  });
  response.cookie(
    SESSION_COOKIE,
    signIn.token,
    settings.sessionCookieOptions(new Date(session.expires_at)),
  );
  response.setHeader('cache-control', 'no-store');
  response.redirect(303, signIn.returnPath);
}
