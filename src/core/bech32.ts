// The bech32 checksum (BIP 173) that age public keys carry: a mistyped or truncated `age1…` in the config
// is caught by check, with its place, instead of failing inside the age library at the next seal.
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk;
}

/** Whether the text is lower-case bech32 (not bech32m) with a valid checksum; no length limit, as age has none. */
export function isBech32(text: string): boolean {
  const sep = text.lastIndexOf('1');
  if (sep < 1 || text.length - sep - 1 < 6 || text !== text.toLowerCase()) return false;
  const hrp = text.slice(0, sep);
  const data = [...text.slice(sep + 1)].map((c) => CHARSET.indexOf(c));
  if (data.some((d) => d < 0)) return false;
  const codes = [...hrp].map((c) => c.charCodeAt(0));
  if (codes.some((c) => c < 33 || c > 126)) return false;
  return polymod([...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31), ...data]) === 1;
}
