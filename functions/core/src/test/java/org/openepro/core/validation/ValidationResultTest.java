package org.openepro.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationResultTest {
    @Test
    void aValidResultHandsOverItsValueAndKeepsItsWarnings() {
        // GIVEN a valid result with a warning
        Issue late = Issue.warning("/authored", "late-submission", "Submitted after the window closed.");
        ValidationResult<String> result = ValidationResult.valid("spec", List.of(late));

        // WHEN its value is asked for
        String value = result.orElseThrow(r -> new IllegalStateException("refused"));

        // THEN it is the value, the warning stays, and there is no error
        assertThat(value).isEqualTo("spec");
        assertThat(result.isValid()).isTrue();
        assertThat(result.issues()).containsExactly(late);
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void aRefusalIsWhatTheCallerMakesOfItAndSurvivesAMap() {
        // GIVEN a refusal with an error and a warning
        Issue missing = Issue.error("/format", "required", "Required.");
        Issue note = Issue.warning("/labels", "ignored", "labels has no effect for this format.");
        ValidationResult<String> refused = ValidationResult.failed(
                ValidationFailure.INVALID, "The export request is invalid.", List.of(missing, note));

        // WHEN it is mapped to another type and its value asked for
        ValidationResult<Integer> mapped = refused.map(String::length);

        // THEN the caller's refusal is thrown, and the mapped result is the same refusal
        assertThatThrownBy(() -> mapped.orElseThrow(r -> new IllegalStateException(r.summary())))
                .hasMessage("The export request is invalid.");
        assertThat(mapped.failure()).isEqualTo(ValidationFailure.INVALID);
        assertThat(mapped.errors()).containsExactly(missing);
        assertThat(mapped.issues()).containsExactly(missing, note);
    }

    @Test
    void aValidResultCannotCarryAnErrorNorARefusalAValue() {
        Issue error = Issue.error("/format", "required", "Required.");
        assertThatIllegalArgumentException().isThrownBy(() -> ValidationResult.valid("spec", List.of(error)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ValidationResult<>("spec", ValidationFailure.INVALID, "invalid", List.of(error)));
    }
}
