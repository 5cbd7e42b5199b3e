#!/usr/bin/env node
// Generates TypeScript types for every .proto under proto/ (proto-loader-gen-types). The loader
// options in src/proto.ts must match these flags.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const protoRoot = path.resolve(__dirname, '..', '..', '..', 'proto');
const outDir = path.resolve(__dirname, '..', 'src', 'generated');
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.proto')) files.push(path.relative(protoRoot, full));
  }
})(protoRoot);
fs.rmSync(outDir, { recursive: true, force: true });
const bin = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');
// file names BEFORE -I: that option swallows positional arguments
const r = spawnSync(
  process.execPath,
  [
    bin,
    ...files,
    '--longs=String',
    '--enums=String',
    '--defaults',
    '--oneofs',
    '--keepCase=false',
    '--grpcLib=@grpc/grpc-js',
    `--outDir=${outDir}`,
    '-I',
    protoRoot,
  ],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
