import { pbkdf2Sync } from 'node:crypto';
import {
  decodeAlterUserScramCredentialsResponse,
  encodeAlterUserScramCredentials,
  ScramAlterationError,
  scramUpsertion,
} from './scram-credentials';

describe('AlterUserScramCredentials v0 encoding (KIP-554, flexible)', () => {
  it('encodes an upsertion as header-v2 tags, compact arrays, strings and bytes', () => {
    const salt = Buffer.from([1, 2, 3]);
    const saltedPassword = Buffer.from([9, 8]);
    const body = encodeAlterUserScramCredentials(
      [],
      [{ user: 'ab', mechanism: 'scram-sha-512', iterations: 8192, salt, saltedPassword }],
    );
    expect([...body]).toEqual([
      0x00, // request header v2: no tagged fields
      0x01, // deletions: compact array of 0
      0x02, // upsertions: compact array of 1
      0x03,
      0x61,
      0x62, // name 'ab' (length + 1)
      0x02, // SCRAM-SHA-512
      0x00,
      0x00,
      0x20,
      0x00, // 8192 iterations
      0x04,
      1,
      2,
      3, // salt
      0x03,
      9,
      8, // salted password
      0x00, // upsertion's tags
      0x00, // request's tags
    ]);
  });

  it('encodes a deletion with the mechanism type of SCRAM-SHA-256', () => {
    const body = encodeAlterUserScramCredentials([{ user: 'x', mechanism: 'scram-sha-256' }], []);
    expect([...body]).toEqual([0x00, 0x02, 0x02, 0x78, 0x01, 0x00, 0x01, 0x00]);
  });

  it('writes lengths past 127 as multi-byte unsigned varints', () => {
    const user = 'u'.repeat(200);
    const body = encodeAlterUserScramCredentials([{ user, mechanism: 'scram-sha-512' }], []);
    // 201 = 0b1_1001001: low seven bits with the continuation bit, then 1.
    expect([...body.subarray(2, 4)]).toEqual([0xc9, 0x01]);
    expect(body.subarray(4, 204).toString()).toBe(user);
  });

  it('decodes the results, with null and present error messages, skipping tagged fields', () => {
    const response = Buffer.from([
      0x00, // response header v1: no tags
      0x00,
      0x00,
      0x00,
      0x05, // throttle 5 ms
      0x03, // two results
      0x02,
      0x61,
      0x00,
      0x00,
      0x00,
      0x00, // 'a', error 0, null message, no tags
      0x02,
      0x62,
      0x00,
      0x3a,
      0x03,
      0x6e,
      0x6f,
      0x01,
      0x07,
      0x01,
      0xff, // 'b', 58, 'no', one tag
      0x00,
    ]);
    expect(decodeAlterUserScramCredentialsResponse(response)).toEqual({
      throttleTimeMs: 5,
      results: [
        { user: 'a', errorCode: 0, errorMessage: null },
        { user: 'b', errorCode: 58, errorMessage: 'no' },
      ],
    });
  });

  it('refuses a truncated response instead of reading past it', () => {
    expect(() => decodeAlterUserScramCredentialsResponse(Buffer.from([0x00, 0x00]))).toThrow();
  });

  it('salts the password as SCRAM does: PBKDF2 with the mechanism hash, a fresh salt each time', () => {
    const a = scramUpsertion('u', 'secret', 'scram-sha-512', 4096);
    const b = scramUpsertion('u', 'secret', 'scram-sha-512', 4096);
    expect(a.salt.equals(b.salt)).toBe(false);
    expect(a.saltedPassword).toEqual(pbkdf2Sync('secret', a.salt, 4096, 64, 'sha512'));
    expect(scramUpsertion('u', 'secret', 'scram-sha-256', 4096).saltedPassword).toHaveLength(32);
    expect(() => scramUpsertion('u', 'secret', 'scram-sha-512', 1000)).toThrow(RangeError);
  });

  it("names each failed user and Kafka's error name, not the broker's message", () => {
    const error = new ScramAlterationError([
      { user: 'baton-worker-a', errorCode: 31, errorMessage: 'Cluster authorization failed.' },
    ]);
    expect(error.message).toBe('baton-worker-a: CLUSTER_AUTHORIZATION_FAILED');
    expect(error.unauthorized).toBe(true);
    const unknown = new ScramAlterationError([{ user: 'u', errorCode: 999, errorMessage: 'x' }]);
    expect(unknown.message).toBe('u: Kafka error 999');
  });
});
