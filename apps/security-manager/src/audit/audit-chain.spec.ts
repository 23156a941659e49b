import { chainHash, firstBrokenLink, GENESIS_HASH, type StoredLink } from './audit-chain';

function chain(count: number): StoredLink[] {
  const links: StoredLink[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const fields = {
      id: `m-${seq}`,
      workspace_id: 'acme',
      seq,
      source: 'agent-manager',
      actor: 'apikey:ci',
      credential: 'api-key:k1',
      action: 'agent.register',
      resource: `agent/a${seq}`,
      outcome: 'success',
      details: { version: seq, nested: { b: 1, a: 2 } },
      correlation_id: `c-${seq}`,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    };
    const hash = chainHash(prev, fields);
    links.push({ ...fields, prev_hash: prev, hash });
    prev = hash;
  }
  return links;
}

const start = { seq: 0, hash: GENESIS_HASH };

describe('audit hash chain', () => {
  it('does not depend on the order of an object’s keys (jsonb reorders them)', () => {
    const [link] = chain(1);
    const { prev_hash: _p, hash: _h, ...fields } = link;
    const reordered = { ...fields, details: { nested: { a: 2, b: 1 }, version: 1 } };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(link.hash);
  });

  it('holds for an untouched chain and ends at its last link', () => {
    const links = chain(5);
    expect(firstBrokenLink(links, start)).toEqual({
      last: { seq: 5, hash: links[4].hash },
    });
  });

  it('names an edited record by seq and id', () => {
    const links = chain(5);
    links[2] = { ...links[2], outcome: 'denied' };
    expect(firstBrokenLink(links, start).broken).toEqual({
      seq: 3,
      id: 'm-3',
      reason: 'the record does not match its hash',
    });
  });

  it('names a deleted record as missing', () => {
    const links = chain(5);
    links.splice(1, 1);
    expect(firstBrokenLink(links, start).broken).toMatchObject({ seq: 2, id: null });
  });

  it('names a record whose hash was recomputed after an edit by its successor', () => {
    const links = chain(4);
    const { prev_hash: _p, hash: _h, ...fields } = links[1];
    const edited = { ...fields, actor: 'apikey:someone-else' };
    links[1] = { ...edited, prev_hash: links[0].hash, hash: chainHash(links[0].hash, edited) };
    expect(firstBrokenLink(links, start).broken).toMatchObject({ seq: 3, id: 'm-3' });
  });
});
