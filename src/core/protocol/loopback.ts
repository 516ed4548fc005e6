// Whether a base URL stays on this machine: localhost (and *.localhost), 127.0.0.0/8, ::1 and its IPv4-mapped form.
// Text and key sent there never leave the computer, so no endpoint question is needed.

export function isLoopbackUrl(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  // The URL parser writes IPv6 in brackets and IPv4-mapped 127.x.y.z as ::ffff:7fxx:xxxx.
  return host === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}
