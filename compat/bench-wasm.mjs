// Times Walrus's WASM encoder (@mysten/walrus-wasm) so Tusk's benchmark can print a Tusk/WASM ratio.
//
// Usage: node bench-wasm.mjs [--n 1000] [--size BYTES | --file PATH] [--iterations 5] [--warmup 1]
//                            [--ops encode,metadata] [--seed 1]
// Prints one JSON line on stdout:
//   {"tool":"walrus-wasm","version":"0.3.0","node":"v20…","n":1000,"size":…,"symbolSize":…,"iterations":5,
//    "encode":{"mibPerSecond":…,"bestMs":…,"medianMs":…},"metadata":{…}}
// MiB/s = blob bytes (not encoded bytes) / median time. `encode` includes allocating the 2n SliverData
// buffers it writes into, as a real client must; `metadata` is `compute_metadata`.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wasm = require('@mysten/walrus-wasm');
const wasmEntry = require.resolve('@mysten/walrus-wasm');
const wasmVersion = JSON.parse(
  readFileSync(`${wasmEntry.slice(0, wasmEntry.lastIndexOf('/') + 1)}package.json`, 'utf8')).version;

function parseArgs(argv) {
  const options = { n: 1000, size: 32 * 1024 * 1024, file: null, iterations: 5, warmup: 1,
    ops: ['encode', 'metadata'], seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (key) {
      case '--n': options.n = Number(value()); break;
      case '--size': options.size = Number(value()); break;
      case '--file': options.file = value(); break;
      case '--iterations': options.iterations = Number(value()); break;
      case '--warmup': options.warmup = Number(value()); break;
      case '--ops': options.ops = value().split(','); break;
      case '--seed': options.seed = Number(value()); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!(options.n >= 4)) throw new Error(`--n must be >= 4, got ${options.n}`);
  if (!(options.iterations >= 1)) throw new Error(`--iterations must be >= 1, got ${options.iterations}`);
  return options;
}

/** Deterministic pseudo-random bytes (xorshift32), fast enough for GiB-sized inputs. */
function randomBlob(size, seed) {
  const blob = new Uint8Array(size);
  const words = new Uint32Array(blob.buffer, 0, Math.floor(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    words[i] = x;
  }
  for (let i = words.length * 4; i < size; i++) blob[i] = i & 0xff;
  return blob;
}

function sizes(n, length) {
  const f = Math.floor((n - 1) / 3);
  const p = n - 2 * f;
  const s = n - f;
  let sym = Math.ceil(Math.max(length, 1) / (p * s));
  if (sym % 2 === 1) sym += 1;
  const sliverData = (bytes) => {
    let uleb = 1;
    for (let v = bytes; v >= 128; v = Math.floor(v / 128)) uleb++;
    return uleb + bytes + 4;
  };
  return { p, s, sym, primaryBuffer: sliverData(s * sym), secondaryBuffer: sliverData(p * sym) };
}

function time(run, iterations, warmup) {
  for (let i = 0; i < warmup; i++) run();
  const millis = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    run();
    millis.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  millis.sort((a, b) => a - b);
  return { bestMs: millis[0], medianMs: millis[Math.floor((millis.length - 1) / 2)] };
}

const options = parseArgs(process.argv.slice(2));
const blob = options.file ? new Uint8Array(readFileSync(options.file)) : randomBlob(options.size, options.seed);
const { sym, primaryBuffer, secondaryBuffer } = sizes(options.n, blob.length);
const encoder = new wasm.BlobEncoder(options.n);
const mib = blob.length / (1024 * 1024);
const result = {
  tool: 'walrus-wasm', version: wasmVersion, node: process.version, n: options.n, size: blob.length,
  source: options.file ? 'file' : 'random', symbolSize: sym, iterations: options.iterations,
};
const runs = {
  encode: () => {
    const primary = new Array(options.n);
    const secondary = new Array(options.n);
    for (let q = 0; q < options.n; q++) {
      primary[q] = new Uint8Array(primaryBuffer);
      secondary[q] = new Uint8Array(secondaryBuffer);
    }
    encoder.encode(blob, primary, secondary);
  },
  metadata: () => encoder.compute_metadata(blob),
};
for (const op of options.ops) {
  if (!runs[op]) throw new Error(`unknown op ${op}; known: ${Object.keys(runs)}`);
  const timing = time(runs[op], options.iterations, options.warmup);
  result[op] = { mibPerSecond: Number((mib / (timing.medianMs / 1000)).toFixed(2)),
    bestMs: Number(timing.bestMs.toFixed(3)), medianMs: Number(timing.medianMs.toFixed(3)) };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
