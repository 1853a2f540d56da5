package io.tusk.s3;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Byte ranges and ETag matching as S3 reads them; XML bodies that try an entity are refused. */
class HttpTest {
    @Test
    void shouldReadRangesAsS3Does() {
        assertThat(Http.range("bytes=0-9", 100)).contains(new Http.Range(0, 10));
        assertThat(Http.range("bytes=90-", 100)).contains(new Http.Range(90, 10));
        assertThat(Http.range("bytes=-10", 100)).contains(new Http.Range(90, 10));
        assertThat(Http.range("bytes=-500", 100)).contains(new Http.Range(0, 100));
        assertThat(Http.range("bytes=50-5000", 100)).contains(new Http.Range(50, 50));
        assertThat(Http.range("bytes=5-1", 100)).isEmpty();        // ignored: the whole object
        assertThat(Http.range("bytes=0-1,5-6", 100)).isEmpty();    // several ranges: the whole object, as S3
        assertThat(Http.range("items=0-1", 100)).isEmpty();
        assertThatThrownBy(() -> Http.range("bytes=100-", 100)).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_RANGE));
        assertThatThrownBy(() -> Http.range("bytes=0-0", 0)).isInstanceOf(S3Exception.class);
    }

    @Test
    void shouldMatchEtagsQuotedOrNotAndInLists() {
        assertThat(Http.etagMatches("\"abc\"", "abc")).isTrue();
        assertThat(Http.etagMatches("abc", "abc")).isTrue();
        assertThat(Http.etagMatches("\"x\", \"abc\"", "abc")).isTrue();
        assertThat(Http.etagMatches("*", "abc")).isTrue();
        assertThat(Http.etagMatches("\"abd\"", "abc")).isFalse();
    }

    @Test
    void shouldRefuseXmlWithEntities() {
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Delete><Object><Key>&x;</Key></Object></Delete>").getBytes();
        assertThatThrownBy(() -> XmlElement.parse(xxe)).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.error()).isEqualTo(S3Error.MALFORMED_XML));
        XmlElement ok = XmlElement.parse("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
                .concat("<Object><Key> a b </Key></Object></Delete>").getBytes());
        assertThat(ok.childText("Quiet")).contains("true");
        assertThat(ok.all("Object").getFirst().child("Key").orElseThrow().text()).isEqualTo(" a b ");
    }
}
