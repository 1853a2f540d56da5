/**
 * The one HTTP stack of Tusk's services (control plane, storage nodes, gateway) and a small JSON client.
 *
 * <p>Server: {@link io.tusk.http.HttpServerBuilder} builds a {@link io.tusk.http.TuskHttpServer} (Jetty 12, virtual
 * threads) from routes such as {@code GET /v1/blobs/{blobId}/slivers/{pairIndex}/{sliverType}}. Handlers are
 * {@code Response handle(Request)}. Every answer takes one of the Walrus shapes:
 * <ul>
 *   <li>success: {@link io.tusk.http.Response#success} writes {@code {"success":{"code":N,"data":…}}}, BCS goes
 *       out as {@code application/octet-stream};</li>
 *   <li>a typed error: throw {@link io.tusk.http.ApiError}, answered as AIP-193 JSON;</li>
 *   <li>a framework rejection (bad path parameter or query, body over the limit, unknown route, wrong method):
 *       {@link io.tusk.http.HttpRejection}, answered as {@code text/plain}, as Walrus nodes answer them. A server
 *       built with {@code parameterErrors(reason)} answers bad parameters that {@link io.tusk.http.Request}'s typed
 *       parsers refuse as AIP-193 JSON instead;</li>
 *   <li>anything else thrown: 500 {@code INTERNAL_ERROR} JSON with a trace ID that is also logged. The server
 *       keeps serving.</li>
 * </ul>
 * CORS is open on every route, and preflight requests are answered.
 *
 * <p>Client: {@link io.tusk.http.JsonHttpClient} unwraps success envelopes and turns AIP-193 errors into
 * {@link io.tusk.http.ApiException}. {@link io.tusk.http.TuskJson} is the shared Jackson configuration, with the text
 * forms of Tusk's core types.
 *
 * <p>Beside HTTP, what every server shares: {@link io.tusk.http.ConfigFile} (config files bound to records) and
 * {@link io.tusk.http.BackgroundLoop} (the one runner of background loops, whose close waits for the pass in progress).
 */
package io.tusk.http;
