// Walrus oracle: a long-lived Node process that runs Walrus's own encoder (@mysten/walrus-wasm,
// walrus-core compiled to WASM) on request, so Tusk's Java tests can compare with it byte for byte.
//
// Protocol (stdin -> requests, stdout -> responses, one request at a time, in order):
//
//   frame   = u32 BE header length ‖ header (UTF-8 JSON object) ‖ payload 0 ‖ payload 1 ‖ …
//   header  = { "op": string, …op parameters…, "lens": [byte length of each payload] }
//
// A response is a frame of the same shape. Its header is either
//   { "ok": true, …result fields…, "lens": [...] }            followed by the payloads, or
//   { "ok": false, "error": message, "trap": bool, "lens": [] }
// where "trap" is true if the WASM module trapped (it is then reloaded before the next request).
// Bulk data (blobs, slivers) only ever travels as raw payload bytes, never inside the JSON.
//
// Ops (payloads in brackets):
//   ping                          -> { node, walrusWasm }
//   metadata  {n} [blob]          -> compute_metadata: { encodingType, unencodedLength } [blobId 32, rootHash 32]
//   encode    {n} [blob]          -> encode: { encodingType, unencodedLength, symbolSize, primarySourceSymbols,
//                                    secondarySourceSymbols }
//                                    [blobId 32, rootHash 32, hashes n·64 (pair q: primary hash ‖ secondary hash;
//                                     an Empty node is 32 zero bytes), BCS BlobMetadataWithId,
//                                     primary buffer 0..n-1, secondary buffer 0..n-1]
//                                    Buffer q holds pair q: primary sliver q, secondary sliver n-1-q (SliverData BCS).
//   decode    {n, size} [blobId, primary SliverData BCS…] -> [blob]
//   blsVerify          [sig, pk, msg]     -> { result: bool }
//   blsAggregate       [sig…]             -> [aggregate sig]
//   blsVerifyAggregate [msg, sig, pk…]    -> { result: bool }
//   blake2b256         [data]             -> [digest 32]
//   sdkBlobId {n} [blobId 32]             -> @mysten/walrus SDK view of a blob ID: { text, u256 (decimal string),
//                                            shardOfPair0 (toShardIndex(0, id, n)), pairOfShard0 (toPairIndex) }
//   sdkMetadata [BCS BlobMetadataWithId]  -> the SDK's BCS type parses and re-serializes it:
//                                            { blobId (text), pairs, unencodedLength } [re-serialized BCS]
//   encodeQuilt {n} [spec, contents 0..m-1] -> @mysten/walrus encodeQuilt({blobs, numShards: n}); spec = UTF-8 JSON
//                                            [{identifier, tags?}…] in the order of the contents payloads:
//                                            { quiltId (text, blob ID of the quilt by the WASM encoder),
//                                              identifiers, starts, ends, patchIds (arrays in quilt order) }
//                                            [quilt blob, BCS QuiltIndexV1 (the SDK's serialization of its index)]
//   storageNode {method, node, blobId, …} [body] -> one call of @mysten/walrus's StorageNodeClient against a live
//                                            node (http://node…); see callStorageNode in ts-node-client.mjs.
//                                            An error the client throws is a result (outcome "threw"), not a
//                                            failed op.
//
// The process exits when stdin closes. Diagnostics go to stderr.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { blake2b } from '@noble/hashes/blake2.js';
import { callStorageNode } from './ts-node-client.mjs';

const require = createRequire(import.meta.url);
const WASM_PACKAGE = '@mysten/walrus-wasm';
const wasmEntry = require.resolve(WASM_PACKAGE);
const wasmPackageDir = wasmEntry.slice(0, wasmEntry.lastIndexOf('/') + 1);
const wasmVersion = JSON.parse(readFileSync(`${wasmPackageDir}package.json`, 'utf8')).version;

let wasm = loadWasm();
const encoders = new Map(); // n -> BlobEncoder (valid for the current `wasm` instance only)

/** Loads (or reloads, after a trap) a fresh instance of the WASM module. */
function loadWasm() {
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(wasmPackageDir)) delete require.cache[key];
  }
  return require(WASM_PACKAGE);
}

