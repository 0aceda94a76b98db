package io.milvus.migration.pinecone;

import static java.util.Objects.requireNonNull;

/**
 * Where a namespace's reading stands, as a position's cursor: the next unread id is number {@code skip} (from 0) of
 * the list page that {@code token} asks for ("" for the first page) with {@code limit} ids per page. A batch that ends
 * inside a page gives that page's token and the ids of it already read; a batch that ends a page gives the token of
 * the page after it and skip 0, or {@link #END} when the page was the last. Pinecone's pagination tokens name the
 * last id listed (ids are listed in sorted order), so a stored token asks for the same page again later, and the
 * limit is kept because a page's length depends on it.
 *
 * <p>Text form: {@code page:<limit>:<skip>:<token>} or {@code end}.
 */
record PineconeCursor(int limit, int skip, String token, boolean end) {
    static final PineconeCursor END = new PineconeCursor(0, 0, "", true);
    private static final String PREFIX = "page:";

    PineconeCursor {
        requireNonNull(token, "token is null");
    }

    /** The first page. */
    static PineconeCursor start(int limit) {
        return new PineconeCursor(limit, 0, "", false);
    }

    static PineconeCursor page(int limit, int skip, String token) {
        return new PineconeCursor(limit, skip, token, false);
    }

    /**
     * Reads a cursor written by {@link #text()}.
     *
     * @throws IllegalArgumentException naming the text if it is not one
     */
    static PineconeCursor parse(String text) {
        if (text.equals("end")) {
            return END;
        }
        String[] p = text.startsWith(PREFIX) ? text.substring(PREFIX.length()).split(":", 3) : new String[0];
        try {
            if (p.length == 3) {
                int limit = Integer.parseInt(p[0]);
                int skip = Integer.parseInt(p[1]);
                if (limit > 0 && skip >= 0 && skip < limit) {
                    return page(limit, skip, p[2]);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a Pinecone list cursor (page:<limit>:<skip>:<token>"
                + " or end)");
    }

    String text() {
        return end ? "end" : PREFIX + limit + ":" + skip + ":" + token;
    }

    @Override
    public String toString() {
        return text();
    }
}
