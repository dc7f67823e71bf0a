// Assemble the static playground into dist/: the page (src/), the wasm module built with
// `wasm-bindgen --target web` (bindings-wasm/pkg-web → dist/pkg) and the default content
// (examples/vet-clinic/prisma/schema.prisma → dist/default-schema.prisma).
// Usage: node examples/playground/build.mjs   (after bindings-wasm/build.sh)
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const dist = join(here, 'dist');
const pkg = join(repo, 'bindings-wasm', 'pkg-web');
if (!existsSync(join(pkg, 'prisma_audit_wasm_bg.wasm'))) {
  console.error(`missing ${pkg}; build it first: bindings-wasm/build.sh`);
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
cpSync(join(here, 'src'), dist, { recursive: true });
cpSync(pkg, join(dist, 'pkg'), { recursive: true, filter: (p) => !p.endsWith('.gitignore') });
cpSync(join(repo, 'examples', 'vet-clinic', 'prisma', 'schema.prisma'), join(dist, 'default-schema.prisma'));
console.log(`playground built in ${dist}`);