function encoderFor(n) {
  if (!Number.isInteger(n)) throw new Error(`n must be an integer, got ${n}`);
  let encoder = encoders.get(n);
  if (encoder === undefined) {
    encoder = new wasm.BlobEncoder(n);
    encoders.set(n, encoder);
  }
  return encoder;
}

/** The SDK's internal utils (not in its package exports, so imported by file; loaded on first use). */
let sdkModules = null;
async function sdk() {
  if (sdkModules === null) {
    const root = require.resolve('@mysten/walrus').replace(/dist\/index\.(mjs|cjs|js)$/, '');
    const [utils, bcs, quilts] = await Promise.all([
      import(pathToFileURL(`${root}dist/utils/index.mjs`).href),
      import(pathToFileURL(`${root}dist/utils/bcs.mjs`).href),
      import(pathToFileURL(`${root}dist/utils/quilts.mjs`).href),
    ]);
    sdkModules = { utils, bcs, quilts };
  }
  return sdkModules;
}

// ---- Sizes (walrus-protocol.md §1, §2) -------------------------------------------------------

function sourceSymbols(n) {
  const f = Math.floor((n - 1) / 3);
  return { p: n - 2 * f, s: n - f };
}

function symbolSize(n, length) {
  const { p, s } = sourceSymbols(n);
  let sym = Math.ceil(Math.max(length, 1) / (p * s));
  if (sym % 2 === 1) sym += 1;
  return sym;
}

function ulebLength(value) {
  let length = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    length++;
  }
  return length;
}

function sliverDataLength(sliverBytes) {
  return ulebLength(sliverBytes) + sliverBytes + 4;
}

// ---- Converting the oracle's JS values --------------------------------------------------------

/** A Merkle `Node` as serde-wasm-bindgen gives it: { Digest: number[32] } or the string "Empty". */
function nodeBytes(node, what) {
  if (node === 'Empty') return { tag: 0, bytes: new Uint8Array(32) };
  if (node && Array.isArray(node.Digest) && node.Digest.length === 32) {
    return { tag: 1, bytes: Uint8Array.from(node.Digest) };
  }
  throw new Error(`unexpected Node value for ${what}: ${JSON.stringify(node)}`);
}

function bytes32(value, what) {
  if (value == null || value.length !== 32) throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
  return Uint8Array.from(value);
}

function u64le(value) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), true);
  return out;
}

function uleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Uint8Array.from(out);
}

const ENCODING_TYPE_TAGS = { RedStuff: 0, RS2: 1 };

/**
 * Turns encode()'s metadata ({ blob_id, metadata: { V1: { encoding_type, unencoded_length, hashes } } })
 * into the raw hash list and the BCS of BlobMetadataWithId (walrus-protocol.md §4).
 */
function metadataPayloads(metadataWithId) {
  const blobId = bytes32(metadataWithId.blob_id, 'blob_id');
  const v1 = metadataWithId.metadata && metadataWithId.metadata.V1;
  if (!v1) throw new Error(`unexpected metadata: ${Object.keys(metadataWithId.metadata ?? {})}`);
  const encodingTag = ENCODING_TYPE_TAGS[v1.encoding_type];
  if (encodingTag === undefined) throw new Error(`unexpected encoding_type ${v1.encoding_type}`);
  const pairs = v1.hashes;
  const hashes = new Uint8Array(pairs.length * 64);
  const countPrefix = uleb(pairs.length);
  const bcs = new Uint8Array(32 + 2 + 8 + countPrefix.length + pairs.length * 66);
  let at = 0;
  const put = (bytes) => { bcs.set(bytes, at); at += bytes.length; };
  put(blobId);
  put([0, encodingTag]); // BlobMetadata::V1, EncodingType
  put(u64le(v1.unencoded_length));
  put(countPrefix);
  let emptyNodes = 0;
  pairs.forEach((pair, q) => {
    for (const [k, node] of [[0, pair.primary_hash], [1, pair.secondary_hash]]) {
      const { tag, bytes } = nodeBytes(node, `pair ${q}`);
      hashes.set(bytes, q * 64 + k * 32);
      if (tag === 0) { emptyNodes++; put([0]); } else { put([1]); put(bytes); }
    }
  });
  return {
    blobId,
    encodingType: v1.encoding_type,
    unencodedLength: v1.unencoded_length,
    hashes,
    bcs: bcs.subarray(0, at),
    emptyNodes,
  };
}

