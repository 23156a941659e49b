import { TokenMessageTypes, Topics, type TokenFailure, type TokenReply } from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { FailedAuthLimiter } from '../auth/failed-auth-limiter';
import { PlatformClient } from '../platform/platform-client';

const FORM = 'application/x-www-form-urlencoded';
const MAX_FIELD = 200;

type ClientCredentials = { clientId: string; clientSecret: string };

class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly body: TokenFailure,
  ) {
    super(body.error_description);
  }
}

const invalidRequest = (description: string) =>
  new OAuthError(400, { error: 'invalid_request', error_description: description });

/**
 * The token endpoint of the client credentials grant (RFC 6749 §4.4): a
 * client's id and secret, by HTTP Basic or in the form, buy a short-lived
 * JWT signed by security-manager. Errors are RFC 6749 §5.2 JSON, not
 * problem+json, since OAuth clients parse them.
 */
@ApiTags('security')
@Controller('oauth')
export class TokenController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly failedAuth: FailedAuthLimiter,
  ) {}

  @Post('token')
  @HttpCode(200)
  @ApiConsumes(FORM)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['grant_type'],
      properties: {
        grant_type: { type: 'string', enum: ['client_credentials'] },
        client_id: { type: 'string', description: 'unless sent by HTTP Basic' },
        client_secret: { type: 'string', description: 'unless sent by HTTP Basic' },
      },
    },
  })
  @ApiOkResponse({ description: '{ access_token, token_type: "Bearer", expires_in }' })
  @ApiResponse({
    status: 400,
    description: 'RFC 6749 §5.2 error (invalid_request, unsupported_grant_type, invalid_scope)',
  })
  @ApiResponse({ status: 401, description: 'RFC 6749 §5.2 invalid_client' })
  async token(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenReply> {
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    // A guesser of client secrets is limited like one of API keys: 429 problem+json with Retry-After.
    this.failedAuth.checkPublic(request, response);
    try {
      const form = formOf(request);
      const grantType = single(form, 'grant_type');
      if (grantType === undefined) throw invalidRequest('grant_type is required');
      if (grantType !== 'client_credentials') {
        throw new OAuthError(400, {
          error: 'unsupported_grant_type',
          error_description: 'only client_credentials is supported',
        });
      }
      const scope = single(form, 'scope');
      if (scope !== undefined && scope.trim() !== '') {
        throw new OAuthError(400, {
          error: 'invalid_scope',
          error_description: "scopes are not supported: a token carries its client's role",
        });
      }
      const credentials = credentialsOf(request, form);
      const reply = await this.platform.sendAsSystem<TokenReply>(
        Topics.securityCommands,
        TokenMessageTypes.tokenIssue,
        {
          client_id: credentials.clientId,
          client_secret_digest: createHash('sha256')
            .update(credentials.clientSecret, 'utf8')
            .digest('hex'),
        },
        currentContext().correlationId ?? 'token',
      );
      if ('error' in reply) throw new OAuthError(401, reply);
      return reply;
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      response.status(error.status);
      if (error.status === 401) {
        this.failedAuth.failed(request, 401);
        response.setHeader('WWW-Authenticate', 'Basic realm="baton", charset="UTF-8"');
      }
      return error.body;
    }
  }
}

function formOf(request: Request): Record<string, unknown> {
  if (!request.is(FORM)) throw invalidRequest(`send the request as ${FORM}`);
  const body: unknown = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  return body as Record<string, unknown>;
}

/** RFC 6749 §3.2: parameters must not be repeated; values are short. */
function single(form: Record<string, unknown>, name: string): string | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be sent once`);
  if (value.length > MAX_FIELD)
    throw invalidRequest(`${name} is longer than ${MAX_FIELD} characters`);
  return value;
}

/** RFC 6749 §2.3.1: HTTP Basic (each half form-urlencoded) or the form, never both. */
function credentialsOf(request: Request, form: Record<string, unknown>): ClientCredentials {
  const formId = single(form, 'client_id');
  const formSecret = single(form, 'client_secret');
  const authorization = request.header('authorization');
  if (authorization !== undefined) {
    const basic = /^Basic\s+([A-Za-z0-9+/=]{1,600})$/i.exec(authorization)?.[1];
    if (!basic) {
      throw new OAuthError(401, {
        error: 'invalid_client',
        error_description: 'Authorization must be HTTP Basic',
      });
    }
    if (formSecret !== undefined)
      throw invalidRequest('send the client credentials once: HTTP Basic or the form, not both');
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new OAuthError(401, {
        error: 'invalid_client',
        error_description: 'malformed HTTP Basic credentials',
      });
    let clientId: string;
    let clientSecret: string;
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new OAuthError(401, {
        error: 'invalid_client',
        error_description: 'malformed HTTP Basic credentials',
      });
    }
    if (formId !== undefined && formId !== clientId)
      throw invalidRequest('client_id differs from the HTTP Basic one');
    return checked(clientId, clientSecret);
  }
  if (formId === undefined || formSecret === undefined) {
    throw new OAuthError(401, {
      error: 'invalid_client',
      error_description: 'send client_id and client_secret by HTTP Basic or in the form',
    });
  }
  return checked(formId, formSecret);
}

function checked(clientId: string, clientSecret: string): ClientCredentials {
  if (!clientId || clientId.length > 100 || !clientSecret || clientSecret.length > MAX_FIELD) {
    throw new OAuthError(401, {
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
  }
  return { clientId, clientSecret };
}
