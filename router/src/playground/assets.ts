import fs from 'node:fs';
import path from 'node:path';

/**
 * The third-party files the playground loads, served from node_modules (the machines are offline
 * and the page must never reach a CDN). An explicit list, so nothing else of node_modules is
 * reachable over HTTP.
 */
const packageDir = (name: string): string => path.dirname(require.resolve(`${name}/package.json`));

export const VENDOR_ASSETS: Readonly<Record<string, string>> = {
  'react.production.min.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.production.min.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.min.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.min.js.map': path.join(packageDir('graphiql'), 'graphiql.min.js.map'),
  'graphiql.min.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
  'graphiql.min.css.map': path.join(packageDir('graphiql'), 'graphiql.min.css.map'),
};

/** Fails at start-up (not at the first page view) when an installed package lacks a file. */
export function assertVendorAssetsPresent(): void {
  const missing = Object.values(VENDOR_ASSETS).filter((file) => !fs.existsSync(file));
  if (missing.length) throw new Error(`playground assets missing: ${missing.join(', ')}`);
}
