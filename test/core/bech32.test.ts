// The checksum of age public keys, against keys the age library itself makes.
import { describe, expect, it } from 'vitest';
import { newIdentity } from '../../src/check/sealed.ts';
import { isBech32 } from '../../src/core/bech32.ts';

describe('isBech32', () => {
  it('accepts every key age makes, and refuses one changed letter, a cut-short key and upper case', async () => {
    for (let i = 0; i < 20; i++) {
      const { recipient } = await newIdentity();
      expect(isBech32(recipient), recipient).toBe(true);
      const at = 10 + i;
      const swapped = recipient.slice(0, at) + (recipient[at] === 'q' ? 'p' : 'q') + recipient.slice(at + 1);
      expect(isBech32(swapped), swapped).toBe(false);
      expect(isBech32(recipient.slice(0, -1))).toBe(false);
      expect(isBech32(recipient.toUpperCase())).toBe(false);
    }
    // The BIP 173 test vector, another human-readable part.
    expect(isBech32('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw')).toBe(true);
    expect(isBech32('age1')).toBe(false);
  });
});
