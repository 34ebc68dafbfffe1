package org.openepro.core.questionnaire;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.json.Json;

/**
 * Reads a FHIR R4 Questionnaire into a {@link QuestionnaireDefinition}, and lists every element
 * outside OpenEPRO's subset and every rule the backend could not enforce, each with its JSON
 * pointer: a publication is refused with all of them, never silently half-understood. Built-in
 * instruments go through the same reader (with no issue allowed). The subset is documented in
 * functions/core/QUESTIONNAIRES.md.
 */
public final class QuestionnaireReader {
    public static final String SD = "https://openepro.dev/fhir/StructureDefinition/";
    public static final String SCORE = SD + "score";
    public static final String ALERT_RULE = SD + "alert-rule";
    public static final String SUBMISSION_WINDOW = SD + "submission-window";
    /** valueCode: the option a disabled (conditionally branched) item is recorded as. */
    public static final String BRANCH_SKIPPED = SD + "branch-skipped";

    public static final String ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
    public static final String ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight";
    public static final String MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue";
    public static final String MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue";
    public static final String TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";
    public static final String LOINC = "http://loinc.org";
    /** Rendering hints that change nothing the backend validates. */
    static final Set<String> RENDERING_EXTENSIONS = Set.of(
            "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
            "http://hl7.org/fhir/StructureDefinition/entryFormat",
            "http://hl7.org/fhir/StructureDefinition/questionnaire-optionPrefix",
            "http://hl7.org/fhir/StructureDefinition/questionnaire-sliderStepValue");

    private static final Set<String> RESOURCE_ELEMENTS = Set.of(
            "resourceType",
            "id",
            "meta",
            "language",
            "text",
            "extension",
            "url",
            "identifier",
            "version",
            "name",
            "title",
            "_title",
            "derivedFrom",
            "status",
            "experimental",
            "subjectType",
            "date",
            "publisher",
            "contact",
            "description",
            "_description",
            "useContext",
            "jurisdiction",
            "purpose",
            "copyright",
            "approvalDate",
            "lastReviewDate",
            "effectivePeriod",
            "code",
            "item");
    private static final Set<String> ITEM_ELEMENTS = Set.of(
            "linkId",
            "definition",
            "code",
            "prefix",
            "_prefix",
            "text",
            "_text",
            "type",
            "enableWhen",
            "enableBehavior",
            "required",
            "repeats",
            "readOnly",
            "maxLength",
            "answerOption",
            "initial",
            "item",
            "extension");
    private static final Set<String> OPTION_ELEMENTS = Set.of("valueCoding", "initialSelected", "extension");
    private static final Set<String> CODING_ELEMENTS = Set.of("system", "version", "code", "display", "_display");
    private static final Set<String> STATUSES = Set.of("active", "retired");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    private final byte[] raw;
    private final List<FieldError> issues = new ArrayList<>();
    private final Map<String, ItemDefinition> byLinkId = new LinkedHashMap<>();
    private final Map<String, String> pointerOf = new HashMap<>();
    private final Map<String, String> parentOf = new HashMap<>();
    private final Set<String> translationLanguages = new LinkedHashSet<>();
    // every text and display that a translation must cover, checked once every language is known
    private final List<TranslatableText> translatable = new ArrayList<>();
    private final Map<String, List<EnableWhenAt>> conditions = new LinkedHashMap<>();

    private QuestionnaireReader(byte[] raw) {
        this.raw = raw;
    }

    /** What a read gives: the definition when {@link #issues()} is empty, else every issue found. */
    public record Result(QuestionnaireDefinition definition, List<FieldError> issues) {
        public Result {
            issues = List.copyOf(issues);
        }

        public boolean ok() {
            return issues.isEmpty();
        }
    }

    public static Result read(byte[] raw) {
        JsonNode q;
        try {
            q = Json.mapper().readTree(raw);
        } catch (IOException e) {
            return new Result(null, List.of(FieldError.at("/", "malformed", "The body is not well-formed JSON.")));
        }
        if (q == null || !q.isObject()) {
            return new Result(null, List.of(FieldError.at("/", "malformed", "The body is not a JSON object.")));
        }
        return new QuestionnaireReader(raw).read(q);
    }

    private record TranslatableText(String pointer, String linkId, Map<String, String> translations) {}

    private record EnableWhenAt(String pointer, EnableWhen condition) {}

