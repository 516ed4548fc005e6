// Dollar amounts as shown to a person. No imports: the dashboard page (browser bundle) uses it too.

/**
 * "$12.34" from $1 up (with thousands separators), three significant digits below $1 ("$0.0157", "$0.50",
 * "$0.000123"), "$0.00" for a known zero, "price unknown" for null.
 */
export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return 'price unknown';
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  if (a === 0) return '$0.00';
  if (a >= 1) return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(20, Math.max(2, Math.ceil(-Math.log10(a)) + 2));
  let s = a.toFixed(decimals);
  if (Number(s) >= 1) return `${sign}$1.00`;
  // Trim zeros beyond the third significant digit, keeping at least two decimals.
  s = s.replace(/0+$/, '');
  const [, frac = ''] = s.split('.');
  if (frac.length < 2) s = a.toFixed(2);
  return `${sign}$${s}`;
}
