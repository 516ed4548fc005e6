// A reverse proxy on 127.0.0.1 for the web pass (test/host/webPass.mjs), to stand for the two kinds of server a
// browser meets: `cors: 'allow'` answers the preflight and puts Access-Control-Allow-Origin on every answer (a
// collector set up for browsers, in front of VictoriaMetrics, which sends none on its POST); `cors: 'strip'` removes
// every Access-Control-* header of the target's answers and refuses the preflight (a server that does not allow
// browsers, in front of llama-server, which does). Everything else passes through unchanged, streamed.
import http from 'node:http';

/** @param {{ target: string, cors: 'allow' | 'strip' }} o */
export function startCorsProxy({ target, cors }) {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    const allow = cors === 'allow' && origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
    if (req.method === 'OPTIONS') {
      if (cors === 'strip') return res.writeHead(405).end();
      res.writeHead(204, {
        ...allow,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      return res.end();
    }
    const headers = { ...req.headers, host: to.host };
    const up = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (r) => {
      const out = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !k.startsWith('access-control-')));
      res.writeHead(r.statusCode ?? 502, { ...out, ...allow });
      r.pipe(res);
    });
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', ...allow });
      res.end(`proxy: ${e.message}`);
    });
    req.pipe(up);
  });
  server.requestTimeout = 120_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({ url, stop: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) });
    });
  });
}
