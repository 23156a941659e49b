import {
  DomainError,
  ErrorCodes,
  MessageTypes,
  SamlWorkspaceQuery,
  Topics,
  validateInto,
  type SamlLoginView,
  type SamlMetadataView,
  type SessionView,
} from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CallerRequest } from '../auth/caller';
import {
  completeSignIn,
  newSessionToken,
  SESSION_COOKIE,
  SessionSettings,
  sessionTokenHash,
  sessionTokenOf,
} from '../auth/session-cookie';
import { FailedAuthLimiter } from '../auth/failed-auth-limiter';
import { SessionAuthenticator } from '../auth/session.authenticator';
import { PlatformClient } from '../platform/platform-client';
import { safeReturnPath } from './return-path';

/**
 * SAML 2.0 service provider endpoints for people signing in with a browser.
 * Validation happens in security-manager (it holds the IdP certificate and
 * the SP key); the gateway only carries the messages and the cookie.
 */
@ApiTags('sso')
@Controller('saml')
export class SamlController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly settings: SessionSettings,
    private readonly sessions: SessionAuthenticator,
    private readonly failedAuth: FailedAuthLimiter,
  ) {}

  /** SP metadata to import into the IdP: entity id, ACS URL, the SP certificate. */
  @Get(':workspace/metadata')
  async metadata(@Param('workspace') workspace: string, @Res() response: Response): Promise<void> {
    const view = await this.platform.sendAsSystem<SamlMetadataView>(
      Topics.securityCommands,
      MessageTypes.samlMetadata,
      this.workspaceQuery(workspace),
      this.correlationId(),
    );
    response.status(200).type('application/samlmetadata+xml').send(view.xml);
  }

  /** Sends the browser to the IdP with a signed AuthnRequest; `return_to` is where it comes back. */
  @Get(':workspace/login')
  async login(
    @Param('workspace') workspace: string,
    @Query('return_to') returnTo: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const view = await this.platform.sendAsSystem<SamlLoginView>(
      Topics.securityCommands,
      MessageTypes.samlLogin,
      { ...this.workspaceQuery(workspace), relay_state: safeReturnPath(returnTo) },
      this.correlationId(),
    );
    response.setHeader('cache-control', 'no-store');
    response.redirect(302, view.redirect_url);
  }

  /** The assertion consumer: the IdP's response, posted by the browser (HTTP-POST binding). */
  @Post(':workspace/acs')
  @ApiConsumes('application/x-www-form-urlencoded')
  async acs(
    @Param('workspace') workspace: string,
    @Body() body: unknown,
    @Req() request: CallerRequest,
    @Res() response: Response,
  ): Promise<void> {
    // Refused responses count toward the address's failed-authentication limit (429 past it).
    this.failedAuth.checkPublic(request, response);
    const form = (body ?? {}) as Record<string, unknown>;
    const samlResponse = form.SAMLResponse;
    if (typeof samlResponse !== 'string' || samlResponse.length === 0) {
      this.failedAuth.failed(request, 401);
      throw new DomainError(
        ErrorCodes.unauthorized,
        'SAML response rejected: SAMLResponse is missing',
        [{ field: 'SAMLResponse', message: 'missing' }],
      );
    }
    const token = newSessionToken();
    const acs = {
      ...this.workspaceQuery(workspace),
      saml_response: samlResponse,
      session_token_hash: sessionTokenHash(token),
    };
    const session = await this.failedAuth.counting(
      request,
      this.platform.sendAsSystem<SessionView>(
        Topics.securityCommands,
        MessageTypes.samlAcs,
        acs,
        this.correlationId(),
      ),
    );
    completeSignIn(request, response, {
      session,
      token,
      settings: this.settings,
      correlationId: this.correlationId(),
      returnPath: safeReturnPath(form.RelayState),
    });
  }

  /** Signs out: the session (SAML or OpenID sign-in alike) is deleted and the cookie cleared. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: CallerRequest, @Res() response: Response): Promise<void> {
    const token = sessionTokenOf(request);
    if (token) {
      this.settings.checkOrigin(request);
      const tokenHash = sessionTokenHash(token);
      this.sessions.forget(tokenHash);
      await this.platform.sendAsSystem(
        Topics.securityCommands,
        MessageTypes.sessionDelete,
        { token_hash: tokenHash },
        this.correlationId(),
      );
    }
    response.clearCookie(SESSION_COOKIE, this.settings.sessionCookieOptions());
    response.status(204).end();
  }

  private workspaceQuery(workspace: string): SamlWorkspaceQuery {
    return validateInto(
      SamlWorkspaceQuery,
      { workspace, public_url: this.settings.publicUrl },
      'path',
    );
  }

  private correlationId(): string {
    return currentContext().correlationId ?? 'unknown';
  }
}
