package org.openepro.submit;

import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.http.ProblemType;
import org.openepro.core.id.Participant;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireEngine;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.validation.Issue;
import org.openepro.core.validation.IssueSeverity;
import org.openepro.core.validation.ValidationFailure;
import org.openepro.core.validation.ValidationResult;

/**
 * Checks a QuestionnaireResponse against its versioned questionnaire and reports every problem
 * at once (422), each with a JSON pointer, the linkId and a code: the envelope (status, authored,
 * amendment, language, a retired version) here, the items by core's {@link QuestionnaireEngine}.
 * Messages describe the rule broken, never the value sent.
 */
public final class ResponseValidator {
    public static final String AMENDMENT_REASON_EXTENSION =
            "https://openepro.dev/fhir/StructureDefinition/amendment-reason";
    /** Device clocks drift: an authored time this far in the future is still accepted. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    static final int MAX_REASON = 500;
    private static final Instant EARLIEST_AUTHORED = Instant.parse("2000-01-01T00:00:00Z");
    // FHIR dateTime with seconds and a UTC offset (Z or +hh:mm)
    private static final Pattern DATE_TIME_WITH_OFFSET =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private final StudyCatalog questionnaires;

    /** Against the built-in instruments only, for every study (tests, benchmarks). */
    public ResponseValidator(QuestionnaireRegistry registry) {
        this(StudyCatalog.builtInsOnly(registry));
    }

    /** Against each study's questionnaires: the built-ins it uses and those it published. */
    public ResponseValidator(StudyCatalog questionnaires) {
        this.questionnaires = questionnaires;
    }

    /**
     * @param reasonHeader the {@code X-Amendment-Reason} header, if sent
     * @return the validated response, or a refusal (UNPROCESSABLE) listing every issue at once, which the
     *     HTTP adapter renders as a 422 problem+json or, for a client asking for FHIR, an OperationOutcome
     * @throws ApiException 403 when the body names another subject: whose report it is comes from the token,
     *     so that is an authorization refusal, not a finding about the response
     */
    public ValidationResult<ValidatedResponse> validate(
            QuestionnaireResponseBody body, Participant patient, Optional<String> reasonHeader, Instant now) {
        checkSubject(body, patient);
        List<FieldError> errors = new ArrayList<>();
        if (!"QuestionnaireResponse".equals(body.resourceType())) {
            errors.add(FieldError.at("/resourceType", "invalid", "resourceType must be QuestionnaireResponse."));
        }
        QuestionnaireDefinition definition = null;
        if (body.questionnaire() == null || body.questionnaire().isBlank()) {
            errors.add(
                    FieldError.at("/questionnaire", "required", "questionnaire (canonical url|version) is required."));
        } else if (!body.questionnaire().contains("|")) {
            errors.add(FieldError.at(
                    "/questionnaire", "version-required", "questionnaire must name a version: url|version."));
        } else {
            // another study's questionnaire is unknown here, exactly like one that does not exist
            definition = questionnaires
                    .forResponse(patient.studyId(), body.questionnaire())
                    .orElse(null);
            if (definition == null) {
                errors.add(FieldError.at(
                        "/questionnaire",
                        "unknown-questionnaire",
                        "This questionnaire and version are not known; see GET /v1/questionnaires."));
            }
        }

        String status = body.status();
        boolean amendment = "amended".equals(status);
        if (status == null) {
            errors.add(FieldError.at("/status", "required", "status is required."));
        } else if (!amendment && !"completed".equals(status)) {
            errors.add(FieldError.at(
                    "/status", "invalid-status", "status must be completed, or amended for a correction."));
        }

        Instant authoredAt = authored(body.authored(), now, errors);

        String amends = null;
        String reason = null;
        if (amendment) {
            amends = body.id();
            if (amends == null || !isUuid(amends)) {
                errors.add(
                        FieldError.at("/id", "required", "An amendment must carry the id of the report it corrects."));
            }
            reason = reasonHeader.filter(r -> !r.isBlank()).orElseGet(() -> reasonExtension(body));
            if (reason == null || reason.isBlank()) {
                errors.add(FieldError.at(
                        "/extension",
                        "reason-required",
                        "An amendment needs a reason: the " + "X-Amendment-Reason header or the extension "
                                + AMENDMENT_REASON_EXTENSION + "."));
            } else if (reason.length() > MAX_REASON) {
                errors.add(FieldError.at(
                        "/extension",
                        "too-long",
                        "The amendment reason is longer than " + MAX_REASON + " characters."));
            } else {
                reason = Normalizer.normalize(reason.strip(), Normalizer.Form.NFC);
            }
        }

        String language = null;
        QuestionnaireEngine.Checked checked = null;
        if (definition != null) {
            if (definition.retired() && !amendment) {
                errors.add(
                        FieldError.at(
                                "/questionnaire",
                                "retired",
                                "This questionnaire version is retired and takes no new responses; see GET /v1/questionnaires."));
            }
            language = language(definition, body.language(), errors);
            checked = QuestionnaireEngine.check(definition, body.item(), language);
            errors.addAll(checked.errors());
            if (language == null) {
                language = definition.language();
            }
        }
        if (!errors.isEmpty()) {
            return ValidationResult.failed(
                    ValidationFailure.UNPROCESSABLE,
                    errors.size() + (errors.size() == 1 ? " problem" : " problems")
                            + " in the QuestionnaireResponse; nothing was stored.",
                    errors.stream().map(ResponseValidator::issue).toList());
        }
        return ValidationResult.valid(new ValidatedResponse(
                definition,
                status,
                body.authored(),
                authoredAt,
                checked.answers(),
                amends,
                reason,
                language,
                checked.disabled(),
                checked.textDiffers()));
    }

