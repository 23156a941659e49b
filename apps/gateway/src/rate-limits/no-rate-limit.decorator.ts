import { SetMetadata } from '@nestjs/common';

export const NO_RATE_LIMIT = 'baton:no-rate-limit';

/**
 * A route the request limits do not count: reading one's own limits (answered
 * from memory) and changing a workspace's limits (so a platform admin can
 * always undo a limit that locked a workspace out).
 */
export const NoRateLimit = (): MethodDecorator => SetMetadata(NO_RATE_LIMIT, true);
