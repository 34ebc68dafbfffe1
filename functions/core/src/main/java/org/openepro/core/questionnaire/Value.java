package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * One typed FHIR value, as an answer, an enableWhen answer or an initial value carries it. Equality
 * and order follow what FHIR's enableWhen operators compare: a Coding by system and code (never its
 * display), numbers by value whatever their scale, a Quantity only against one of the same unit.
 */
public sealed interface Value {

    /** The FHIR R4 value[x] suffix, e.g. {@code Coding} for valueCoding / answerCoding. */
    String fhirType();

    /** A choice answer: the option's system and code; display is what the app showed. */
    record Coding(String system, String code, String display) implements Value {
        public String fhirType() {
            return "Coding";
        }
    }

    /** integer or decimal; {@code integer} tells which FHIR type it came as. */
    record Number(BigDecimal value, boolean integer) implements Value {
        public Number {
            Objects.requireNonNull(value);
        }

        public String fhirType() {
            return integer ? "Integer" : "Decimal";
        }
    }

    record Bool(boolean value) implements Value {
        public String fhirType() {
            return "Boolean";
        }
    }

    /** string (and the free-text answer of an open-choice item). */
    record Text(String value) implements Value {
        public String fhirType() {
            return "String";
        }
    }

    /** A full date, YYYY-MM-DD (partial dates are refused where they would make a comparison indeterminate). */
    record Date(LocalDate value) implements Value {
        public String fhirType() {
            return "Date";
        }
    }

    /** A date-time with seconds and a UTC offset; compared as instants. */
    record DateTime(OffsetDateTime value, String lexical) implements Value {
        public String fhirType() {
            return "DateTime";
        }
    }

    record Time(LocalTime value, String lexical) implements Value {
        public String fhirType() {
            return "Time";
        }
    }

    /** A Quantity with its UCUM (or other) unit code; comparable only with the same system and code. */
    record Quantity(BigDecimal value, String unit, String system, String code) implements Value {
        public Quantity {
            Objects.requireNonNull(value);
        }

        public String fhirType() {
            return "Quantity";
        }
    }

    /** FHIR's "equal" for enableWhen: same kind and same value (numbers of either kind compare by value). */
    static boolean same(Value a, Value b) {
        return switch (a) {
            case Coding x
            when b instanceof Coding y ->
                Objects.equals(x.system(), y.system()) && x.code().equals(y.code());
            case Bool x when b instanceof Bool y -> x.value() == y.value();
            case Text x when b instanceof Text y -> x.value().equals(y.value());
            // the ordered kinds (numbers by value, date-times by instant, quantities of one unit): neither comes first
            default -> order(a, b).map(c -> c == 0).orElse(false);
        };
    }

    /**
     * The order of two values of an ordered kind (numbers, dates, date-times, times, quantities of one
     * unit); empty when they cannot be ordered, which makes every ordering operator false.
     */
    static Optional<Integer> order(Value a, Value b) {
        Integer c = switch (a) {
            case Number x when b instanceof Number y -> x.value().compareTo(y.value());
            case Date x when b instanceof Date y -> x.value().compareTo(y.value());
            case DateTime x
            when b instanceof DateTime y ->
                x.value().toInstant().compareTo(y.value().toInstant());
            case Time x when b instanceof Time y -> x.value().compareTo(y.value());
            case Quantity x
            when b instanceof Quantity y && sameUnit(x, y) -> x.value().compareTo(y.value());
            default -> null;
        };
        return Optional.ofNullable(c);
    }

    /** Whether values of this FHIR type can be ordered by the enableWhen operators {@code > < >= <=}. */
    static boolean ordered(String fhirType) {
        return switch (fhirType) {
            case "Integer", "Decimal", "Date", "DateTime", "Time", "Quantity" -> true;
            default -> false;
        };
    }

    private static boolean sameUnit(Quantity x, Quantity y) {
        return Objects.equals(x.system(), y.system()) && Objects.equals(x.code(), y.code());
    }
}