    private static Issue issue(FieldError e) {
        return new Issue(IssueSeverity.ERROR, e.pointer(), e.linkId(), e.code(), e.detail());
    }

    /**
     * The response's language as one of the questionnaire's (its base language or a complete
     * translation); a language it does not have is a 422, since the texts the patient saw cannot
     * be known.
     */
    private static String language(QuestionnaireDefinition definition, String requested, List<FieldError> errors) {
        if (requested == null) {
            return null;
        }
        Optional<String> match = definition.matchLanguage(requested);
        if (match.isEmpty()) {
            errors.add(FieldError.at(
                    "/language",
                    "unknown-language",
                    "This questionnaire has no text in this language"
                            + (definition.languages().isEmpty()
                                    ? "."
                                    : "; it has "
                                            + String.join(
                                                    ", ",
                                                    definition.languages().stream()
                                                            .sorted()
                                                            .toList()) + ".")));
            return null;
        }
        return match.get();
    }

    /**
     * The token names the patient; a body that names anyone else, by reference or by identifier,
     * is refused outright. A subject may be left out (the token says who it is).
     */
    static void checkSubject(QuestionnaireResponseBody body, Participant patient) {
        QuestionnaireResponseBody.Reference subject = body.subject();
        if (subject == null) {
            return;
        }
        boolean named = false;
        if (subject.reference() != null) {
            named = true;
            if (!subject.reference().equals("Patient/" + patient.subjectId())) {
                throw notThisParticipant();
            }
        }
        if (subject.identifier() != null && subject.identifier().value() != null) {
            named = true;
            if (!subject.identifier().value().equals(patient.subjectId())) {
                throw notThisParticipant();
            }
        }
        if (!named && (subject.identifier() != null)) {
            throw notThisParticipant();
        }
    }

    private static ApiException notThisParticipant() {
        return ApiException.of(
                ProblemType.FORBIDDEN,
                "The response's subject is not the participant this token belongs to; leave it out or name Patient/<your id>.");
    }

    private static Instant authored(String authored, Instant now, List<FieldError> errors) {
        if (authored == null || authored.isBlank()) {
            errors.add(FieldError.at("/authored", "required", "authored (when the answers were given) is required."));
            return null;
        }
        if (!DATE_TIME_WITH_OFFSET.matcher(authored).matches()) {
            errors.add(FieldError.at(
                    "/authored",
                    "offset-required",
                    "authored must be a date-time with seconds and a UTC offset, e.g. 2026-11-27T09:15:00+01:00."));
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(authored).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(FieldError.at("/authored", "invalid", "authored is not a valid date-time."));
            return null;
        }
        if (at.isAfter(now.plus(CLOCK_SKEW))) {
            errors.add(FieldError.at("/authored", "in-future", "authored lies in the future."));
        } else if (at.isBefore(EARLIEST_AUTHORED)) {
            errors.add(FieldError.at("/authored", "out-of-range", "authored is implausibly early."));
        }
        return at;
    }

    private static String reasonExtension(QuestionnaireResponseBody body) {
        if (body.extension() == null) {
            return null;
        }
        for (QuestionnaireResponseBody.Extension e : body.extension()) {
            if (e != null && AMENDMENT_REASON_EXTENSION.equals(e.url())) {
                return e.valueString();
            }
        }
        return null;
    }

    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
