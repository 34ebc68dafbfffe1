package org.openepro.submit;

import org.openepro.core.id.Participant;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Problem;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.http.ProblemType;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.report.Answer;
import org.openepro.submit.fhir.QuestionnaireResponseBody;
import org.openepro.submit.fhir.QuestionnaireResponseBody.AnswerValue;
import org.openepro.submit.fhir.QuestionnaireResponseBody.Item;

/**
 * Checks a QuestionnaireResponse against its versioned questionnaire and reports every problem
 * at once (422), each with a JSON pointer, the linkId and a code. Messages describe the rule
 * broken, never the value sent.
 */
public final class ResponseValidator {
    public static final String AMENDMENT_REASON_EXTENSION =
            "https://openepro.dev/fhir/StructureDefinition/amendment-reason";
    /** Device clocks drift: an authored time this far in the future is still accepted. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final int DEFAULT_MAX_TEXT = 2000;
    static final int MAX_REASON = 500;
    private static final Instant EARLIEST_AUTHORED = Instant.parse("2000-01-01T00:00:00Z");
    // FHIR dateTime with seconds and a UTC offset (Z or +hh:mm)
    private static final Pattern DATE_TIME_WITH_OFFSET =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final QuestionnaireRegistry registry;

    public ResponseValidator(QuestionnaireRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param reasonHeader the {@code X-Amendment-Reason} header, if sent
     * @throws ApiException 403 when the body names another subject, 422 listing every field error
     */
    public ValidatedResponse validate(QuestionnaireResponseBody body, Participant patient,
                                      Optional<String> reasonHeader, Instant now) {
        checkSubject(body, patient);
        List<FieldError> errors = new ArrayList<>();
        if (!"QuestionnaireResponse".equals(body.resourceType())) {
            errors.add(FieldError.at("/resourceType", "invalid", "resourceType must be QuestionnaireResponse."));
        }
        QuestionnaireDefinition definition = null;
        if (body.questionnaire() == null || body.questionnaire().isBlank()) {
            errors.add(FieldError.at("/questionnaire", "required", "questionnaire (canonical url|version) is required."));
        } else if (!body.questionnaire().contains("|")) {
            errors.add(FieldError.at("/questionnaire", "version-required",
                    "questionnaire must name a version: url|version."));
        } else {
            definition = registry.byCanonical(body.questionnaire()).orElse(null);
            if (definition == null) {
                errors.add(FieldError.at("/questionnaire", "unknown-questionnaire",
                        "This questionnaire and version are not known; see GET /v1/questionnaires."));
            }
        }

        String status = body.status();
        boolean amendment = "amended".equals(status);
        if (status == null) {
            errors.add(FieldError.at("/status", "required", "status is required."));
        } else if (!amendment && !"completed".equals(status)) {
            errors.add(FieldError.at("/status", "invalid-status", "status must be completed, or amended for a correction."));
        }

        Instant authoredAt = authored(body.authored(), now, errors);

        String amends = null;
        String reason = null;
        if (amendment) {
            amends = body.id();
            if (amends == null || !isUuid(amends)) {
                errors.add(FieldError.at("/id", "required",
                        "An amendment must carry the id of the report it corrects."));
            }
            reason = reasonHeader.filter(r -> !r.isBlank()).orElseGet(() -> reasonExtension(body));
            if (reason == null || reason.isBlank()) {
                errors.add(FieldError.at("/extension", "reason-required", "An amendment needs a reason: the "
                        + "X-Amendment-Reason header or the extension " + AMENDMENT_REASON_EXTENSION + "."));
            } else if (reason.length() > MAX_REASON) {
                errors.add(FieldError.at("/extension", "too-long",
                        "The amendment reason is longer than " + MAX_REASON + " characters."));
            } else {
                reason = Normalizer.normalize(reason.strip(), Normalizer.Form.NFC);
            }
        }

        List<Answer> answers = definition == null ? List.of() : answers(definition, body.item(), errors);
        if (!errors.isEmpty()) {
            throw new ApiException(Problem.of(ProblemType.VALIDATION_FAILED,
                    errors.size() + (errors.size() == 1 ? " problem" : " problems")
                            + " in the QuestionnaireResponse; nothing was stored.", errors));
        }
        return new ValidatedResponse(definition, status, body.authored(), authoredAt, answers, amends, reason);
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
        return ApiException.of(ProblemType.FORBIDDEN,
                "The response's subject is not the participant this token belongs to; leave it out or name Patient/<your id>.");
    }