// ---- Ops --------------------------------------------------------------------------------------

const ops = {
  ping() {
    return { header: { node: process.version, walrusWasm: wasmVersion }, payloads: [] };
  },

  metadata(header, [blob]) {
    const [blobId, rootHash, unencodedLength, encodingType] = encoderFor(header.n).compute_metadata(blob);
    return {
      header: { encodingType, unencodedLength },
      payloads: [bytes32(blobId, 'blob id'), nodeBytes(rootHash, 'root hash').bytes],
    };
  },

  encode(header, [blob]) {
    const n = header.n;
    const encoder = encoderFor(n); // validates n first (the oracle traps for n < 4)
    const { p, s } = sourceSymbols(n);
    const sym = symbolSize(n, blob.length);
    if (sym > 65534) {
      throw new Error(`blob of ${blob.length} bytes is too large for ${n} shards (symbol size ${sym} > 65534)`);
    }
    const primary = new Array(n);
    const secondary = new Array(n);
    for (let q = 0; q < n; q++) {
      primary[q] = new Uint8Array(sliverDataLength(s * sym));
      secondary[q] = new Uint8Array(sliverDataLength(p * sym));
    }
    const [metadataWithId, rootHash] = encoder.encode(blob, primary, secondary);
    const metadata = metadataPayloads(metadataWithId);
    return {
      header: {
        encodingType: metadata.encodingType,
        unencodedLength: metadata.unencodedLength,
        symbolSize: sym,
        primarySourceSymbols: p,
        secondarySourceSymbols: s,
        emptyNodes: metadata.emptyNodes,
      },
      payloads: [metadata.blobId, nodeBytes(rootHash, 'root hash').bytes, metadata.hashes, metadata.bcs,
        ...primary, ...secondary],
    };
  },

  decode(header, [blobId, ...slivers]) {
    const out = new Uint8Array(header.size);
    encoderFor(header.n).decode(Array.from(blobId), BigInt(header.size), slivers, out);
    return { header: {}, payloads: [out] };
  },

  blsVerify(header, [sig, pk, msg]) {
    return { header: { result: wasm.bls12381_min_pk_verify(sig, pk, msg) }, payloads: [] };
  },

  blsAggregate(header, sigs) {
    return { header: {}, payloads: [wasm.bls12381_min_pk_aggregate(sigs.map((sig) => Array.from(sig)))] };
  },

  blsVerifyAggregate(header, [msg, sig, ...pks]) {
    const result = wasm.bls12381_min_pk_verify_aggregate(pks.map((pk) => Array.from(pk)), msg, sig);
    return { header: { result }, payloads: [] };
  },

  blake2b256(header, [data]) {
    return { header: {}, payloads: [blake2b(data, { dkLen: 32 })] };
  },

  async sdkBlobId(header, [blobId]) {
    const { utils, bcs } = await sdk();
    const text = bcs.blobIdFromBytes(blobId);
    return {
      header: {
        text,
        u256: bcs.blobIdToInt(text).toString(),
        shardOfPair0: utils.toShardIndex(0, text, header.n),
        pairOfShard0: utils.toPairIndex(0, text, header.n),
      },
      payloads: [],
    };
  },

  async sdkMetadata(header, [metadataWithId]) {
    const { bcs } = await sdk();
    const parsed = bcs.BlobMetadataWithId.parse(metadataWithId);
    const v1 = parsed.metadata.V1;
    return {
      header: { blobId: parsed.blobId, pairs: v1.hashes.length, unencodedLength: String(v1.unencoded_length) },
      payloads: [bcs.BlobMetadataWithId.serialize(parsed).toBytes()],
    };
  },

  async encodeQuilt(header, [spec, ...contents]) {
    const { bcs, quilts } = await sdk();
    const entries = JSON.parse(Buffer.from(spec).toString('utf8'));
    if (entries.length !== contents.length) throw new Error(`spec lists ${entries.length} blobs, got ${contents.length} payloads`);
    const blobs = entries.map((entry, i) => ({
      contents: new Uint8Array(contents[i].buffer, contents[i].byteOffset, contents[i].length),
      identifier: entry.identifier,
      ...(entry.tags ? { tags: entry.tags } : {}),
    }));
    const { quilt, index } = quilts.encodeQuilt({ blobs, numShards: header.n });
    const [blobId] = encoderFor(header.n).compute_metadata(quilt);
    const quiltId = bcs.blobIdFromBytes(bytes32(blobId, 'quilt id'));
    const patches = index.patches;
    return {
      header: {
        quiltId,
        identifiers: patches.map((p) => p.identifier),
        starts: patches.map((p) => p.startIndex),
        ends: patches.map((p) => p.endIndex),
        patchIds: patches.map((p) => quilts.encodeQuiltPatchId({
          quiltId, patchId: { version: 1, startIndex: p.startIndex, endIndex: p.endIndex },
        })),
      },
      payloads: [quilt, bcs.QuiltIndexV1.serialize(index).toBytes()],
    };
  },

  async storageNode(header, [body]) {
    const { op, lens, ...request } = header;
    return callStorageNode(request, body ?? null, wasm);
  },
};

