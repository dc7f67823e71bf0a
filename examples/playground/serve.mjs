// Tiny static server for the playground: 127.0.0.1 only, a free port by default, correct MIME
// types (`.wasm` must be application/wasm for streaming instantiation).
// Usage: node examples/playground/serve.mjs [--port N] [--root DIR]   (default root: dist/)
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.prisma': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serve `root` on 127.0.0.1:`port` (0 = any free port); resolves to { url, close }. */
export async function startServer(root, port = 0) {
  const base = resolve(root) + sep;
  const server = http.createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = resolve(join(base, path));
      if (!file.startsWith(base)) throw new Error('outside root');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const here = dirname(fileURLToPath(import.meta.url));
  const { url } = await startServer(arg('--root', join(here, 'dist')), Number(arg('--port', 0)));
  console.log(`prisma-audit playground: ${url}  (Ctrl-C to stop)`);
}
