// Walrus's own TypeScript storage-node client (`StorageNodeClient` of @mysten/walrus 1.2.13) driven against any
// node that speaks the Walrus REST API, so Tusk's tests can see exactly what the TS SDK sends, gets and throws.
//
// Used by oracle.mjs (op `storageNode`); also runnable by hand:
//
//   node ts-node-client.mjs <method> <host:port> <blobId> [key=value …] [body=FILE]
//     e.g. node ts-node-client.mjs getBlobStatus 127.0.0.1:9185 AAECAwQF…
//          node ts-node-client.mjs getSliver 127.0.0.1:9185 AAEC… sliverPairIndex=3 sliverType=primary
//
// prints one JSON line: the request's outcome as described at `callStorageNode`.
//
// The client is imported from its file (dist/storage-node/client.mjs is not in the package's exports). URLs are
// `http://${host:port}${path}`, as the SDK builds them with `storageNodeUrlScheme: 'http'`.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const sdkRoot = require.resolve('@mysten/walrus').replace(/dist\/index\.(mjs|cjs|js)$/, '');

let modules = null;

/** Loads the SDK's storage-node client, its error classes and its BCS types (once). */
export async function sdkStorageNode() {
  if (modules === null) {
    const [client, errors, bcs] = await Promise.all([
      import(pathToFileURL(`${sdkRoot}dist/storage-node/client.mjs`).href),
      import(pathToFileURL(`${sdkRoot}dist/storage-node/error.mjs`).href),
      import(pathToFileURL(`${sdkRoot}dist/utils/bcs.mjs`).href),
    ]);
    modules = { StorageNodeClient: client.StorageNodeClient, errors, bcs };
  }
  return modules;
}

/** The SDK's error classes, most specific first: the first `instanceof` match names an error. */
const ERROR_CLASS_ORDER = [
  'BlobNotRegisteredError', 'BadRequestError', 'AuthenticationError', 'PermissionDeniedError', 'NotFoundError',
  'ConflictError', 'UnprocessableEntityError', 'RateLimitError', 'LegallyUnavailableError', 'InternalServerError',
  'UserAbortError', 'ConnectionTimeoutError', 'ConnectionError', 'StorageNodeAPIError', 'StorageNodeError',
];

class UsageError extends Error {}

function errorClassOf(error, errors) {
  for (const name of ERROR_CLASS_ORDER) {
    if (errors[name] && error instanceof errors[name]) return name;
  }
  return error?.constructor?.name ?? typeof error;
}

function describeError(error, errors) {
  return {
    outcome: 'threw',
    errorClass: errorClassOf(error, errors),
    isStorageNodeError: error instanceof errors.StorageNodeError,
    status: error?.status ?? null,
    message: error instanceof Error
      ? error.message + (error.cause ? ` (cause: ${error.cause?.message ?? error.cause})` : '') : String(error),
    reason: error?.error?.error?.details?.[0]?.reason ?? null,
    errorBody: error?.error ?? null,
  };
}

/** JSON-safe copy: bigints become decimal strings, byte arrays plain arrays. */
function plain(value) {
  return JSON.parse(JSON.stringify(value, (key, v) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return Array.from(v);
    return v;
  }));
}

/**
 * Calls one method of the SDK's `StorageNodeClient` and reports the outcome.
 *
 * @param request `{ method, node ("host:port"), blobId (text), sliverPairIndex?, sliverType?, objectId?,
 *                  timeoutMs?, expectEpoch?, bodyForm? ("object" (default) | "bytes") }`
 * @param body    metadata: BCS `BlobMetadata` (no blob ID); slivers: BCS `SliverData`; confirmations with
 *                `expectEpoch`: the node's 48-byte BLS public key; otherwise unused
 * @param wasm    the @mysten/walrus-wasm module (for confirmation checks)
 * @returns `{ header, payloads }`. `header.outcome` is `returned` or `threw`.
 *   - returned: `header.result` is what the method returned, JSON-safe. `getSliver` returns bytes (payload 0);
 *     `getBlobMetadata` returns the parsed object: `header.result` is its summary and payload 0 the SDK's
 *     re-serialization (`BlobMetadataWithId.serialize`). Confirmations with `expectEpoch` also carry
 *     `header.sdkCheck` = { expectedMessage, messageMatches, signatureValid }, the SDK's own acceptance test
 *     (`certificateFromConfirmations`: string equality with its serialized message, then
 *     `bls12381_min_pk_verify`).
 *   - threw: `header.errorClass` (SDK class name), `status`, `message`, `reason` (details[0].reason),
 *     `errorBody` (the parsed JSON body, or null).
 */
