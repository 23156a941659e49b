import type { BatonKafka } from '@baton/kafka';
import type { EventManagerEnv } from '../event-manager.env';
import type { TransformsRepository } from './transforms.repository';
import { DestinationChecks } from './destination-checks';

/** Webhook checks need neither the transforms table nor Kafka (no transform, no agent, no topic). */
const checks = (allowPrivateNetworks: boolean) =>
  new DestinationChecks(
    {} as TransformsRepository,
    {} as BatonKafka,
    { WEBHOOK_ALLOW_PRIVATE_NETWORKS: allowPrivateNetworks } as EventManagerEnv,
  );
const webhook = (url: string) => ({ kind: 'webhook' as const, url, transform: null });

describe('DestinationChecks: webhook URLs (SSRF)', () => {
  it('refuses an internal address when the subscription or route is created, naming the field', async () => {
    await expect(
      checks(false).check('default', webhook('http://10.0.0.7/hook'), 'destinations[1]'),
    ).rejects.toMatchObject({
      errors: [
        {
          field: 'destinations[1].webhook_url',
          message: 'must not be internal: 10.0.0.7 is an internal address',
        },
      ],
    });
    await expect(
      checks(false).check('default', webhook('http://[::1]:8080/'), ''),
    ).rejects.toMatchObject({
      errors: [{ field: 'webhook_url' }],
    });
  });

  it('lets public addresses through, and private ones when WEBHOOK_ALLOW_PRIVATE_NETWORKS is set', async () => {
    await expect(
      checks(false).check('default', webhook('https://8.8.8.8/hook'), ''),
    ).resolves.toBeUndefined();
    await expect(
      checks(true).check('default', webhook('http://127.0.0.1:9/hook'), ''),
    ).resolves.toBeUndefined();
  });

  it('leaves a name that does not resolve now to the check at send time', async () => {
    await expect(
      checks(false).check('default', webhook('https://hooks.baton-test.invalid/x'), ''),
    ).resolves.toBeUndefined();
  });
});