// ---- Framing ----------------------------------------------------------------------------------

/** Buffers stdin chunks and hands out exact byte counts with a single copy. */
class Input {
  constructor(stream) {
    this.chunks = [];
    this.available = 0;
    this.waiter = null;
    this.ended = false;
    stream.on('data', (chunk) => { this.chunks.push(chunk); this.available += chunk.length; this.wake(); });
    stream.on('end', () => { this.ended = true; this.wake(); });
  }

  wake() {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter();
  }

  /** Resolves to exactly `count` bytes, or null if stdin ended first. */
  async read(count) {
    while (this.available < count) {
      if (this.ended) return null;
      await new Promise((resolve) => { this.waiter = resolve; });
    }
    const out = Buffer.allocUnsafeSlow(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0];
      const take = Math.min(chunk.length, count - filled);
      chunk.copy(out, filled, 0, take);
      filled += take;
      if (take === chunk.length) this.chunks.shift(); else this.chunks[0] = chunk.subarray(take);
    }
    this.available -= count;
    return out;
  }
}

function writeFrame(header, payloads) {
  header.lens = payloads.map((payload) => payload.length);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(json.length, 0);
  process.stdout.write(prefix);
  process.stdout.write(json);
  for (const payload of payloads) {
    if (payload.length > 0) process.stdout.write(payload);
  }
}

function describe(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

async function main() {
  const input = new Input(process.stdin);
  for (;;) {
    const prefix = await input.read(4);
    if (prefix === null) break;
    const headerBytes = await input.read(prefix.readUInt32BE(0));
    if (headerBytes === null) break;
    let request;
    const payloads = [];
    try {
      request = JSON.parse(headerBytes.toString('utf8'));
    } catch (error) {
      // The stream cannot be resynchronised without a header: report and stop.
      writeFrame({ ok: false, error: `bad request header: ${describe(error)}`, trap: false }, []);
      process.exit(2);
    }
    let truncated = false;
    for (const length of request.lens ?? []) {
      const payload = await input.read(length);
      if (payload === null) { truncated = true; break; }
      payloads.push(payload);
    }
    if (truncated) break;
    const op = ops[request.op];
    try {
      if (op === undefined) throw new Error(`unknown op ${JSON.stringify(request.op)}`);
      const { header, payloads: out } = await op(request, payloads);
      writeFrame({ ok: true, ...header }, out);
    } catch (error) {
      const trap = error instanceof WebAssembly.RuntimeError;
      if (trap) {
        // A trapped instance may be left inconsistent (locks, allocator): start from a fresh one.
        wasm = loadWasm();
        encoders.clear();
      }
      writeFrame({ ok: false, error: describe(error), trap }, []);
    }
  }
}

main().catch((error) => {
  process.stderr.write(`oracle: fatal: ${error?.stack ?? error}\n`);
  process.exit(1);
});