    private Result read(JsonNode q) {
        if (!"Questionnaire".equals(q.path("resourceType").asText())) {
            issue("/resourceType", null, "invalid", "resourceType must be Questionnaire.");
            return new Result(null, issues);
        }
        unsupported(q, "", RESOURCE_ELEMENTS);
        String id = requiredText(q, "id", "");
        if (id != null && !ID.matcher(id).matches()) {
            issue("/id", null, "invalid", "id must be 1-64 letters, digits, '-' or '.'.");
        }
        String url = requiredText(q, "url", "");
        if (url != null && (!url.matches("[a-z][a-z0-9+.-]*:.+") || url.contains("|"))) {
            issue(
                    "/url",
                    null,
                    "invalid",
                    "url must be an absolute URI without '|' (the canonical of this questionnaire).");
        }
        String version = requiredText(q, "version", "");
        if (version != null && (version.contains("|") || version.length() > 64)) {
            issue("/version", null, "invalid", "version must be at most 64 characters without '|'.");
        }
        String status = requiredText(q, "status", "");
        if (status != null && !STATUSES.contains(status)) {
            issue(
                    "/status",
                    null,
                    "unsupported-value",
                    "status must be active or retired (a draft is not published; unknown cannot be enforced).");
        }
        String language = null;
        if (q.has("language")) {
            language = q.get("language").asText();
            if (!q.get("language").isTextual() || !LANGUAGE.matcher(language).matches()) {
                issue("/language", null, "invalid", "language must be a BCP 47 tag, e.g. en or de-CH.");
                language = null;
            }
        }

        List<ItemDefinition> items = new ArrayList<>();
        JsonNode itemArray = q.path("item");
        if (!itemArray.isArray() || itemArray.isEmpty()) {
            issue("/item", null, "required", "A questionnaire needs at least one item.");
        } else {
            for (int i = 0; i < itemArray.size(); i++) {
                ItemDefinition item = item(itemArray.get(i), "/item/" + i, null);
                if (item != null) {
                    items.add(item);
                }
            }
        }
        Map<String, ItemDefinition> answerable = new LinkedHashMap<>();
        for (ItemDefinition d : byLinkId.values()) {
            if (d.type().answerable()) {
                answerable.put(d.linkId(), d);
            }
        }
        checkEnableWhen();

        List<ScoreDefinition> scores = new ArrayList<>();
        List<AlertRule> rules = new ArrayList<>();
        Duration window = Duration.ofHours(24);
        JsonNode extensions = q.path("extension");
        for (int i = 0; i < extensions.size(); i++) {
            JsonNode ext = extensions.get(i);
            String p = "/extension/" + i;
            String extUrl = ext.path("url").asText();
            switch (extUrl) {
                case SCORE -> {
                    ScoreDefinition s = new ExtensionReader(this).score(ext, p, answerable);
                    if (s != null) {
                        if (scores.stream().anyMatch(x -> x.id().equals(s.id()))) {
                            issue(p, null, "duplicate", "Two scores have the id " + s.id() + ".");
                        }
                        scores.add(s);
                    }
                }
                case ALERT_RULE -> {
                    AlertRule r = new ExtensionReader(this).rule(ext, p);
                    if (r != null) {
                        rules.add(r);
                    }
                }
                case SUBMISSION_WINDOW -> window = duration(ext.path("valueDuration"), p);
                default -> {
                    if (!RENDERING_EXTENSIONS.contains(extUrl)) {
                        issue(
                                p,
                                null,
                                "unsupported-extension",
                                "The extension " + extUrl
                                        + " is outside OpenEPRO's subset; its meaning could not be enforced.");
                    }
                }
            }
        }
        Set<String> ruleIds = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            AlertRule r = rules.get(i);
            if (!ruleIds.add(r.id())) {
                issue("/extension", null, "duplicate", "Two alert rules have the id " + r.id() + ".");
            }
            new ExtensionReader(this).checkRule(r, answerable, scores);
        }
        translatable(q.path("_title"), "/_title", null, q.hasNonNull("title"));
        Set<String> languages = languages(language);
        String code = loinc(q.path("code"));
        if (!issues.isEmpty()) {
            return new Result(null, issues);
        }
        QuestionnaireDefinition definition = new QuestionnaireDefinition(
                id,
                url,
                version,
                q.path("name").asText(id),
                q.path("title").asText(id),
                code,
                status,
                language,
                languages,
                List.copyOf(items),
                Collections.unmodifiableMap(answerable),
                List.copyOf(scores),
                List.copyOf(rules),
                window,
                raw);
        return new Result(definition, List.of());
    }

    private ItemDefinition item(JsonNode node, String p, String parent) {
        if (!node.isObject()) {
            issue(p, null, "invalid", "An item must be an object.");
            return null;
        }
        unsupported(node, p, ITEM_ELEMENTS);
        String linkId = requiredText(node, "linkId", p);
        String typeCode = requiredText(node, "type", p);
        if (linkId == null || typeCode == null) {
            return null;
        }
        if (linkId.length() > 255) {
            issue(p + "/linkId", null, "invalid", "A linkId is at most 255 characters.");
        }
        ItemType type = ItemType.find(typeCode).orElse(null);
        if (type == null) {
            issue(
                    p + "/type",
                    linkId,
                    "unsupported-value",
                    "The item type " + typeCode
                            + " is outside OpenEPRO's subset (url, attachment and reference are not supported).");
            return null;
        }
        ItemDefinition.Builder b = ItemDefinition.builder(linkId, type)
                .prefix(node.path("prefix").asText(null))
                .text(node.path("text").asText(""))
                .code(loinc(node.path("code")))
                .required(bool(node, "required", p, linkId))
                .repeats(bool(node, "repeats", p, linkId))
                .readOnly(bool(node, "readOnly", p, linkId));
        Map<String, String> texts = translatable(node.path("_text"), p + "/_text", linkId, node.hasNonNull("text"));
        texts.forEach(b::translation);

        if (type == ItemType.DISPLAY) {
            for (String e : List.of("required", "repeats", "readOnly", "initial", "answerOption", "maxLength")) {
                if (node.has(e)) {
                    issue(
                            p + "/" + e,
                            linkId,
                            "not-allowed",
                            "A display item takes no " + e + " (FHIR que-6, que-8, que-9).");
                }
            }
            if (node.has("code")) {
                issue(p + "/code", linkId, "not-allowed", "A display item cannot have a code (FHIR que-3).");
            }
        }
        if (type == ItemType.GROUP) {
            if (node.path("repeats").asBoolean(false)) {
                issue(
                        p + "/repeats",
                        linkId,
                        "unsupported-value",
                        "Repeating groups are outside OpenEPRO's subset: a linkId must stand for one answer set.");
            }
            for (String e : List.of("initial", "answerOption", "maxLength", "readOnly")) {
                if (node.has(e)) {
                    issue(p + "/" + e, linkId, "not-allowed", "A group takes no " + e + " (FHIR que-8).");
                }
            }
            if (!node.path("item").isArray() || node.path("item").isEmpty()) {
                issue(p + "/item", linkId, "required", "A group must have nested items (FHIR que-1).");
            }
        } else if (node.has("item")) {
            issue(
                    p + "/item",
                    linkId,
                    "unsupported-element",
                    type == ItemType.DISPLAY
                            ? "A display item cannot have nested items (FHIR que-1)."
                            : "Items nested under a question are outside OpenEPRO's subset: nest them in a group.");
        }
        if (node.has("maxLength")) {
            if (type != ItemType.STRING && type != ItemType.TEXT && type != ItemType.OPEN_CHOICE) {
                issue(
                        p + "/maxLength",
                        linkId,
                        "not-allowed",
                        "maxLength applies to string, text and open-choice items.");
            } else if (!node.get("maxLength").canConvertToInt()
                    || node.get("maxLength").asInt() < 1) {
                issue(p + "/maxLength", linkId, "invalid", "maxLength must be a positive integer.");
            } else {
                b.maxLength(node.get("maxLength").asInt());
            }
        }
        List<AnswerOption> options = options(node, p, linkId, type);
        options.forEach(b::option);
        if (type.coded() && options.isEmpty() && !node.has("answerOption")) {
            issue(
                    p + "/answerOption",
                    linkId,
                    "required",
                    "A " + typeCode + " item needs answerOptions"
                            + " (answerValueSet needs a terminology service and is outside OpenEPRO's subset).");
        }
        extensions(node, p, linkId, type, b, options);
        initial(node, p, linkId, type, options, b);
        enableWhen(node, p, linkId, b);

        if (byLinkId.containsKey(linkId)) {
            issue(p + "/linkId", linkId, "duplicate", "linkIds must be unique within the questionnaire (FHIR que-2).");
        }
        pointerOf.put(linkId, p);
        parentOf.put(linkId, parent);
        JsonNode children = node.path("item");
        if (type == ItemType.GROUP) {
            for (int i = 0; i < children.size(); i++) {
                ItemDefinition child = item(children.get(i), p + "/item/" + i, linkId);
                if (child != null) {
                    b.child(child);
                }
            }
        }
        ItemDefinition def = b.build();
        if (def.readOnly() && def.initial().isEmpty() && options.stream().noneMatch(AnswerOption::initialSelected)) {
            issue(
                    p + "/readOnly",
                    linkId,
                    "invalid",
                    "A read-only item needs an initial value: a respondent cannot give it one.");
        }
        byLinkId.putIfAbsent(linkId, def);
        return def;
    }

    private List<AnswerOption> options(JsonNode node, String p, String linkId, ItemType type) {
        JsonNode array = node.path("answerOption");
        List<AnswerOption> out = new ArrayList<>();
        if (array.isMissingNode()) {
            return out;
        }
        if (!type.coded()) {
            issue(
                    p + "/answerOption",
                    linkId,
                    "unsupported-element",
                    "answerOption is supported on choice and open-choice items only.");
            return out;
        }
        if (node.has("answerValueSet")) {
            issue(
                    p + "/answerValueSet",
                    linkId,
                    "not-allowed",
                    "An item has answerOption or answerValueSet, not both (FHIR que-4).");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode o = array.get(i);
            String op = p + "/answerOption/" + i;
            unsupported(o, op, OPTION_ELEMENTS);
            JsonNode coding = o.path("valueCoding");
            if (!coding.isObject()) {
                issue(
                        op,
                        linkId,
                        "unsupported-element",
                        "Only valueCoding answerOptions are supported (valueInteger, valueDate, valueTime, valueString and "
                                + "valueReference options are outside OpenEPRO's subset).");
                continue;
            }
            unsupported(coding, op + "/valueCoding", CODING_ELEMENTS);
            String system = requiredText(coding, "system", op + "/valueCoding");
            String code = requiredText(coding, "code", op + "/valueCoding");
            if (system == null || code == null) {
                continue;
            }
            if (!seen.add(system + "|" + code)) {
                issue(op + "/valueCoding", linkId, "duplicate", "Two answerOptions have the same system and code.");
            }
            BigDecimal ordinal = null;
            JsonNode exts = o.path("extension");
            for (int e = 0; e < exts.size(); e++) {
                String u = exts.get(e).path("url").asText();
                if (ORDINAL.equals(u) || ITEM_WEIGHT.equals(u)) {
                    JsonNode v = exts.get(e).path("valueDecimal");
                    if (!v.isNumber()) {
                        issue(op + "/extension/" + e, linkId, "invalid", "An ordinalValue is a valueDecimal.");
                    } else {
                        ordinal = v.decimalValue();
                    }
                } else if (!RENDERING_EXTENSIONS.contains(u)) {
                    issue(
                            op + "/extension/" + e,
                            linkId,
                            "unsupported-extension",
                            "The extension " + u + " is outside OpenEPRO's subset.");
                }
            }
            String display = coding.path("display").asText(null);
            Map<String, String> displays =
                    translatable(coding.path("_display"), op + "/valueCoding/_display", linkId, display != null);
            boolean initialSelected = bool(o, "initialSelected", op, linkId);
            out.add(new AnswerOption(system, code, display, ordinal, initialSelected, displays));
        }
        return out;
    }

    private void extensions(
            JsonNode node,
            String p,
            String linkId,
            ItemType type,
            ItemDefinition.Builder b,
            List<AnswerOption> options) {
        JsonNode exts = node.path("extension");
        BigDecimal min = null;
        BigDecimal max = null;
        for (int e = 0; e < exts.size(); e++) {
            JsonNode ext = exts.get(e);
            String ep = p + "/extension/" + e;
            String u = ext.path("url").asText();
            switch (u) {
                case MIN_VALUE, MAX_VALUE -> {
                    if (!type.numeric()) {
                        issue(ep, linkId, "not-allowed", "minValue and maxValue apply to integer and decimal items.");
                        continue;
                    }
                    BigDecimal v =
                            ext.has("valueInteger") && ext.get("valueInteger").isIntegralNumber()
                                    ? ext.get("valueInteger").decimalValue()
                                    : ext.path("valueDecimal").isNumber()
                                            ? ext.get("valueDecimal").decimalValue()
                                            : null;
                    if (v == null) {
                        issue(ep, linkId, "invalid", "minValue and maxValue take valueInteger or valueDecimal.");
                    } else if (MIN_VALUE.equals(u)) {
                        min = v;
                    } else {
                        max = v;
                    }
                }
                case BRANCH_SKIPPED -> {
                    String code = ext.path("valueCode").asText(null);
                    if (code == null || options.stream().noneMatch(o -> o.code().equals(code))) {
                        issue(
                                ep,
                                linkId,
                                "invalid",
                                "branch-skipped must name (valueCode) one of the item's answerOptions.");
                    } else if (!node.has("enableWhen")) {
                        issue(ep, linkId, "invalid", "branch-skipped applies only to an item with enableWhen.");
                    } else {
                        b.branchSkippedCode(code);
                    }
                }
                default -> {
                    if (!RENDERING_EXTENSIONS.contains(u)) {
                        issue(
                                ep,
                                linkId,
                                "unsupported-extension",
                                "The extension " + u + " is outside OpenEPRO's subset.");
                    }
                }
            }
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            issue(p + "/extension", linkId, "invalid", "minValue is greater than maxValue.");
        }
        b.minValue(min).maxValue(max);
    }

    private void initial(
            JsonNode node,
            String p,
            String linkId,
            ItemType type,
            List<AnswerOption> options,
            ItemDefinition.Builder b) {
        JsonNode array = node.path("initial");
        if (array.isMissingNode() || !type.answerable()) {
            return;
        }
        if (!options.isEmpty() || node.has("answerOption")) {
            issue(
                    p + "/initial",
                    linkId,
                    "not-allowed",
                    "An item with answerOptions marks its default with initialSelected, not initial (FHIR que-11).");
            return;
        }
        if (array.size() > 1 && !node.path("repeats").asBoolean(false)) {
            issue(
                    p + "/initial",
                    linkId,
                    "not-allowed",
                    "Only a repeating item can have several initial values (FHIR que-13).");
        }
        for (int i = 0; i < array.size(); i++) {
            String field = null;
            Iterator<String> names = array.get(i).fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (n.startsWith("value") && field == null) {
                    field = n;
                } else {
                    issue(
                            p + "/initial/" + i + "/" + n,
                            linkId,
                            "unsupported-element",
                            "An initial carries one value[x].");
                }
            }
            if (field == null) {
                issue(p + "/initial/" + i, linkId, "required", "An initial carries one value[x].");
                continue;
            }
            Value v =
                    typedValue(array.get(i).get(field), field.substring("value".length()), p + "/initial/" + i, linkId);
            if (v != null && !type.valueType().equals(v.fhirType()) && !(type.numeric() && v instanceof Value.Number)) {
                issue(
                        p + "/initial/" + i,
                        linkId,
                        "wrong-type",
                        "The initial value of a " + type.fhirCode() + " item is a value" + type.valueType() + ".");
            } else if (v != null) {
                b.initial(v);
            }
        }
    }

    private void enableWhen(JsonNode node, String p, String linkId, ItemDefinition.Builder b) {
        JsonNode array = node.path("enableWhen");
        if (array.isMissingNode()) {
            if (node.has("enableBehavior")) {
                issue(p + "/enableBehavior", linkId, "not-allowed", "enableBehavior needs enableWhen.");
            }
            return;
        }
        if (!array.isArray() || array.isEmpty()) {
            issue(p + "/enableWhen", linkId, "invalid", "enableWhen is a non-empty array.");
            return;
        }
        List<EnableWhenAt> list = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode c = array.get(i);
            String cp = p + "/enableWhen/" + i;
            Iterator<String> names = c.fieldNames();
            String answerField = null;
            int answers = 0;
            while (names.hasNext()) {
                String n = names.next();
                if (n.startsWith("answer")) {
                    answerField = n;
                    answers++;
                } else if (!n.equals("question") && !n.equals("operator")) {
                    issue(
                            cp + "/" + n,
                            linkId,
                            "unsupported-element",
                            "enableWhen." + n + " is outside OpenEPRO's subset.");
                }
            }
            String question = requiredText(c, "question", cp);
            String opCode = requiredText(c, "operator", cp);
            EnableOperator op =
                    opCode == null ? null : EnableOperator.fromCode(opCode).orElse(null);
            if (opCode != null && op == null) {
                issue(cp + "/operator", linkId, "invalid", "operator must be one of exists, =, !=, >, <, >=, <=.");
            }
            if (answers != 1) {
                issue(cp, linkId, "required", "An enableWhen carries exactly one answer[x].");
                continue;
            }
            Value v = typedValue(
                    c.get(answerField), answerField.substring("answer".length()), cp + "/" + answerField, linkId);
            if (question == null || op == null || v == null) {
                continue;
            }
            if (op == EnableOperator.EXISTS && !(v instanceof Value.Bool)) {
                issue(
                        cp + "/" + answerField,
                        linkId,
                        "invalid",
                        "The exists operator takes answerBoolean (FHIR que-7).");
                continue;
            }
            EnableWhen ew = new EnableWhen(question, op, v);
            list.add(new EnableWhenAt(cp, ew));
            b.enableWhen(ew);
        }
        if (node.has("enableBehavior")) {
            EnableBehavior behavior = EnableBehavior.fromCode(
                            node.path("enableBehavior").asText())
                    .orElse(null);
            if (behavior == null) {
                issue(p + "/enableBehavior", linkId, "invalid", "enableBehavior must be all or any.");
            }
            b.enableBehavior(behavior);
        } else if (array.size() > 1) {
            // R4's que-12 FHIRPath says count() > 2 (a known errata); its text says more than one
            issue(
                    p + "/enableBehavior",
                    linkId,
                    "required",
                    "With more than one enableWhen, enableBehavior (all or any) is required (FHIR que-12).");
        }
        conditions.put(linkId, list);
    }

    /** Checks every enableWhen once all items are known: the question, its type, the value, and cycles. */
    private void checkEnableWhen() {
        for (Map.Entry<String, List<EnableWhenAt>> e : conditions.entrySet()) {
            String linkId = e.getKey();
            for (EnableWhenAt at : e.getValue()) {
                EnableWhen c = at.condition();
                ItemDefinition q = byLinkId.get(c.question());
                if (q == null) {
                    issue(
                            at.pointer() + "/question",
                            linkId,
                            "unknown-item",
                            "enableWhen names no item of this questionnaire.");
                    continue;
                }
                if (!q.type().answerable()) {
                    issue(
                            at.pointer() + "/question",
                            linkId,
                            "invalid",
                            "enableWhen must name a question, not a " + q.type().fhirCode() + " item.");
                    continue;
                }
                if (c.question().equals(linkId) || isAncestor(linkId, c.question())) {
                    issue(
                            at.pointer() + "/question",
                            linkId,
                            "invalid",
                            "An item cannot be enabled by itself or an item nested in it.");
                    continue;
                }
                if (c.operator() == EnableOperator.EXISTS) {
                    continue;
                }
                Value v = c.answer();
                boolean typeOk = q.type().valueType().equals(v.fhirType())
                        || (q.type().numeric() && v instanceof Value.Number)
                        || (q.type() == ItemType.OPEN_CHOICE && v instanceof Value.Text);
                if (!typeOk) {
                    issue(
                            at.pointer(),
                            linkId,
                            "wrong-type",
                            "The question is a " + q.type().fhirCode() + " item: compare it with answer"
                                    + q.type().valueType() + ".");
                    continue;
                }
                if (c.operator().ordering() && !Value.ordered(v.fhirType())) {
                    issue(
                            at.pointer() + "/operator",
                            linkId,
                            "invalid",
                            "The operator " + c.operator().code()
                                    + " needs an ordered value (number, date, dateTime, time or quantity).");
                    continue;
                }
                if (v instanceof Value.Coding coding) {
                    if (coding.system() == null) {
                        issue(at.pointer(), linkId, "system-required", "answerCoding must carry the option's system.");
                    } else if (q.option(coding.system(), coding.code()).isEmpty()) {
                        issue(
                                at.pointer(),
                                linkId,
                                "unreachable",
                                "answerCoding is not one of the question's answerOptions:"
                                        + " the condition could never be decided by an answer.");
                    }
                }
                if (v instanceof Value.Number n
                        && c.operator() == EnableOperator.EQUALS
                        && ((q.minValue() != null && n.value().compareTo(q.minValue()) < 0)
                                || (q.maxValue() != null && n.value().compareTo(q.maxValue()) > 0))) {
                    issue(
                            at.pointer(),
                            linkId,
                            "unreachable",
                            "The value lies outside the question's minValue/maxValue.");
                }
            }
        }
        // enabled(x) depends on enabled(parent(x)) and on enabled(question) of each condition
        Map<String, Integer> state = new HashMap<>();
        for (String linkId : byLinkId.keySet()) {
            if (cycleFrom(linkId, state)) {
                issue(
                        pointerOf.get(linkId) + "/enableWhen",
                        linkId,
                        "cycle",
                        "The enableWhen conditions depend on each other in a cycle.");
                return;
            }
        }
    }

    private boolean cycleFrom(String linkId, Map<String, Integer> state) {
        Integer s = state.get(linkId);
        if (s != null) {
            return s == 1;
        }
        state.put(linkId, 1);
        List<String> deps = new ArrayList<>();
        if (parentOf.get(linkId) != null) {
            deps.add(parentOf.get(linkId));
        }
        for (EnableWhenAt at : conditions.getOrDefault(linkId, List.of())) {
            if (byLinkId.containsKey(at.condition().question())) {
                deps.add(at.condition().question());
            }
        }
        for (String d : deps) {
            if (cycleFrom(d, state)) {
                return true;
            }
        }
        state.put(linkId, 2);
        return false;
    }

    private boolean isAncestor(String ancestor, String linkId) {
        String p = parentOf.get(linkId);
        while (p != null) {
            if (p.equals(ancestor)) {
                return true;
            }
            p = parentOf.get(p);
        }
        return false;
    }

    /** A FHIR value[x] of one of the subset's types, checked lexically; null (with an issue) otherwise. */
    Value typedValue(JsonNode v, String type, String p, String linkId) {
        if (v == null) {
            issue(p, linkId, "required", "A value is required.");
            return null;
        }
        switch (type) {
            case "Boolean" -> {
                if (v.isBoolean()) {
                    return new Value.Bool(v.booleanValue());
                }
            }
            case "Integer" -> {
                if (v.isIntegralNumber()) {
                    return new Value.Number(v.decimalValue(), true);
                }
            }
            case "Decimal" -> {
                if (v.isNumber()) {
                    return new Value.Number(v.decimalValue(), false);
                }
            }
            case "String" -> {
                if (v.isTextual()) {
                    return new Value.Text(v.asText());
                }
            }
            case "Date" -> {
                if (v.isTextual() && DATE.matcher(v.asText()).matches()) {
                    try {
                        return new Value.Date(LocalDate.parse(v.asText()));
                    } catch (DateTimeParseException e) {
                        // reported below
                    }
                }
                issue(p, linkId, "invalid", "A date here is a full date, YYYY-MM-DD.");
                return null;
            }
            case "DateTime" -> {
                if (v.isTextual() && DATE_TIME.matcher(v.asText()).matches()) {
                    try {
                        return new Value.DateTime(OffsetDateTime.parse(v.asText()), v.asText());
                    } catch (DateTimeParseException e) {
                        // reported below
                    }
                }
                issue(p, linkId, "invalid", "A dateTime here has seconds and a UTC offset.");
                return null;
            }
            case "Time" -> {
                if (v.isTextual() && TIME.matcher(v.asText()).matches()) {
                    try {
                        return new Value.Time(LocalTime.parse(v.asText()), v.asText());
                    } catch (DateTimeParseException e) {
                        // reported below
                    }
                }
                issue(p, linkId, "invalid", "A time is hh:mm:ss.");
                return null;
            }
            case "Coding" -> {
                if (v.isObject() && v.path("code").isTextual()) {
                    return new Value.Coding(
                            v.path("system").asText(null),
                            v.path("code").asText(),
                            v.path("display").asText(null));
                }
            }
            case "Quantity" -> {
                if (v.isObject() && v.path("value").isNumber()) {
                    return new Value.Quantity(
                            v.get("value").decimalValue(),
                            v.path("unit").asText(null),
                            v.path("system").asText(null),
                            v.path("code").asText(null));
                }
            }
            default -> {
                issue(p, linkId, "unsupported-value", "value" + type + " is outside OpenEPRO's subset.");
                return null;
            }
        }
        issue(p, linkId, "wrong-type", "This is not a valid value" + type + ".");
        return null;
    }

    /** Reads the FHIR translation extensions of one element; the language set is checked for completeness later. */
    private Map<String, String> translatable(JsonNode element, String p, String linkId, boolean hasBase) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!element.isMissingNode()) {
            if (!element.isObject()) {
                issue(p, linkId, "invalid", "A primitive's extension element is an object.");
                return out;
            }
            Iterator<String> names = element.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!n.equals("extension")) {
                    issue(p + "/" + n, linkId, "unsupported-element", n + " is outside OpenEPRO's subset.");
                }
            }
            JsonNode exts = element.path("extension");
            for (int i = 0; i < exts.size(); i++) {
                JsonNode ext = exts.get(i);
                String ep = p + "/extension/" + i;
                if (!TRANSLATION.equals(ext.path("url").asText())) {
                    issue(
                            ep,
                            linkId,
                            "unsupported-extension",
                            "Only the FHIR translation extension is supported here.");
                    continue;
                }
                String lang = null;
                String content = null;
                for (JsonNode sub : ext.path("extension")) {
                    switch (sub.path("url").asText()) {
                        case "lang" -> lang = sub.path("valueCode").asText(null);
                        case "content" -> content = sub.path("valueString").asText(null);
                        default -> issue(ep, linkId, "unsupported-element", "A translation has lang and content only.");
                    }
                }
                if (lang == null || !LANGUAGE.matcher(lang).matches() || content == null || content.isBlank()) {
                    issue(
                            ep,
                            linkId,
                            "invalid",
                            "A translation needs lang (a BCP 47 valueCode) and content (valueString).");
                } else if (out.put(lang, content) != null) {
                    issue(ep, linkId, "duplicate", "Two translations into " + lang + ".");
                } else {
                    translationLanguages.add(lang);
                }
            }
            if (!hasBase && !out.isEmpty()) {
                issue(p, linkId, "invalid", "A translation needs the text it translates.");
            }
        }
        if (hasBase) {
            translatable.add(new TranslatableText(p, linkId, out));
        }
        return out;
    }

    private Set<String> languages(String base) {
        Set<String> languages = new LinkedHashSet<>();
        if (base != null) {
            languages.add(base);
        }
        if (translationLanguages.isEmpty()) {
            return languages;
        }
        if (base == null) {
            issue("/language", null, "required", "A questionnaire with translations declares its base language.");
        }
        for (String lang : translationLanguages) {
            if (lang.equalsIgnoreCase(String.valueOf(base))) {
                issue("/language", null, "invalid", "A translation into the base language " + lang + ".");
                continue;
            }
            int missing = 0;
            for (TranslatableText t : translatable) {
                if (t.pointer().equals("/_title")) {
                    continue;
                }
                if (!t.translations().containsKey(lang)) {
                    missing++;
                    if (missing <= 20) {
                        issue(
                                t.pointer(),
                                t.linkId(),
                                "incomplete-translation",
                                "No " + lang + " translation of this "
                                        + "text: a language is offered only when every text and display has one.");
                    }
                }
            }
            if (missing > 20) {
                issue(
                        "/",
                        null,
                        "incomplete-translation",
                        (missing - 20) + " more texts have no " + lang + " translation.");
            }
            languages.add(lang);
        }
        return languages;
    }

    private Duration duration(JsonNode d, String p) {
        long value = d.path("value").asLong(-1);
        String unit = d.path("code").asText(d.path("unit").asText());
        if (value <= 0) {
            issue(p, null, "invalid", "The submission window is a positive valueDuration.");
            return Duration.ofHours(24);
        }
        return switch (unit) {
            case "min" -> Duration.ofMinutes(value);
            case "h" -> Duration.ofHours(value);
            case "d" -> Duration.ofDays(value);
            default -> {
                issue(p, null, "invalid", "The submission window's unit is min, h or d.");
                yield Duration.ofHours(24);
            }
        };
    }

    private static String loinc(JsonNode codes) {
        String code = null;
        for (JsonNode c : codes) {
            if (LOINC.equals(c.path("system").asText())) {
                code = c.path("code").asText();
            }
        }
        return code;
    }

    private boolean bool(JsonNode node, String field, String p, String linkId) {
        JsonNode v = node.get(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            issue(p + "/" + field, linkId, "wrong-type", field + " is a boolean.");
            return false;
        }
        return v.booleanValue();
    }

    private String requiredText(JsonNode node, String field, String p) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            issue(p + "/" + field, null, "required", field + " is required (a non-empty string).");
            return null;
        }
        return v.asText();
    }

    private void unsupported(JsonNode node, String p, Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                issue(
                        p + "/" + n,
                        null,
                        "unsupported-element",
                        n + " is outside OpenEPRO's subset of FHIR R4 Questionnaire (see QUESTIONNAIRES.md).");
            }
        }
    }

    void issue(String pointer, String linkId, String code, String detail) {
        issues.add(FieldError.item(pointer, linkId, code, detail));
    }
}
