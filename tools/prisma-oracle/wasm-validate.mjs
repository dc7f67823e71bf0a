#!/usr/bin/env node
// In-process Prisma schema validator: Prisma's own validator compiled to WebAssembly
// (npm `@prisma/prisma-schema-wasm`, pinned in package.json for Prisma 7 and, as
// `prisma-schema-wasm-6`, for Prisma 6). About 0.5 ms per schema: no CLI start-up.
//
// Protocol: one JSON request per stdin line, one JSON answer per stdout line, in order.
//
//   request: {"files": [["schema.prisma", "…text…"], …], "major": 7}   (major: 6 or 7, default 7)
//   answer:  {"ok": true,  "errors": []}
//            {"ok": false, "errors": [{"message": "…", "file": "schema.prisma", "line": 12}]}
//            {"ok": false, "oracleError": "…"}   (the validator itself failed: skip, not invalid)
//
// Usage: node wasm-validate.mjs            (server mode, as above)
//        node wasm-validate.mjs --version  → {"7":"7.10.0-…","6":"6.19.0-…"}

import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const validators = {
  7: require('@prisma/prisma-schema-wasm'),
  6: require('prisma-schema-wasm-6'),
};

if (process.argv.includes('--version')) {
  const pkg = (name) => require(`${name}/package.json`).version;
  process.stdout.write(JSON.stringify({ 7: pkg('@prisma/prisma-schema-wasm'), 6: pkg('prisma-schema-wasm-6') }) + '\n');
  process.exit(0);
}

// `error: <message>\n  -->  <file>:<line>` blocks of Prisma's rendered diagnostics.
function parseErrors(text) {
  const errors = [];
  const re = /^error: (.*)$/gm;
  let m;
  while ((m = re.exec(text)) !== null) {
    const rest = text.slice(re.lastIndex, re.lastIndex + 400);
    const loc = /^\s*-->\s+(.*):(\d+)/m.exec(rest);
    const nextErr = rest.indexOf('\nerror: ');
    const located = loc && (nextErr < 0 || loc.index < nextErr);
    errors.push({
      message: m[1],
      file: located ? loc[1] : null,
      line: located ? Number(loc[2]) : null,
    });
  }
  return errors;
}

function answer(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { ok: false, oracleError: `bad request: ${e.message}` };
  }
  const v = validators[req.major ?? 7];
  if (!v) return { ok: false, oracleError: `no validator for Prisma ${req.major}` };
  try {
    v.validate(JSON.stringify({ prismaSchema: req.files, noColor: true }));
    return { ok: true, errors: [] };
  } catch (e) {
    const raw = String(e?.message ?? e);
    let text = raw;
    try {
      text = JSON.parse(raw).message ?? raw;
    } catch {
      // not JSON: a panic or an engine error, keep the raw text
    }
    const errors = parseErrors(text);
    if (errors.length === 0) return { ok: false, oracleError: text.slice(0, 500) };
    return { ok: false, errors };
  }
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (line.trim() === '') return;
  process.stdout.write(JSON.stringify(answer(line)) + '\n');
});
