package org.openepro.core.id;

/** A subject id (a pseudonymous code, see {@link Ids}): typed, so it cannot be passed where another id is meant. */
public record SubjectId(String value) {
    public SubjectId {
        Ids.code("subject", value);
    }

    public static SubjectId of(String value) {
        return new SubjectId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
