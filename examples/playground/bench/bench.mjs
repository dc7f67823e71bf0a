// Benchmark the wasm module in Chromium: audit time of the vet-clinic schema and of a generated
// 1,000-model schema, and the .wasm size raw and gzipped. Each input runs in a fresh page, so
// its first calls are cold (V8 baseline code); the steady state is measured after a time-based
// warm-up, once V8 has recompiled the hot functions (see src/bench.html).
// Run: node examples/playground/bench/bench.mjs   (after bindings-wasm/build.sh and build.mjs)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startServer } from '../serve.mjs';
import { launch, offlinePage } from '../chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const wasm = readFileSync(join(dist, 'pkg', 'prisma_audit_wasm_bg.wasm'));
const server = await startServer(dist);
const browser = await launch();

async function run(input) {
  const { context, page, blocked } = await offlinePage(browser, server.url.replace(/\/$/, ''));
  try {
    await page.goto(`${server.url}bench.html?input=${input}`);
    await page.waitForFunction(() => document.getElementById('out').textContent !== 'running…', null, { timeout: 180000 });
    const text = await page.textContent('#out');
    if (!text.startsWith('{')) throw new Error(text);
    if (blocked.length) throw new Error(`blocked requests: ${blocked}`);
    return JSON.parse(text);
  } finally {
    await context.close();
  }
}

const ms = (x, digits) => `${x.toFixed(digits)} ms`;
function report(label, r, digits, target) {
  console.log(`${label}: median ${ms(r.median_ms, digits)}, min ${ms(r.min_ms, digits)}, p90 ${ms(r.p90_ms, digits)} ` +
    `over ${r.iterations} runs after ${r.warmup_runs} warm-up runs (target < ${target} ms); ` +
    `cold: first call ${ms(r.cold_first_ms, digits)}, median of the first ${r.cold_runs} ${ms(r.cold_median_ms, digits)}`);
}

try {
  const vet = await run('vet-clinic');
  const big = await run('generated-1000');
  const kib = (n) => (n / 1024).toFixed(0) + ' KiB';
  const gz = gzipSync(wasm, { level: 9 }).length;
  console.log(`browser: ${vet.user_agent}`);
  report(`vet-clinic schema (${vet.bytes} B, ${vet.findings} findings)`, vet, 2, 5);
  report(`generated 1,000 models (${big.bytes} B, ${big.models} models)`, big, 1, 50);
  console.log(`wasm size: ${wasm.length} B (${kib(wasm.length)}) raw, ${gz} B (${kib(gz)}) gzip -9`);
} finally {
  await browser.close();
  await server.close();
}
