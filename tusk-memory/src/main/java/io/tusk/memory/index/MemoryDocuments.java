package io.tusk.memory.index;

import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The Lucene document of one memory revision: the field names and how each part of an {@link IndexedMemory} is
 * indexed. Recorded-to and valid-to are doc values so that superseding a revision updates them in place.
 */
final class MemoryDocuments {

    /** Unique per document: {@code id@revision}. */
    static final String UID = "uid";
    static final String ID = "id";
    static final String REVISION = "rev";
    static final String TEXT = "text";
    static final String VECTOR = "vec";
    static final String METADATA = "meta";
    static final String HASH = "hash";
    /** The metadata keys a document has, for "exists" and "is null" filters. */
    static final String KEYS = "keys";
    static final String VALID_FROM = "validFrom";
    static final String VALID_TO = "validTo";
    static final String RECORDED_FROM = "recFrom";
    static final String RECORDED_TO = "recTo";

    /**
     * Cosine keeps the caller's vector bit for bit (LangChain4j hands it back) and scores
     * {@code (1 + cosine) / 2}, LangChain4j's relevance score.
     */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.COSINE;

    private MemoryDocuments() {
    }

    static String uid(String id, long revision) {
        return id + "@" + revision;
    }

    static String keywordField(String key) {
        return "m." + key;
    }

    static String integralField(String key) {
        return "m." + key + "#i";
    }

    static String realField(String key) {
        return "m." + key + "#r";
    }

    static String booleanField(String key) {
        return "m." + key + "#b";
    }

    static Document toDocument(IndexedMemory memory) {
        Document doc = new Document();
        doc.add(new StringField(UID, uid(memory.id(), memory.revision()), Field.Store.NO));
        doc.add(new StringField(ID, memory.id(), Field.Store.YES));
        doc.add(new StoredField(REVISION, memory.revision()));
        if (memory.text() != null) {
            doc.add(new TextField(TEXT, memory.text(), Field.Store.YES));
        }
        doc.add(new KnnFloatVectorField(VECTOR, memory.vector(), SIMILARITY));
        if (!memory.metadata().isEmpty()) {
            doc.add(new StoredField(METADATA, TypedMetadataJson.toJson(memory.metadata())));
        }
        for (Map.Entry<String, Object> entry : memory.metadata().entrySet()) {
            String key = entry.getKey();
            doc.add(new StringField(KEYS, key, Field.Store.NO));
            switch (entry.getValue()) {
                case Boolean b -> doc.add(new StringField(booleanField(key), b.toString(), Field.Store.NO));
                case Integer i -> doc.add(new LongPoint(integralField(key), i));
                case Long l -> doc.add(new LongPoint(integralField(key), l));
                case Float f -> doc.add(new DoublePoint(realField(key), f));
                case Double d -> doc.add(new DoublePoint(realField(key), d));
                case Object keyword -> doc.add(new StringField(keywordField(key),
                        MetadataValues.keyword(keyword), Field.Store.NO));
            }
        }
        if (memory.contentHash() != null) {
            doc.add(new StringField(HASH, memory.contentHash(), Field.Store.NO));
        }
        doc.add(new NumericDocValuesField(VALID_FROM, memory.validFrom()));
        doc.add(new StoredField(VALID_FROM, memory.validFrom()));
        doc.add(new NumericDocValuesField(VALID_TO, memory.validTo()));
        doc.add(new NumericDocValuesField(RECORDED_FROM, memory.recordedAt()));
        doc.add(new StoredField(RECORDED_FROM, memory.recordedAt()));
        doc.add(new NumericDocValuesField(RECORDED_TO, IndexedMemory.OPEN));
        return doc;
    }
}
