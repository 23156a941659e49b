import {
  DomainError,
  ErrorCodes,
  sessionSources,
  type SamlAcsCommand,
  type SessionView,
} from '@baton/contracts';
import { LOGGER } from '@baton/telemetry';
import type { Profile } from '@node-saml/node-saml';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { SessionEntity } from '../sessions/session.entity';
import { SessionsRepository } from '../sessions/sessions.repository';
import { toSessionView } from '../sessions/session.view';
import { attributeValues, rolesFor } from './idp-settings';
import { assertionFacts, outlineResponse } from './saml-xml';
import { SamlProviders } from './saml-providers';
import { SamlRepository } from './saml.repository';
import { CLOCK_SKEW_MS } from './service-provider';

const FIELD = 'SAMLResponse';
/** Kept this long when the assertion names no end of its window (it then has none to pass). */
const REPLAY_MEMORY_MS = 24 * 3600_000;

const rejected = (message: string): DomainError =>
  new DomainError(ErrorCodes.unauthorized, `SAML response rejected: ${message}`, [
    { field: FIELD, message },
  ]);

/**
 * The assertion consumer: validates the IdP's response (signature, issuer,
 * audience, destination and recipient, time window, InResponseTo; once per
 * assertion id), maps the attribute to roles and opens a session whose
 * token the gateway holds (only its digest arrives here).
 */
@Injectable()
export class SamlAcsUseCase {
  constructor(
    private readonly providers: SamlProviders,
    private readonly saml: SamlRepository,
    private readonly sessions: SessionsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: SamlAcsCommand): Promise<SessionView> {
    const workspaceId = command.workspace;
    const { config, urls, saml } = await this.providers.forWorkspace(
      workspaceId,
      command.public_url,
    );
    const xml = Buffer.from(command.saml_response, 'base64').toString('utf8');
    const outline = await outlineResponse(xml);
    if (!outline) throw rejected('not a base64 SAML Response document');
    if (outline.destination !== undefined && outline.destination !== urls.acsUrl)
      throw rejected(`Destination '${outline.destination.slice(0, 200)}' is not this ACS URL`);
    if (outline.assertionId && (await this.saml.isAssertionUsed(workspaceId, outline.assertionId)))
      throw rejected('the assertion was already used (replayed response)');

    let profile: Profile | null;
    try {
      ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: command.saml_response }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.info({ workspace_id: workspaceId, reason: message }, 'SAML response rejected');
      throw rejected(message.slice(0, 300));
    }
    if (!profile) throw rejected('the response carries no assertion');
    const facts = await assertionFacts(profile.getAssertionXml?.() ?? '');
    if (!facts) throw rejected('the signed assertion has no ID');
    if (facts.recipients.length === 0 || facts.recipients.some((r) => r !== urls.acsUrl))
      throw rejected('the assertion Recipient is not this ACS URL');

    const roles = rolesFor(
      attributeValues(profile.attributes, config.attribute),
      config.roleMapping,
      config.defaultRole,
    );
    if (roles.length === 0) {
      throw new DomainError(
        ErrorCodes.forbidden,
        `no role for this person: no value of the attribute '${config.attribute}' is mapped, and there is no default_role`,
        [{ field: config.attribute, message: 'no mapped value' }],
      );
    }

    const now = Date.now();
    const replayUntil = new Date(
      (facts.notOnOrAfter?.getTime() ?? now + REPLAY_MEMORY_MS) + CLOCK_SKEW_MS,
    );
    const expiresAt = new Date(
      Math.min(
        now + config.sessionTtlSeconds * 1000,
        facts.sessionNotOnOrAfter?.getTime() ?? Number.POSITIVE_INFINITY,
      ),
    );
    const session = new SessionEntity();
    session.id = randomUUID();
    session.workspaceId = workspaceId;
    session.tokenHash = command.session_token_hash;
    session.principal = `saml:${profile.nameID}`.slice(0, 300);
    session.roles = roles;
    session.source = sessionSources.saml;
    session.createdAt = new Date(now);
    session.expiresAt = expiresAt;
    await this.saml.transaction(async (manager) => {
      if (!(await this.sessions.workspaceIsLive(manager, workspaceId)))
        throw rejected('the workspace was deleted');
      if (!(await this.saml.markAssertionUsed(manager, workspaceId, facts.id, replayUntil)))
        throw rejected('the assertion was already used (replayed response)');
      await this.sessions.insert(manager, session);
    });
    await this.saml.pruneExpired();
    return toSessionView(session);
  }
}
