import {
  DomainError,
  ErrorCodes,
  MessageTypes,
  OidcCallbackCommand,
  OidcLoginQuery,
  Topics,
  validateInto,
  type OidcLoginView,
  type OidcSessionView,
} from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CallerRequest } from '../auth/caller';
import { FailedAuthLimiter } from '../auth/failed-auth-limiter';
import {
  completeSignIn,
  newSessionToken,
  SessionSettings,
  sessionTokenHash,
} from '../auth/session-cookie';
import { PlatformClient } from '../platform/platform-client';
import { safeReturnPath } from '../saml/return-path';
import {
  LOGIN_COOKIE,
  LOGIN_COOKIE_MAX_AGE_MS,
  LOGIN_COOKIE_PATH,
  loginBindingOf,
  newLoginBinding,
} from './login-cookie';

/**
 * Console sign-in through the workspace's OpenID provider (ADR 0037): the
 * gateway is a confidential client using the authorization code flow with
 * PKCE, state and nonce. Security-manager holds the client secret, the
 * state and the verifier, exchanges the code and verifies the ID token; the
 * gateway carries the browser and sets the same session cookie as SAML.
 * Sign-out is `POST /saml/logout`, which ends any session.
 */
@ApiTags('sso')
@Controller('oidc')
export class OidcController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly settings: SessionSettings,
    private readonly failedAuth: FailedAuthLimiter,
  ) {}

  /** Sends the browser to the provider's authorization endpoint; `return_to` is where it comes back. */
  @Get(':workspace/login')
  async login(
    @Param('workspace') workspace: string,
    @Query('return_to') returnTo: unknown,
    @Query('provider') provider: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const binding = newLoginBinding();
    const query = validateInto(
      OidcLoginQuery,
      {
        workspace,
        public_url: this.settings.publicUrl,
        return_to: safeReturnPath(returnTo),
        provider,
        browser_hash: sessionTokenHash(binding),
      },
      'query',
    );
    const view = await this.platform.sendAsSystem<OidcLoginView>(
      Topics.securityCommands,
      MessageTypes.oidcLogin,
      query,
      this.correlationId(),
    );
    response.cookie(LOGIN_COOKIE, binding, {
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET, which carries it.
      sameSite: 'lax',
      secure: this.settings.secureCookie,
      path: LOGIN_COOKIE_PATH,
      maxAge: LOGIN_COOKIE_MAX_AGE_MS,
    });
    response.setHeader('cache-control', 'no-store');
    response.redirect(302, view.redirect_url);
  }

  /** Where the provider sends the browser back with a code (or an error) and the state. */
  @Get(':workspace/callback')
  async callback(
    @Param('workspace') workspace: string,
    @Query() query: Record<string, unknown>,
    @Req() request: CallerRequest,
    @Res() response: Response,
  ): Promise<void> {
    // Refused callbacks count toward the address's failed-authentication limit (429 past it).
    this.failedAuth.checkPublic(request, response);
    // Whatever happens next, this login is over for this browser.
    response.clearCookie(LOGIN_COOKIE, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.settings.secureCookie,
      path: LOGIN_COOKIE_PATH,
    });
    const binding = loginBindingOf(request);
    const token = newSessionToken();
    const session = await this.failedAuth.counting(
      request,
      this.openSession(workspace, query, binding, token),
    );
    completeSignIn(request, response, {
      session,
      token,
      settings: this.settings,
      correlationId: this.correlationId(),
      returnPath: safeReturnPath(session.return_to),
    });
  }

  private async openSession(
    workspace: string,
    query: Record<string, unknown>,
    binding: string | undefined,
    token: string,
  ): Promise<OidcSessionView> {
    if (typeof query.error === 'string') {
      // The provider said no (the person cancelled, or it refused the client): its code only.
      const code = /^[\x20-\x7e]{1,64}$/.test(query.error) ? query.error : 'invalid';
      throw rejected('error', `the provider answered ${code}`);
    }
    if (!binding) throw rejected(LOGIN_COOKIE, 'this browser did not start this sign-in');
    const command = validateInto(
      OidcCallbackCommand,
      {
        workspace,
        public_url: this.settings.publicUrl,
        state: query.state,
        code: query.code,
        browser_hash: sessionTokenHash(binding),
        session_token_hash: sessionTokenHash(token),
      },
      'query',
    );
    return this.platform.sendAsSystem<OidcSessionView>(
      Topics.securityCommands,
      MessageTypes.oidcCallback,
      command,
      this.correlationId(),
    );
  }

  private correlationId(): string {
    return currentContext().correlationId ?? 'unknown';
  }
}

const rejected = (field: string, message: string): DomainError =>
  new DomainError(ErrorCodes.unauthorized, `OpenID sign-in rejected: ${message}`, [
    { field, message },
  ]);
