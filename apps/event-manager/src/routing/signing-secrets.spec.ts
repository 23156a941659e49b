import { Keyring, SecretBox } from '@baton/service-kit';
import { routeOwner, SigningSecrets, subscriptionOwner } from './signing-secrets';

describe('SigningSecrets', () => {
  const secrets = new SigningSecrets(new SecretBox(Keyring.random()));
  const owner = subscriptionOwner('8d0f3c1e-0000-4000-8000-000000000001');

  it('stores a secret sealed, and opens it for its owner', () => {
    const stored = secrets.seal('whsec_abc123', owner);
    expect(stored).toMatch(/^sealed:v2:k1:/);
    expect(stored).not.toContain('whsec_abc123');
    expect(secrets.open(stored, owner)).toBe('whsec_abc123');
  });

  it('does not open a sealed secret copied to another owner', () => {
    const stored = secrets.seal('whsec_abc123', owner);
    expect(() => secrets.open(stored, routeOwner('default', 'orders'))).toThrow(/does not open/);
  });

  it('reads a secret stored in clear by an earlier version as it is', () => {
    expect(secrets.open('whsec_from_before', owner)).toBe('whsec_from_before');
  });
});
