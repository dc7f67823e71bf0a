#!/usr/bin/env node
// Differential-test oracle: run the pinned Prisma CLI's `prisma validate` on each
// schema path (a .prisma file, or a folder holding a multi-file schema) and print
// one JSON line per path, in input order:
//
//   {"path":"…","ok":true,"message":"The schema at … is valid 🚀","errors":[],"warnings":[],…}
//   {"path":"…","ok":false,"message":"Type \"Foo\" is neither …","errors":[{"message":…,"location":"x.prisma:11"}],…}
//
// Extra fields: exitCode, timedOut, oracleError (true when Prisma could not give a
// verdict: timeout, crash, missing CLI — consumers should skip, not count as invalid),
// durationMs, output (full ANSI-stripped stdout+stderr).
//
// Offline by construction: the schema-engine download is disabled through
// PRISMA_SCHEMA_ENGINE_BINARY (validate only needs the bundled wasm), telemetry and
// update checks are off, any engine download is pointed at a closed local port, and
// the CLI runs in an empty temp directory so no stray prisma.config.ts or .env is read.
//
// Usage: node validate.mjs [--concurrency N] [--timeout MS] [--] PATH...
//        (no PATH: newline-separated paths are read from stdin)
//        node validate.mjs --version   → {"prisma":"7.x.y"}
// Exit status: 0 when every path got a verdict (valid or invalid), 1 when any path
// had an oracle error, 2 on usage errors.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PRISMA_PKG = path.join(HERE, 'node_modules', 'prisma');
const PRISMA_CLI = path.join(PRISMA_PKG, 'build', 'index.js');

function usage(msg) {
  if (msg) process.stderr.write(`validate.mjs: ${msg}\n`);
  process.stderr.write('usage: node validate.mjs [--concurrency N] [--timeout MS] [--] PATH...\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    concurrency: Number(process.env.PRISMA_ORACLE_CONCURRENCY ?? 2),
    timeoutMs: Number(process.env.PRISMA_ORACLE_TIMEOUT_MS ?? 60_000),
    version: false,
    paths: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { opts.paths.push(...argv.slice(i + 1)); break; }
    else if (a === '--concurrency' || a === '-j') opts.concurrency = Number(argv[++i]);
    else if (a.startsWith('--concurrency=')) opts.concurrency = Number(a.split('=')[1]);
    else if (a === '--timeout') opts.timeoutMs = Number(argv[++i]);
    else if (a.startsWith('--timeout=')) opts.timeoutMs = Number(a.split('=')[1]);
    else if (a === '--version') opts.version = true;
    else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) usage('--concurrency must be a positive integer');
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs < 1000) usage('--timeout must be at least 1000 (ms)');
  return opts;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;
const stripAnsi = (s) => s.replace(ANSI, '');

function offlineEnv() {
  const env = { ...process.env };
  // Never inherit things that change what the CLI reads or where it connects.
  for (const k of Object.keys(env)) {
    if (/^(PRISMA_|DATABASE_URL$|DIRECT_URL$|SHADOW_DATABASE_URL$|DEBUG$)/.test(k)) delete env[k];
  }
  Object.assign(env, {
    // Any existing file: stops the CLI from downloading the native schema engine.
    // `validate` itself runs on the wasm engine bundled in the npm package.
    PRISMA_SCHEMA_ENGINE_BINARY: process.platform === 'win32' ? process.execPath : '/bin/true',
    PRISMA_QUERY_ENGINE_LIBRARY: process.platform === 'win32' ? process.execPath : '/bin/true',
    PRISMA_ENGINES_MIRROR: 'http://127.0.0.1:9', // any download attempt fails fast
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    CI: '1',
  });
  return env;
}

/** Parse Prisma's diagnostics ("error: …" possibly over several lines, then "  -->  file:line"). */
function parseDiagnostics(text) {
  const lines = text.split(/\r?\n/);
  const errors = [];
  const warnings = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(error|warning): (.*)$/.exec(lines[i]);
    if (!m) continue;
    const msg = [m[2].trim()];
    let location = null;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j];
      const loc = /^\s*-->\s*(.+?)\s*$/.exec(l);
      if (loc) { location = loc[1]; break; }
      if (/^(error|warning): /.test(l) || /^Validation Error Count/.test(l)) break;
      if (l.trim()) msg.push(l.trim());
    }
    (m[1] === 'error' ? errors : warnings).push({ message: msg.join('\n'), location });
  }
  // Warnings of a valid schema: "Prisma schema warning:" followed by "- message" lines.
  for (let i = 0; i < lines.length; i++) {
    if (!/^Prisma schema warning/.test(lines[i])) continue;
    for (let j = i + 1; j < lines.length && /^- /.test(lines[j]); j++) {
      warnings.push({ message: lines[j].slice(2).trim(), location: null });
    }
  }
  return { errors, warnings };
}

