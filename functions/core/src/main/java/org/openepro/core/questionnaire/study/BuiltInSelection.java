package org.openepro.core.questionnaire.study;

import java.util.List;
import java.util.Set;

/**
 * Which built-in instruments a study uses: all of them (the default of a study that says nothing,
 * which is what every study had before studies could choose), or exactly the listed canonicals.
 */
public record BuiltInSelection(boolean all, Set<String> canonicals) {
    public static final BuiltInSelection ALL = new BuiltInSelection(true, Set.of());

    public BuiltInSelection {
        canonicals = Set.copyOf(canonicals);
    }

    public static BuiltInSelection only(List<String> canonicals) {
        return new BuiltInSelection(false, Set.copyOf(canonicals));
    }

    public boolean uses(String canonical) {
        return all || canonicals.contains(canonical);
    }
}
