package io.tusk.s3;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An access control list as S3 keeps one: grants of READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL to an account
 * ({@code id}), an e-mail address or a group (AllUsers, AuthenticatedUsers); the owner's FULL_CONTROL is implied and
 * never stored. Made from a canned ACL ({@code x-amz-acl}), from {@code x-amz-grant-*} headers or from an
 * {@code AccessControlPolicy} document; kept in an entry's metadata in {@link #encode()}'s form. Immutable.
 */
record Grants(List<Grant> grants) {
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    static final Grants PRIVATE = new Grants(List.of());
    static final List<String> PERMISSIONS = List.of("READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL");
    private static final int MAX_GRANTS = 100;

    /** One grant: {@code type} is {@code id}, {@code uri} (a group) or {@code emailAddress}. */
    record Grant(String permission, String type, String value) {
    }

    Grants {
        grants = List.copyOf(new LinkedHashSet<>(grants));
    }

    /** S3's canned ACLs, as the grants they stand for beside the owner's FULL_CONTROL. */
    static Grants canned(String acl) {
        return switch (acl) {
            case "public-read" -> new Grants(List.of(new Grant("READ", "uri", ALL_USERS)));
            case "public-read-write" -> new Grants(List.of(new Grant("READ", "uri", ALL_USERS),
                    new Grant("WRITE", "uri", ALL_USERS)));
            case "authenticated-read" -> new Grants(List.of(new Grant("READ", "uri", AUTHENTICATED_USERS)));
            default -> PRIVATE;
        };
    }

