// Placeholder until `advisories notify` lands: the bench skips the notify rows.
export const NOTIFY_AVAILABLE = (_cli: string) => false;
export async function benchNotify(_: { cli: string; work: string; subscribers: number; now: string }) {
  return { seconds: NaN, perSecond: NaN, rssMb: NaN, ledgerExact: false };
}
