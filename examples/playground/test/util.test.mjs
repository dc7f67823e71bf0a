// Unit tests of the playground's pure helpers (no browser).
import test from 'node:test';
import assert from 'node:assert/strict';
import { offsetOf, rangeOf, encodeState, decodeState } from '../src/util.js';
import { generateSchema } from '../src/generate.js';

test('offsetOf maps 1-based line/column (characters) to UTF-16 offsets', () => {
  const text = 'ab\ncd😀ef\n\nlast';
  assert.equal(offsetOf(text, { line: 1, column: 1 }), 0);
  assert.equal(offsetOf(text, { line: 2, column: 1 }), 3);
  assert.equal(offsetOf(text, { line: 2, column: 3 }), 5); // before the emoji
  assert.equal(offsetOf(text, { line: 2, column: 4 }), 7); // the emoji is 1 char, 2 code units
  assert.equal(text.slice(7, 9), 'ef');
  assert.equal(offsetOf(text, { line: 2, column: 99 }), 9); // clamped to the end of the line
  assert.equal(offsetOf(text, { line: 4, column: 5 }), text.length);
  assert.equal(offsetOf(text, { line: 9, column: 1 }), text.length);
  assert.deepEqual(rangeOf(text, { start: { line: 2, column: 4 }, end: { line: 2, column: 6 } }), [7, 9]);
  assert.deepEqual(rangeOf(text, { start: { line: 2, column: 4 }, end: { line: 1, column: 1 } }), [7, 7]);
});

test('state round-trips through the URL hash encoding', async () => {
  const state = { schema: 'model A { id Int @id } // ünïcødé 😀\n'.repeat(50), migration: '', env: 'X=1' };
  const hash = await encodeState(state);
  assert.match(hash, /^[zb]\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeState('#' + hash), state);
  if (hash.startsWith('z.')) assert.ok(hash.length < JSON.stringify(state).length / 4, 'compressed');
  assert.equal(await decodeState('#garbage'), null);
  assert.equal(await decodeState('#b.!!!'), null);
  assert.equal(await decodeState('#b.' + btoa('[1,2]')), null);
});

test('the generator port produces n models', () => {
  const s = generateSchema(3);
  assert.equal((s.match(/^model M\d+ \{$/gm) || []).length, 3);
  assert.match(s, /parent {4}M1\? {4}@relation\("P2", fields: \[parentId\]/);
});