export async function callStorageNode(request, body, wasm) {
  const { StorageNodeClient, errors, bcs } = await sdkStorageNode();
  const client = new StorageNodeClient({ timeout: request.timeoutMs ?? 30000 });
  const options = { nodeUrl: `http://${request.node}` };
  const { blobId, sliverPairIndex, sliverType, objectId } = request;
  const asObject = (request.bodyForm ?? 'object') === 'object';
  try {
    switch (request.method) {
      case 'storeBlobMetadata': {
        // The SDK passes encodeBlob()'s metadata object; parse the bytes into the SDK's form so the client
        // serializes it with its own BCS type, as it does in a real upload.
        const metadata = asObject ? bcs.BlobMetadata.parse(body) : body;
        return returned(await client.storeBlobMetadata({ blobId, metadata }, options));
      }
      case 'storeSliver': {
        // The SDK uploads encodeBlob()'s raw SliverData buffers; "object" form goes through SliverData.serialize.
        const sliver = asObject ? bcs.SliverData.parse(body) : body;
        return returned(await client.storeSliver({ blobId, sliverPairIndex, sliverType, sliver }, options));
      }
      case 'getBlobMetadata': {
        const parsed = await client.getBlobMetadata({ blobId }, options);
        const v1 = parsed.metadata.V1;
        return {
          header: {
            outcome: 'returned',
            result: {
              blobId: parsed.blobId,
              encodingType: v1 ? (v1.encoding_type.$kind ?? Object.keys(v1.encoding_type)[0]) : null,
              unencodedLength: v1 ? String(v1.unencoded_length) : null,
              pairs: v1 ? v1.hashes.length : null,
            },
          },
          payloads: [bcs.BlobMetadataWithId.serialize(parsed).toBytes()],
        };
      }
      case 'getSliver': {
        const bytes = await client.getSliver({ blobId, sliverPairIndex, sliverType }, options);
        return { header: { outcome: 'returned', result: null }, payloads: [bytes] };
      }
      case 'getBlobStatus':
        return returned(await client.getBlobStatus({ blobId }, options));
      case 'getMetadataStatus':
        return returned(await client.getMetadataStatus({ blobId }, options));
      case 'getSliverStatus':
        return returned(await client.getSliverStatus({ blobId, sliverPairIndex, sliverType }, options));
      case 'getPermanentBlobConfirmation':
      case 'getDeletableBlobConfirmation': {
        const deletable = request.method === 'getDeletableBlobConfirmation';
        const response = deletable
          ? await client.getDeletableBlobConfirmation({ blobId, objectId }, options)
          : await client.getPermanentBlobConfirmation({ blobId }, options);
        const out = returned(response);
        if (request.expectEpoch !== undefined) {
          out.header.sdkCheck = confirmationCheck(response, request, body, deletable, bcs, wasm);
        }
        return out;
      }
      default:
        throw new UsageError(`unknown StorageNodeClient method ${JSON.stringify(request.method)}`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Whatever the client throws is its answer, transport failures (fetch's TypeError) included.
    return { header: describeError(error, errors), payloads: [] };
  }
}

function returned(result) {
  return { header: { outcome: 'returned', result: plain(result) }, payloads: [] };
}

/** What the SDK's `getStorageConfirmationFromNode` + `certificateFromConfirmations` make of a response. */
function confirmationCheck(response, request, publicKey, deletable, bcs, wasm) {
  const signed = response?.success?.data?.signed ?? null;
  const expectedMessage = bcs.StorageConfirmation.serialize({
    intent: bcs.IntentType.BLOB_CERT_MSG,
    epoch: request.expectEpoch,
    messageContents: {
      blobId: request.blobId,
      blobType: deletable ? { Deletable: { objectId: request.objectId } } : { Permanent: null },
    },
  }).toBase64();
  const messageMatches = signed?.serializedMessage === expectedMessage;
  let signatureValid = false;
  if (messageMatches && wasm && publicKey) {
    signatureValid = wasm.bls12381_min_pk_verify(Buffer.from(signed.signature, 'base64'), publicKey,
      Buffer.from(signed.serializedMessage, 'base64'));
  }
  return { hasSigned: signed !== null, expectedMessage, messageMatches, signatureValid };
}

// ---- command line -------------------------------------------------------------------------------

async function main(argv) {
  const [method, node, blobId, ...rest] = argv;
  if (!method || !node || !blobId) {
    process.stderr.write('usage: node ts-node-client.mjs <method> <host:port> <blobId> [key=value …] [body=FILE]\n');
    process.exit(2);
  }
  const request = { method, node, blobId };
  let body = null;
  for (const arg of rest) {
    const at = arg.indexOf('=');
    const key = arg.slice(0, at);
    const value = arg.slice(at + 1);
    if (key === 'body') body = readFileSync(value);
    else request[key] = /^\d+$/.test(value) ? Number(value) : value;
  }
  const { header, payloads } = await callStorageNode(request, body, require('@mysten/walrus-wasm'));
  if (payloads.length > 0) header.payloadBase64 = Buffer.from(payloads[0]).toString('base64');
  process.stdout.write(`${JSON.stringify(header)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
