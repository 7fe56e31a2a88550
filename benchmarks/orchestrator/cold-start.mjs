// Cold start of the control-function bootstrap: a local Lambda Runtime API on 127.0.0.1 hands out one
// `validate` invocation; the time is from spawning the process to its first /response post.
// Usage: node benchmarks/orchestrator/cold-start.mjs <path to bootstrap> [runs=10]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [bootstrap, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 10);
const experiment = JSON.parse(readFileSync(new URL('../../events/experiments/gameday-local.json', import.meta.url)));
const payload = JSON.stringify({ input: experiment, execution: { id: 'arn:aws:states:us-east-1:123456789012:execution:sm:cold', name: 'cold' } });

function once() {
  return new Promise((resolve, reject) => {
    let started = 0n;
    let served = false;
    let child;
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url.endsWith('/invocation/next')) {
        if (served) return; // hold the second /next open until the process is killed
        served = true;
        res.writeHead(200, {
          'Lambda-Runtime-Aws-Request-Id': 'cold-1',
          'Lambda-Runtime-Deadline-Ms': String(Date.now() + 30000),
          'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:123456789012:function:validate',
        });
        res.end(payload);
        return;
      }
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        res.writeHead(202).end();
        child.kill();
        server.close();
        if (!req.url.endsWith('/response')) reject(new Error(`bootstrap posted ${req.url}: ${body}`));
        else resolve(elapsed);
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      started = process.hrtime.bigint();
      child = spawn(bootstrap, [], {
        stdio: 'inherit',
        env: {
          AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
          _HANDLER: 'validate',
          SERVERLESS_CHAOS_BACKEND: 'local',
          SERVERLESS_CHAOS_LOCAL_STATE: mkdtempSync(join(tmpdir(), 'sc-cold-')),
        },
      });
    });
  });
}

const times = [];
for (let i = 0; i < runs; i++) times.push(await once());
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`runs ${runs}: min ${times[0].toFixed(1)} ms, median ${median.toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