function summarize(output, ok) {
  const lines = output.split(/\r?\n/).map((l) => l.trimEnd()).filter(Boolean);
  if (ok) return lines.find((l) => /is valid/.test(l)) ?? lines.at(-1) ?? '';
  const { errors } = parseDiagnostics(output);
  if (errors.length) return errors[0].message;
  const errLine = lines.find((l) => /^Error:?\s/.test(l) && !/^Error: Prisma schema validation/.test(l));
  if (errLine) return errLine.replace(/^Error:?\s*/, '');
  const noise = /^(Prisma schema loaded from|Loaded Prisma config|Prisma CLI Version|\[Context:|Validation Error Count)/;
  return lines.filter((l) => !noise.test(l)).join('\n') || lines.join('\n');
}

function validateOne(schemaPath, { timeoutMs, env }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const abs = path.resolve(schemaPath);
    const base = { path: schemaPath };
    if (!existsSync(abs)) {
      resolve({ ...base, ok: false, message: `no such file or directory: ${schemaPath}`, errors: [], warnings: [],
        exitCode: null, timedOut: false, oracleError: true, durationMs: 0, output: '' });
      return;
    }
    const cwd = mkdtempSync(path.join(tmpdir(), 'prisma-oracle-'));
    let out = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(process.execPath, [PRISMA_CLI, 'validate', '--schema', abs], {
        cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32',
      });
    } catch (e) {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ ...base, ok: false, message: `spawn failed: ${e.message}`, errors: [], warnings: [],
        exitCode: null, timedOut: false, oracleError: true, durationMs: Date.now() - started, output: '' });
      return;
    }
    const kill = () => {
      try { process.platform === 'win32' ? child.kill('SIGKILL') : process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    };
    const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    child.on('error', (e) => { out += `\nspawn error: ${e.message}`; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      // Prisma prints the schema path relative to its cwd (our temp dir): show the caller's path.
      const rel = path.relative(cwd, abs); // longer than abs and contains it: replace first
      const output = stripAnsi(out).replaceAll(rel, schemaPath).replaceAll(abs, schemaPath).trim();
      const ok = !timedOut && code === 0;
      const { errors, warnings } = parseDiagnostics(output);
      // A real verdict is exit 0 (valid) or exit 1 with Prisma's own error text.
      const gotVerdict = ok || (!timedOut && code === 1 && (errors.length > 0 || /P1012|Error validating|schema validation/i.test(output)));
      let message;
      if (timedOut) message = `oracle timeout after ${timeoutMs} ms`;
      else if (signal) message = `prisma CLI killed by ${signal}`;
      else message = summarize(output, ok);
      resolve({
        ...base, ok, message, errors, warnings,
        exitCode: code, timedOut, oracleError: !gotVerdict,
        durationMs: Date.now() - started, output,
      });
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(PRISMA_CLI)) {
    process.stderr.write(`validate.mjs: ${PRISMA_CLI} not found — run \`npm ci\` in ${HERE}\n`);
    process.exit(2);
  }
  const prismaVersion = JSON.parse(readFileSync(path.join(PRISMA_PKG, 'package.json'), 'utf8')).version;
  if (opts.version) { process.stdout.write(`${JSON.stringify({ prisma: prismaVersion })}\n`); return; }

  let paths = opts.paths;
  if (paths.length === 0) {
    if (process.stdin.isTTY) usage('no paths given');
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    paths = Buffer.concat(chunks).toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  }

  const env = offlineEnv();
  const results = new Array(paths.length);
  let nextToPrint = 0;
  let nextToRun = 0;
  let oracleErrors = 0;
  const flush = () => {
    while (nextToPrint < paths.length && results[nextToPrint]) {
      process.stdout.write(`${JSON.stringify({ ...results[nextToPrint], prismaVersion })}\n`);
      nextToPrint++;
    }
  };
  const worker = async () => {
    while (nextToRun < paths.length) {
      const i = nextToRun++;
      results[i] = await validateOne(paths[i], { timeoutMs: opts.timeoutMs, env });
      if (results[i].oracleError) oracleErrors++;
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, paths.length) }, worker));
  flush();
  process.exitCode = oracleErrors > 0 ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`validate.mjs: ${e.stack ?? e}\n`);
  process.exit(2);
});
