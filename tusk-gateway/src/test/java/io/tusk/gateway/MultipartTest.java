package io.tusk.gateway;

import io.tusk.core.api.ErrorReason;
import io.tusk.http.ApiError;
import io.tusk.http.HttpRejection;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** multipart/form-data as curl -F and browsers send it, and what is refused. */
class MultipartTest {
    private static final String BOUNDARY = "------------------------d74496d66958873e";

    private static byte[] body(Object... headersAndData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < headersAndData.length; i += 2) {
            out.writeBytes(("--" + BOUNDARY + "\r\n" + headersAndData[i] + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            Object data = headersAndData[i + 1];
            out.writeBytes(data instanceof byte[] bytes ? bytes : data.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static List<Multipart.Part> parse(byte[] body) {
        return Multipart.parse(new ByteArrayInputStream(body), BOUNDARY);
    }

    @Test
    void shouldParseFieldsInOrderWithNamesFileNamesAndBytes() {
        byte[] binary = new byte[70_000];
        new Random(5).nextBytes(binary);
        // Bytes that look like the end of a part: a line break and part of the delimiter.
        byte[] tricky = ("a\r\n--" + BOUNDARY.substring(0, 10) + "\r\nb").getBytes(StandardCharsets.US_ASCII);
        List<Multipart.Part> parts = parse(body(
                "Content-Disposition: form-data; name=\"walrus.jpg\"; filename=\"walrus.jpg\"\r\n"
                        + "Content-Type: image/jpeg", binary,
                "Content-Disposition: form-data; name=\"_metadata\"", "[{\"identifier\":\"walrus.jpg\",\"tags\":{}}]",
                "Content-Disposition: form-data; name=\"a;b \\\"c\\\".txt\"; filename=\"x\"", tricky,
                "Content-Disposition: form-data; name=\"empty\"; filename=\"empty\"", new byte[0]));
        assertThat(parts).extracting(Multipart.Part::name)
                .containsExactly("walrus.jpg", "_metadata", "a;b \"c\".txt", "empty");
        assertThat(parts.get(0).filename()).isEqualTo("walrus.jpg");
        assertThat(parts.get(0).data()).isEqualTo(binary);
        assertThat(parts.get(1).filename()).isNull();
        assertThat(new String(parts.get(1).data(), StandardCharsets.UTF_8)).startsWith("[{\"identifier\"");
        assertThat(parts.get(2).data()).isEqualTo(tricky);
        assertThat(parts.get(3).data()).isEmpty();
    }

    @Test
    void shouldKeepALargePartInMemory() {
        byte[] large = new byte[12 << 20];
        new Random(6).nextBytes(large);
        List<Multipart.Part> parts = parse(body("Content-Disposition: form-data; name=\"big\"; filename=\"big\"", large));
        assertThat(parts.getFirst().data()).isEqualTo(large);
    }

    @Test
    void shouldRefuseWhatIsNotMultipartFormData() {
        assertMalformed(() -> Multipart.boundary("application/octet-stream"));
        assertMalformed(() -> Multipart.boundary(null));
        assertMalformed(() -> Multipart.boundary("multipart/form-data"));
        assertThat(Multipart.boundary("multipart/form-data; boundary=\"" + BOUNDARY + "\"")).isEqualTo(BOUNDARY);
        assertThat(Multipart.boundary("Multipart/Form-Data; charset=utf-8; boundary=" + BOUNDARY)).isEqualTo(BOUNDARY);

        byte[] good = body("Content-Disposition: form-data; name=\"a\"", "data");
        assertMalformed(() -> parse("no boundary here".getBytes(StandardCharsets.US_ASCII)));
        assertMalformed(() -> parse(java.util.Arrays.copyOf(good, good.length - 12))); // no closing delimiter
        assertMalformed(() -> parse(body("Content-Type: text/plain", "a part without a name")));
        assertMalformed(() -> Multipart.parse(new ByteArrayInputStream(good), "another-boundary"));
    }

    @Test
    void shouldPassOnTheBodyLimitRefusal() {
        InputStream limited = new InputStream() { // as Request.bodyStream() refuses past the route's limit
            @Override
            public int read() throws IOException {
                throw new HttpRejection(413, "the request body is larger than the limit of 10 bytes");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new HttpRejection(413, "the request body is larger than the limit of 10 bytes");
            }
        };
        assertThatThrownBy(() -> Multipart.parse(limited, BOUNDARY)).isInstanceOfSatisfying(HttpRejection.class,
                e -> assertThat(e.status()).isEqualTo(413));
    }

    private static void assertMalformed(Runnable parse) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.reason()).isEqualTo(ErrorReason.MALFORMED_REQUEST));
    }
}
