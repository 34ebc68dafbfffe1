package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of a questionnaire: what it asks, the answer type and the values it allows, when it is
 * enabled (enableWhen), and how a skip by that branching is scored where the instrument says so.
 *
 * @param enableBehavior    how several enableWhen combine; null with at most one condition
 * @param branchSkippedCode the code of the option that stands for this item when its enableWhen
 *                          disables it (e.g. PRO-CTCAE "none"), as CDISC's QRS supplement scores a
 *                          conditionally branched item; null when a disabled item is simply absent
 * @param texts             the item text in each translation language
 */
public record ItemDefinition(
        String linkId,
        String prefix,
        String text,
        String code,
        ItemType type,
        boolean required,
        boolean repeats,
        boolean readOnly,
        List<AnswerOption> options,
        BigDecimal minValue,
        BigDecimal maxValue,
        Integer maxLength,
        List<Value> initial,
        List<EnableWhen> enableWhen,
        EnableBehavior enableBehavior,
        String branchSkippedCode,
        Map<String, String> texts,
        List<ItemDefinition> children) {
    public ItemDefinition {
        options = List.copyOf(options);
        initial = List.copyOf(initial);
        enableWhen = List.copyOf(enableWhen);
        texts = Map.copyOf(texts);
        children = List.copyOf(children);
    }

    public static Builder builder(String linkId, ItemType type) {
        return new Builder(linkId, type);
    }

    /** The option with exactly this system and code. */
    public Optional<AnswerOption> option(String system, String code) {
        for (AnswerOption o : options) {
            if (o.code().equals(code) && Objects.equals(system, o.system())) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** Whether any option carries this code, whatever its system (to tell a wrong system from a wrong code). */
    public boolean hasCode(String code) {
        return options.stream().anyMatch(o -> o.code().equals(code));
    }

    /** The item text in {@code language}; the base text when there is no translation. */
    public String text(String language) {
        return language == null ? text : texts.getOrDefault(language, text);
    }

    /** Whether enableWhen conditions decide if this item is asked. */
    public boolean conditional() {
        return !enableWhen.isEmpty();
    }

    /** The option a branch skip is recorded as (see {@link #branchSkippedCode()}). */
    public Optional<AnswerOption> branchSkippedOption() {
        if (branchSkippedCode == null) {
            return Optional.empty();
        }
        return options.stream().filter(o -> o.code().equals(branchSkippedCode)).findFirst();
    }

    /** Builds an item; the reader is its main user, tests the other. */
    public static final class Builder {
        private final String linkId;
        private final ItemType type;
        private String prefix;
        private String text = "";
        private String code;
        private boolean required;
        private boolean repeats;
        private boolean readOnly;
        private final List<AnswerOption> options = new ArrayList<>();
        private BigDecimal minValue;
        private BigDecimal maxValue;
        private Integer maxLength;
        private final List<Value> initial = new ArrayList<>();
        private final List<EnableWhen> enableWhen = new ArrayList<>();
        private EnableBehavior enableBehavior;
        private String branchSkippedCode;
        private final Map<String, String> texts = new HashMap<>();
        private final List<ItemDefinition> children = new ArrayList<>();

        private Builder(String linkId, ItemType type) {
            this.linkId = linkId;
            this.type = type;
        }

        public Builder prefix(String v) {
            prefix = v;
            return this;
        }

        public Builder text(String v) {
            text = v;
            return this;
        }

        public Builder code(String v) {
            code = v;
            return this;
        }

        public Builder required(boolean v) {
            required = v;
            return this;
        }

        public Builder repeats(boolean v) {
            repeats = v;
            return this;
        }

        public Builder readOnly(boolean v) {
            readOnly = v;
            return this;
        }

        public Builder option(AnswerOption v) {
            options.add(v);
            return this;
        }

        public Builder minValue(BigDecimal v) {
            minValue = v;
            return this;
        }

        public Builder maxValue(BigDecimal v) {
            maxValue = v;
            return this;
        }

        public Builder maxLength(Integer v) {
            maxLength = v;
            return this;
        }

        public Builder initial(Value v) {
            initial.add(v);
            return this;
        }

        public Builder enableWhen(EnableWhen v) {
            enableWhen.add(v);
            return this;
        }

        public Builder enableBehavior(EnableBehavior v) {
            enableBehavior = v;
            return this;
        }

        public Builder branchSkippedCode(String v) {
            branchSkippedCode = v;
            return this;
        }

        public Builder translation(String language, String v) {
            texts.put(language, v);
            return this;
        }

        public Builder child(ItemDefinition v) {
            children.add(v);
            return this;
        }

        public ItemDefinition build() {
            return new ItemDefinition(
                    linkId,
                    prefix,
                    text,
                    code,
                    type,
                    required,
                    repeats,
                    readOnly,
                    options,
                    minValue,
                    maxValue,
                    maxLength,
                    initial,
                    enableWhen,
                    enableBehavior,
                    branchSkippedCode,
                    texts,
                    children);
        }
    }
}
