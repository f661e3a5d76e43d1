// What the service's log lines may say about a person: never a whole address, never a whole IP, never a token.

/** "alice@example.com" → "a***@e***.com": enough to tell two lines apart by domain, not to recover the address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${email[0]}***@${domain[0] ?? ''}***${tld}`;
}

/** IPv4 → its /24 ("203.0.113.x"), IPv6 → its /48: what consent records and logs keep. */
export function maskIp(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/i.exec(ip);
  if (v4) return `${v4[1]}.x`;
  if (ip.includes(':')) return `${ip.split(':').slice(0, 3).join(':')}::x`;
  return 'x';
}

/** A request path for the log: the query string (tokens) dropped, a token in the path replaced. */
export const maskPath = (url: string, tokenInPath: (path: string) => boolean) => {
  const path = url.split('?')[0] ?? '/';
  return tokenInPath(path) ? `${path.slice(0, path.lastIndexOf('/') + 1)}{token}` : path;
};
