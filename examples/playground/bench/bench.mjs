// Benchmark the wasm module in Chromium: audit time of the vet-clinic schema and of a generated
// 1,000-model schema (median of repeated runs after warm-up), and the .wasm size raw and gzipped.
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
try {
  const { page, blocked } = await offlinePage(browser, server.url.replace(/\/$/, ''));
  await page.goto(server.url + 'bench.html');
  await page.waitForFunction(() => document.getElementById('out').textContent !== 'running…', null, { timeout: 120000 });
  const text = await page.textContent('#out');
  if (!text.startsWith('{')) throw new Error(text);
  const r = JSON.parse(text);
  if (blocked.length) throw new Error(`blocked requests: ${blocked}`);
  const kib = (n) => (n / 1024).toFixed(0) + ' KiB';
  const gz = gzipSync(wasm, { level: 9 }).length;
  console.log(`browser: ${r.user_agent}`);
  console.log(`vet-clinic schema (${r.vet_clinic.bytes} B, ${r.vet_clinic.findings} findings): median ${r.vet_clinic.median_ms.toFixed(2)} ms, min ${r.vet_clinic.min_ms.toFixed(2)} ms over ${r.vet_clinic.iterations} runs (target < 5 ms)`);
  console.log(`generated 1,000 models (${r.generated_1000.bytes} B, ${r.generated_1000.models} models): median ${r.generated_1000.median_ms.toFixed(1)} ms, min ${r.generated_1000.min_ms.toFixed(1)} ms over ${r.generated_1000.iterations} runs (target < 50 ms)`);
  console.log(`wasm size: ${wasm.length} B (${kib(wasm.length)}) raw, ${gz} B (${kib(gz)}) gzip -9`);
} finally {
  await browser.close();
  await server.close();
}
