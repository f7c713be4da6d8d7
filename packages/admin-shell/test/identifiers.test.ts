import { describe, expect, it } from 'vitest';
import { AdminShellError } from '../src/errors.js';
import {
  checkIdentifiers,
  checkRegion,
  parseStreamGroupIdentifier,
  parseStreamSessionIdentifier,
} from '../src/identifiers.js';

const GROUP_ARN = 'arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4';
const SESSION_ARN = 'arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AdminShellError);
    return (error as AdminShellError).code;
  }
  return undefined;
}

describe('stream group identifiers', () => {
  it('accepts the documented ID and ARN', () => {
    expect(parseStreamGroupIdentifier('sg-1AB2C3De4')).toEqual({ value: 'sg-1AB2C3De4', id: 'sg-1AB2C3De4' });
    expect(parseStreamGroupIdentifier(GROUP_ARN)).toEqual({
      value: GROUP_ARN,
      id: 'sg-1AB2C3De4',
      region: 'us-west-2',
      accountId: '111122223333',
    });
  });

  it.each([
    ['', 'missing'],
    ['sg 1', 'letters, digits and hyphens'],
    ['sg_1', 'letters, digits and hyphens'],
    ['x'.repeat(129), 'longer than 128'],
    ['arn:aws:gameliftstreams:us-west-2:1111:streamgroup/sg-1', 'not a GameLift Streams ARN'],
    ['arn:aws:s3:us-west-2:111122223333:streamgroup/sg-1', 'not a GameLift Streams ARN'],
    ['arn:aws:gameliftstreams:uswest:111122223333:streamgroup/sg-1', 'not a region name'],
    [SESSION_ARN, 'does not name a stream group'],
    ['arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/', 'does not name a stream group'],
  ])('rejects %j with a sentence that says why', (input, why) => {
    try {
      parseStreamGroupIdentifier(input);
      expect.unreachable();
    } catch (error) {
      expect((error as AdminShellError).code).toBe('INVALID_IDENTIFIER');
      expect((error as Error).message).toContain(why);
      expect((error as Error).message).toMatch(/\.$/);
    }
  });

  it('rejects non-strings', () => {
    expect(codeOf(() => parseStreamGroupIdentifier(undefined))).toBe('INVALID_IDENTIFIER');
    expect(codeOf(() => parseStreamGroupIdentifier(42))).toBe('INVALID_IDENTIFIER');
  });
});

describe('stream session identifiers', () => {
  it('accepts the documented ID and ARN', () => {
    expect(parseStreamSessionIdentifier('ABC123def4567').id).toBe('ABC123def4567');
    expect(parseStreamSessionIdentifier(SESSION_ARN)).toEqual({
      value: SESSION_ARN,
      id: 'ABC123def4567',
      region: 'us-west-2',
      accountId: '111122223333',
      streamGroupId: 'sg-1AB2C3De4',
    });
  });

  it('rejects a stream group ARN and malformed session ARNs', () => {
    expect(codeOf(() => parseStreamSessionIdentifier(GROUP_ARN))).toBe('INVALID_IDENTIFIER');
    expect(
      codeOf(() =>
        parseStreamSessionIdentifier('arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/X'),
      ),
    ).toBe('INVALID_IDENTIFIER');
    expect(codeOf(() => parseStreamSessionIdentifier('ABC/123'))).toBe('INVALID_IDENTIFIER');
  });
});

describe('checkIdentifiers', () => {
  it('accepts any mix of IDs and ARNs that agree', () => {
    expect(checkIdentifiers('sg-1AB2C3De4', 'ABC123def4567').region).toBeUndefined();
    expect(checkIdentifiers(GROUP_ARN, 'ABC123def4567').region).toBe('us-west-2');
    expect(checkIdentifiers('sg-1AB2C3De4', SESSION_ARN).region).toBe('us-west-2');
    expect(checkIdentifiers(GROUP_ARN, SESSION_ARN).streamSession.id).toBe('ABC123def4567');
  });

  it('refuses a session ARN that names another stream group', () => {
    try {
      checkIdentifiers('sg-OTHER0001', SESSION_ARN);
      expect.unreachable();
    } catch (error) {
      expect((error as AdminShellError).code).toBe('IDENTIFIER_MISMATCH');
      expect((error as Error).message).toContain('sg-1AB2C3De4');
      expect((error as Error).message).toContain('sg-OTHER0001');
    }
  });

  it('refuses ARNs of two regions or two accounts', () => {
    const otherRegion = GROUP_ARN.replace('us-west-2', 'eu-central-1');
    const otherAccount = GROUP_ARN.replace('111122223333', '999988887777');
    expect(codeOf(() => checkIdentifiers(otherRegion, SESSION_ARN))).toBe('IDENTIFIER_MISMATCH');
    expect(codeOf(() => checkIdentifiers(otherAccount, SESSION_ARN))).toBe('IDENTIFIER_MISMATCH');
  });

  it('checkRegion refuses a client region that differs from the ARN', () => {
    const ids = checkIdentifiers(GROUP_ARN, 'ABC123def4567');
    expect(() => checkRegion(ids, 'us-west-2')).not.toThrow();
    try {
      checkRegion(ids, 'us-east-1');
      expect.unreachable();
    } catch (error) {
      expect((error as AdminShellError).code).toBe('REGION_MISMATCH');
      expect((error as Error).message).toContain('us-west-2');
      expect((error as Error).message).toContain('us-east-1');
    }
    expect(() => checkRegion(checkIdentifiers('sg-1', 'S1'), 'us-east-1')).not.toThrow();
  });
});
