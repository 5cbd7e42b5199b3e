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