    private static Instant authored(String authored, Instant now, List<FieldError> errors) {
        if (authored == null || authored.isBlank()) {
            errors.add(FieldError.at("/authored", "required", "authored (when the answers were given) is required."));
            return null;
        }
        if (!DATE_TIME_WITH_OFFSET.matcher(authored).matches()) {
            errors.add(FieldError.at("/authored", "offset-required",
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

    private static List<Answer> answers(QuestionnaireDefinition def, List<Item> items, List<FieldError> errors) {
        Map<String, Answer> given = new HashMap<>();
        Map<String, String> seenAt = new HashMap<>();
        walk(def.items(), items, "", given, seenAt, errors);
        List<Answer> ordered = new ArrayList<>(given.size());
        for (ItemDefinition d : def.answerableItems().values()) {
            Answer a = given.get(d.linkId());
            if (a != null) {
                ordered.add(a);
            } else if (d.required() && !seenAt.containsKey(d.linkId())) {
                errors.add(FieldError.item("/item", d.linkId(), "required", "This required item is not answered."));
            }
        }
        return ordered;
    }

    /**
     * Walks the response's items against the definition's tree: an item is known only where the
     * definition puts it (a top-level question, or a child of the group or question it belongs
     * to), so an unknown linkId is reported whether it carries answers or only nested items.
     */
    private static void walk(List<ItemDefinition> level, List<Item> items, String base, Map<String, Answer> given,
                             Map<String, String> seenAt, List<FieldError> errors) {
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String pointer = base + "/item/" + i;
            if (item == null || item.linkId() == null || item.linkId().isBlank()) {
                errors.add(FieldError.at(pointer + "/linkId", "required", "Every item needs a linkId."));
                continue;
            }
            String linkId = item.linkId();
            ItemDefinition found = null;
            for (ItemDefinition candidate : level) {
                if (candidate.linkId().equals(linkId)) {
                    found = candidate;
                    break;
                }
            }
            if (found == null) {
                errors.add(FieldError.item(pointer + "/linkId", linkId, "unknown-item",
                        "The questionnaire has no item with this linkId at this place."));
                continue;
            }
            if (seenAt.putIfAbsent(linkId, pointer) != null) {
                errors.add(FieldError.item(pointer, linkId, "duplicate-item", "This item appears more than once."));
                continue;
            }
            List<AnswerValue> answers = item.answer() == null ? List.of() : item.answer();
            // nested items belong to the group or question the definition nests them under
            walk(found.children(), item.item(), pointer, given, seenAt, errors);
            if (found.type() == org.openepro.core.questionnaire.ItemType.GROUP) {
                if (!answers.isEmpty()) {
                    errors.add(FieldError.item(pointer + "/answer", linkId, "wrong-type",
                            "This item is a group: its answers are in its nested items."));
                }
                continue;
            }
            ItemDefinition d = found;
            if (answers.isEmpty()) {
                if (d.required()) {
                    errors.add(FieldError.item(pointer + "/answer", linkId, "required",
                            "This required item has no answer."));
                }
                continue;
            }
            if (answers.size() > 1) {
                errors.add(FieldError.item(pointer + "/answer", linkId, "multiple-answers",
                        "This item takes exactly one answer."));
                continue;
            }
            Answer a = answer(d, answers.get(0), pointer + "/answer/0", errors);
            if (a != null) {
                given.put(linkId, a);
            }
        }
    }

    private static String rangeText(ItemDefinition d) {
        if (d.minValue() == null) {
            return "The answer must be at most " + d.maxValue().toPlainString() + ".";
        }
        if (d.maxValue() == null) {
            return "The answer must be at least " + d.minValue().toPlainString() + ".";
        }
        return "The answer must lie between " + d.minValue().toPlainString() + " and " + d.maxValue().toPlainString() + ".";
    }

    private static Answer answer(ItemDefinition d, AnswerValue v, String pointer, List<FieldError> errors) {
        String linkId = d.linkId();
        if (v == null || v.valueCount() != 1) {
            errors.add(FieldError.item(pointer, linkId, "wrong-type",
                    "An answer carries exactly one " + d.type().valueField() + "."));
            return null;
        }
        if (v.item() != null && !v.item().isEmpty()) {
            errors.add(FieldError.item(pointer + "/item", linkId, "unknown-item",
                    "This questionnaire has no items nested under answers."));
            return null;
        }
        String field = pointer + "/" + d.type().valueField();
        return switch (d.type()) {
            case CHOICE -> {
                if (v.valueCoding() == null) {
                    yield wrongType(d, pointer, errors);
                }
                var coding = v.valueCoding();
                Optional<AnswerOption> option = coding.code() == null ? Optional.empty()
                        : d.option(coding.system(), coding.code());
                if (option.isEmpty()) {
                    errors.add(FieldError.item(field, linkId, "not-allowed",
                            "The answer is not one of this item's answerOptions."));
                    yield null;
                }
                AnswerOption o = option.get();
                yield Answer.choice(linkId, o.system(), o.code(), o.display(), o.ordinal());
            }
            case INTEGER, DECIMAL -> {
                BigDecimal n = d.type() == org.openepro.core.questionnaire.ItemType.INTEGER
                        ? v.valueInteger() : v.valueDecimal();
                if (n == null) {
                    yield wrongType(d, pointer, errors);
                }
                if (d.type() == org.openepro.core.questionnaire.ItemType.INTEGER
                        && (n.scale() > 0 || n.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
                    errors.add(FieldError.item(field, linkId, "not-integer", "The answer must be a whole number."));
                    yield null;
                }
                if ((d.minValue() != null && n.compareTo(d.minValue()) < 0)
                        || (d.maxValue() != null && n.compareTo(d.maxValue()) > 0)) {
                    errors.add(FieldError.item(field, linkId, "out-of-range", rangeText(d)));
                    yield null;
                }
                yield Answer.number(linkId, d.type(), n);
            }
            case STRING, TEXT -> {
                if (v.valueString() == null) {
                    yield wrongType(d, pointer, errors);
                }
                String text = Normalizer.normalize(v.valueString(), Normalizer.Form.NFC);
                int max = d.maxLength() != null ? d.maxLength() : DEFAULT_MAX_TEXT;
                if (text.isBlank()) {
                    errors.add(FieldError.item(field, linkId, "empty", "The answer is empty."));
                    yield null;
                }
                if (text.codePointCount(0, text.length()) > max) {
                    errors.add(FieldError.item(field, linkId, "too-long",
                            "The answer is longer than " + max + " characters."));
                    yield null;
                }
                yield Answer.text(linkId, d.type(), text);
            }
            case BOOLEAN -> v.valueBoolean() == null ? wrongType(d, pointer, errors)
                    : Answer.bool(linkId, v.valueBoolean());
            case DATE -> {
                if (v.valueDate() == null) {
                    yield wrongType(d, pointer, errors);
                }
                if (!DATE.matcher(v.valueDate()).matches() || !parsesAsDate(v.valueDate())) {
                    errors.add(FieldError.item(field, linkId, "invalid-date", "The answer must be a date YYYY-MM-DD."));
                    yield null;
                }
                yield Answer.text(linkId, d.type(), v.valueDate());
            }
            case DATETIME -> {
                if (v.valueDateTime() == null) {
                    yield wrongType(d, pointer, errors);
                }
                if (!DATE_TIME_WITH_OFFSET.matcher(v.valueDateTime()).matches()) {
                    errors.add(FieldError.item(field, linkId, "invalid-datetime",
                            "The answer must be a date-time with a UTC offset."));
                    yield null;
                }
                yield Answer.text(linkId, d.type(), v.valueDateTime());
            }
            case DISPLAY, GROUP -> {
                errors.add(FieldError.item(pointer, linkId, "no-answer-expected", "This item takes no answer."));
                yield null;
            }
        };
    }

    private static Answer wrongType(ItemDefinition d, String pointer, List<FieldError> errors) {
        errors.add(FieldError.item(pointer, d.linkId(), "wrong-type",
                "This item is answered with " + d.type().valueField() + "."));
        return null;
    }

    private static boolean parsesAsDate(String s) {
        try {
            LocalDate.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
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
