package org.openepro.core.id;

/** A study id (a pseudonymous code, see {@link Ids}): typed, so it cannot be passed where another id is meant. */
public record StudyId(String value) {
    public StudyId {
        Ids.code("study", value);
    }

    public static StudyId of(String value) {
        return new StudyId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
