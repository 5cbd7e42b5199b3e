// Apollo's federation packages re-export their modules through getters (TypeScript's CommonJS
// `export *`), so every call the gateway makes into them — isObjectType(…), isLeafType(…) for each
// value of an answer while shaping it — first runs one shared, megamorphic getter: ~5 % of the
// router's CPU on a 360-resident campus tree (CPU profile under the bench). Their exports are
// functions, classes and constants that never change after load, so every later `require` of the
// package gets a plain copy. Imported first by app.ts, before @apollo/gateway loads it.

/** Replaces a loaded package's exports, for later `require`s, with a copy of plain properties. */
function usePlainExports(name: string): void {
  const file = require.resolve(name);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS exports object itself, not an interop wrapper
  const loaded = require(file) as Record<string, unknown>;
  const cached = require.cache[file];
  if (!cached || cached.exports !== loaded) return; // not Node's module cache (e.g. under Jest)
  const plain: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(loaded)) plain[key] = loaded[key];
  Object.defineProperty(plain, '__esModule', { value: true });
  cached.exports = plain;
}

usePlainExports('@apollo/federation-internals');
