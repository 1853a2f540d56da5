package io.tusk.s3;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link S3TestServer} (an in-process network and the S3 API) for every S3 test class of a test run: starting a
 * network takes about a minute on a loaded machine, so the classes share it instead of starting one each. A class asks
 * for it as a parameter, {@code @ExtendWith(SharedS3Network.class)} and {@code @BeforeAll static void
 * start(S3TestServer s3)}; the server lives in JUnit's root store, which closes it when the run ends. Classes that
 * share it keep to bucket names of their own (the buckets of a run accumulate).
 */
final class SharedS3Network implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedS3Network.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == S3TestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(S3TestServer.class, type -> {
            try {
                return S3TestServer.start();
            } catch (Exception e) {
                throw new IllegalStateException("the shared S3 test network did not start", e);
            }
        }, S3TestServer.class);
    }
}
