package io.tusk.s3;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A parsed XML request body (CompleteMultipartUpload, Delete, VersioningConfiguration, ...): element names without
 * their namespace, text, children. Parsing allows no DTD and no external entities, and is bounded by the caller's
 * body limit and by {@link #MAX_ELEMENTS}.
 */
record XmlElement(String name, String text, List<XmlElement> children) {
    /** Most elements a body may have (a CompleteMultipartUpload of 10,000 parts has about 30,000). */
    static final int MAX_ELEMENTS = 100_000;

    private static final XMLInputFactory FACTORY = factory();

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return factory;
    }

    /**
     * @throws S3Exception {@code MalformedXML} if the body is not well-formed XML
     */
    static XmlElement parse(byte[] body) {
        if (body.length == 0) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            try {
                Deque<Builder> stack = new ArrayDeque<>();
                XmlElement root = null;
                int count = 0;
                while (reader.hasNext()) {
                    switch (reader.next()) {
                        case XMLStreamConstants.START_ELEMENT -> {
                            if (++count > MAX_ELEMENTS || root != null) {
                                throw new S3Exception(S3Error.MALFORMED_XML);
                            }
                            stack.push(new Builder(reader.getLocalName()));
                        }
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                            if (!stack.isEmpty()) {
                                stack.peek().text.append(reader.getText());
                            }
                        }
                        case XMLStreamConstants.END_ELEMENT -> {
                            XmlElement done = stack.pop().build();
                            if (stack.isEmpty()) {
                                root = done;
                            } else {
                                stack.peek().children.add(done);
                            }
                        }
                        case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE ->
                                throw new S3Exception(S3Error.MALFORMED_XML);
                        default -> {
                        }
                    }
                }
                if (root == null) {
                    throw new S3Exception(S3Error.MALFORMED_XML);
                }
                return root;
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw new S3Exception(S3Error.MALFORMED_XML, S3Error.MALFORMED_XML.defaultMessage(), e);
        }
    }

    /** The first child named {@code name}. */
    Optional<XmlElement> child(String name) {
        for (XmlElement child : children) {
            if (child.name.equals(name)) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    List<XmlElement> all(String name) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement child : children) {
            if (child.name.equals(name)) {
                out.add(child);
            }
        }
        return out;
    }

    /** The trimmed text of the first child named {@code name}. */
    Optional<String> childText(String name) {
        return child(name).map(c -> c.text.trim());
    }

    private static final class Builder {
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<XmlElement> children = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        XmlElement build() {
            return new XmlElement(name, children.isEmpty() ? text.toString() : text.toString().trim(), List.copyOf(children));
        }
    }
}