    /**
     * The grants a request's headers give: its canned {@code x-amz-acl}, or its {@code x-amz-grant-*} headers (not
     * both, as in S3), or empty if it has neither.
     *
     * @throws S3Exception {@code InvalidArgument} for an unknown canned ACL or a malformed grantee list,
     *                     {@code InvalidRequest} for a canned ACL together with grants
     */
    static Optional<Grants> fromHeaders(S3Request request) {
        Optional<String> canned = BucketOps.cannedAcl(request);
        List<Grant> grants = new ArrayList<>();
        for (String permission : PERMISSIONS) {
            String header = "x-amz-grant-" + permission.toLowerCase(Locale.ROOT).replace('_', '-');
            for (String value : request.headers().getValuesList(header)) {
                grants.addAll(parseGrantees(permission, header, value));
            }
        }
        if (canned.isPresent() && !grants.isEmpty()) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "Specifying both Canned ACLs and Header Grants is not allowed");
        }
        if (grants.size() > MAX_GRANTS) {
            throw S3Exception.invalidArgument("at most " + MAX_GRANTS + " grants", "x-amz-grant-*",
                    Integer.toString(grants.size()));
        }
        return canned.map(Grants::canned).or(() -> grants.isEmpty() ? Optional.empty() : Optional.of(new Grants(grants)));
    }

    /** {@code id="…", uri="…", emailAddress="…"}: the grantees of one x-amz-grant-* header. */
    private static List<Grant> parseGrantees(String permission, String header, String value) {
        List<Grant> out = new ArrayList<>();
        for (String grantee : value.split(",")) {
            String g = grantee.trim();
            int eq = g.indexOf('=');
            if (eq <= 0) {
                throw S3Exception.invalidArgument("a grantee is type=\"value\" (id, uri or emailAddress)", header, value);
            }
            String type = g.substring(0, eq).trim();
            String v = g.substring(eq + 1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            if (!Set.of("id", "uri", "emailAddress").contains(type) || v.isEmpty()) {
                throw S3Exception.invalidArgument("a grantee is type=\"value\" (id, uri or emailAddress)", header, value);
            }
            if (type.equals("uri") && !v.equals(ALL_USERS) && !v.equals(AUTHENTICATED_USERS)) {
                throw S3Exception.invalidArgument("Invalid group uri", header, v);
            }
            out.add(new Grant(permission, type, v));
        }
        return out;
    }

    /**
     * The grants of an {@code AccessControlPolicy} document (PutBucketAcl, PutObjectAcl), but the owner's own.
     *
     * @throws S3Exception {@code MalformedACLError}-like {@code MalformedXML} for a document that is not one
     */
    static Grants fromPolicy(XmlElement policy, String owner) {
        if (!policy.name().equals("AccessControlPolicy")) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        List<Grant> grants = new ArrayList<>();
        for (XmlElement list : policy.all("AccessControlList")) {
            for (XmlElement grant : list.all("Grant")) {
                String permission = grant.childText("Permission").orElse("");
                if (!PERMISSIONS.contains(permission)) {
                    throw new S3Exception(S3Error.MALFORMED_XML, "unknown permission '" + permission + "'");
                }
                XmlElement grantee = grant.child("Grantee").orElseThrow(() -> new S3Exception(S3Error.MALFORMED_XML));
                Optional<String> id = grantee.childText("ID");
                Optional<String> uri = grantee.childText("URI");
                Optional<String> email = grantee.childText("EmailAddress");
                if (id.isPresent()) {
                    if (!id.get().equals(owner) || !permission.equals("FULL_CONTROL")) {
                        grants.add(new Grant(permission, "id", id.get()));
                    }
                } else if (uri.isPresent()) {
                    if (!uri.get().equals(ALL_USERS) && !uri.get().equals(AUTHENTICATED_USERS)) {
                        throw S3Exception.invalidArgument("Invalid group uri", "URI", uri.get());
                    }
                    grants.add(new Grant(permission, "uri", uri.get()));
                } else if (email.isPresent()) {
                    grants.add(new Grant(permission, "emailAddress", email.get()));
                } else {
                    throw new S3Exception(S3Error.MALFORMED_XML, "a Grantee needs an ID, a URI or an EmailAddress");
                }
            }
        }
        if (grants.size() > MAX_GRANTS) {
            throw new S3Exception(S3Error.MALFORMED_XML, "at most " + MAX_GRANTS + " grants");
        }
        return new Grants(grants);
    }

    /** {@code PERMISSION type value} items separated by ';': the form kept in metadata. */
    String encode() {
        StringBuilder out = new StringBuilder();
        for (Grant g : grants) {
            out.append(out.isEmpty() ? "" : ";").append(g.permission()).append(' ').append(g.type()).append(' ')
                    .append(g.value());
        }
        return out.toString();
    }

    static Grants decode(String text) {
        if (text == null || text.isEmpty()) {
            return PRIVATE;
        }
        List<Grant> grants = new ArrayList<>();
        for (String line : text.split(";")) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3) {
                grants.add(new Grant(parts[0], parts[1], parts[2]));
            }
        }
        return new Grants(grants);
    }

    boolean isPrivate() {
        return grants.isEmpty();
    }

    /** Whether anyone, signed or not, has {@code permission} (or FULL_CONTROL). */
    boolean allowsEveryone(String permission) {
        return allows(permission, "uri", ALL_USERS);
    }

    /** Whether {@code account} (an address) has {@code permission} by its ID, as an authenticated user, or as anyone. */
    boolean allowsAccount(String permission, String account) {
        return allowsEveryone(permission) || allows(permission, "uri", AUTHENTICATED_USERS)
                || allows(permission, "id", account);
    }

    private boolean allows(String permission, String type, String value) {
        return grants.stream().anyMatch(g -> g.type().equals(type) && g.value().equals(value)
                && (g.permission().equals(permission) || g.permission().equals("FULL_CONTROL")));
    }

    /** The {@code AccessControlPolicy} document: the owner's FULL_CONTROL, then these grants. */
    XmlWriter toXml(String owner) {
        XmlWriter xml = XmlWriter.document("AccessControlPolicy");
        BucketOps.owner(xml, owner);
        xml.start("AccessControlList");
        grantee(xml, "id", owner).element("Permission", "FULL_CONTROL").end();
        for (Grant g : grants) {
            grantee(xml, g.type(), g.value()).element("Permission", g.permission()).end();
        }
        xml.end();
        return xml;
    }

    private static XmlWriter grantee(XmlWriter xml, String type, String value) {
        xml.start("Grant");
        String xsiType = switch (type) {
            case "id" -> "CanonicalUser";
            case "uri" -> "Group";
            default -> "AmazonCustomerByEmail";
        };
        xml.startWith("Grantee", "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance", "xsi:type", xsiType);
        switch (type) {
            case "id" -> xml.element("ID", value).element("DisplayName", value);
            case "uri" -> xml.element("URI", value);
            default -> xml.element("EmailAddress", value);
        }
        return xml.end();
    }
}
