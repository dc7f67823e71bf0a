// Pure helpers of the playground (no DOM): usable from the page and from Node tests.

/**
 * UTF-16 offset (what textarea.setSelectionRange expects) of a report Position: 1-based line,
 * 1-based column counted in characters (Unicode scalar values). Clamped to the line's end.
 */
export function offsetOf(text, pos) {
  let lineStart = 0;
  for (let line = 1; line < pos.line; line++) {
    const nl = text.indexOf('\n', lineStart);
    if (nl < 0) return text.length;
    lineStart = nl + 1;
  }
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  let i = lineStart;
  for (let col = 1; col < pos.column && i < lineEnd; col++) {
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < lineEnd ? 2 : 1; // surrogate pair = 1 char
  }
  return i;
}

/** [start, end] UTF-16 offsets of a report Location in `text` (end >= start). */
export function rangeOf(text, location) {
  const start = offsetOf(text, location.start);
  const end = offsetOf(text, location.end);
  return [start, Math.max(start, end)];
}

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/**
 * Encode the playground state (an object of strings) for the URL hash: `z.` + base64url of the
 * deflate-raw compressed JSON when CompressionStream exists, else `b.` + base64url of the JSON.
 */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  if (typeof CompressionStream === 'function') {
    return 'z.' + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
  }
  return 'b.' + toBase64Url(json);
}

/** Inverse of encodeState; returns null for anything it cannot read. */
export async function decodeState(hash) {
  try {
    const s = hash.replace(/^#/, '');
    let bytes;
    if (s.startsWith('z.')) bytes = await pipe(fromBase64Url(s.slice(2)), new DecompressionStream('deflate-raw'));
    else if (s.startsWith('b.')) bytes = fromBase64Url(s.slice(2));
    else return null;
    const state = JSON.parse(new TextDecoder().decode(bytes));
    if (state === null || typeof state !== 'object' || Array.isArray(state)) return null;
    for (const v of Object.values(state)) if (typeof v !== 'string') return null;
    return state;
  } catch {
    return null;
  }
}

/** Call `fn` once `ms` after the last call. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
