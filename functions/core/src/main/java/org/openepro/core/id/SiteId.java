package org.openepro.core.id;

/** A site id (a pseudonymous code, see {@link Ids}): typed, so it cannot be passed where another id is meant. */
public record SiteId(String value) {
    public SiteId {
        Ids.code("site", value);
    }

    public static SiteId of(String value) {
        return new SiteId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
