import path from 'node:path';

/**
 * A module of the pinned @apollo/gateway's dist (e.g. `resultShaping.js`): the CommonJS exports
 * object its own code calls through, so a function put there replaces the gateway's. Its members
 * are optional: a later gateway may have moved them (the callers check, and say so).
 */
export function gatewayModule<T extends object>(file: string): Partial<T> {
  const dist = path.dirname(require.resolve('@apollo/gateway'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the exports object itself, not a copy of its bindings
  return require(path.join(dist, file)) as Partial<T>;
}

/**
 * Puts `replace(original)` in place of a function of the @apollo/federation-internals copy the
 * gateway loads, defined in its dist/`file`. The gateway calls it through the package's entry
 * point: a plain copy of the exports in the router (federation-exports.ts), getters reading the
 * defining module's exports elsewhere (under Jest); both are set. False, with nothing replaced,
 * when the function is not there or the entry point does not then answer with the replacement.
 */
export function replaceFederationFunction<F extends (...args: never[]) => unknown>(
  file: string,
  name: string,
  replace: (original: F) => F,
): boolean {
  const gateway = path.dirname(require.resolve('@apollo/gateway'));
  const entry = require.resolve('@apollo/federation-internals', { paths: [gateway] });
  /* eslint-disable @typescript-eslint/no-require-imports -- the exports objects themselves, not copies of their bindings */
  const exported = require(entry) as Record<string, unknown>;
  const defining = require(path.join(path.dirname(entry), file)) as Record<string, unknown>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const original = exported[name];
  if (typeof original !== 'function' || defining[name] !== original) return false;
  const replacement = replace(original as F);
  defining[name] = replacement;
  const own = Object.getOwnPropertyDescriptor(exported, name);
  if (own && 'value' in own && own.writable) exported[name] = replacement;
  if (exported[name] === replacement) return true;
  defining[name] = original;
  return false;
}
