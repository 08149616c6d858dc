// How many HTTP requests per second the peer harness's Node client can make at all, and its CPU per
// request: the same request shape as its `spooled` target (Node's http module, keep-alive agent,
// JSON body, Bearer header, body read and parsed) against any endpoint that answers a POST with
// JSON, normally the harness's Kestrel hello-world. A Spooled mode that needs k requests per job
// cannot go faster end to end than this figure divided by k, whatever the server does.
//
//   node bench/client-ceiling/ceiling.js [CONCURRENCY=8] [REQUESTS=60000] [URL=http://127.0.0.1:25099/jobs]
'use strict';
const http = require('http');

const concurrency = parseInt(process.argv[2] || '8', 10);
const requests = parseInt(process.argv[3] || '60000', 10);
const url = new URL(process.argv[4] || 'http://127.0.0.1:25099/jobs');
if (!(concurrency >= 1 && requests >= concurrency)) {
  console.error('usage: node ceiling.js [CONCURRENCY>=1] [REQUESTS>=CONCURRENCY] [URL]');
  process.exit(2);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const body = {
  queue_name: 'emails',
  payload: { to: 'user-0000001@example.com', template: 'welcome-email', locale: 'en-US', vars: { name: 'Ada Lovelace', plan: 'pro', seq: 1 }, pad: 'x'.repeat(63) },
};

function post() {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const headers = { Accept: 'application/json', Authorization: 'Bearer ceiling', 'Content-Type': 'application/json', 'Content-Length': data.length };
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent });
    req.setTimeout(60000, () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(res.statusCode);
      });
    });
    req.end(data);
  });
}

(async () => {
  let left = requests;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (left-- > 0) {
      await post();
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(`concurrency ${concurrency}: ${(requests / seconds).toFixed(0)} requests/s, client CPU ${((used.user + used.system) / requests).toFixed(1)} µs per request`);
  agent.destroy();
})().catch((error) => {
  console.error(`ceiling: ${error.message}`);
  process.exit(1);
});
