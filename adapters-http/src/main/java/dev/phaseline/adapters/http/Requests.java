package dev.phaseline.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.phaseline.application.CreateSession;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Phase;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.ValidationException;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads requests: bodies (media type, size, JSON shape), path ids, query parameters and conditional headers. Every
 * refusal is a {@link ValidationException} naming the field paths, or a {@link RequestRejectedException}.
 */
final class Requests {

    /** Largest accepted body: 1 MiB. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** How much of an oversized body is read and thrown away, so the client can still read the 413. */
    private static final long MAX_DISCARD_BYTES = 8L * 1024 * 1024;
    private static final Pattern ENTITY_TAG = Pattern.compile("(?:W/)?\"(\\d{1,18})\"");

    private Requests() {
    }

    /**
     * Reads the body as a JSON object: absent or empty counts as {@code {}}.
     *
     * @throws RequestRejectedException 415 for a body that is not {@code application/json}, 413 above 1 MiB
     * @throws ValidationException      for malformed JSON or a body that is not an object
     */
    static JsonNode body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            discard(ctx);
            throw RequestRejectedException.payloadTooLarge();
        }
        byte[] bytes = read(ctx);
        if (bytes.length == 0) {
            return Json.NODES.objectNode();
        }
        if (!isJson(ctx.req().getContentType())) {
            throw RequestRejectedException.unsupportedMediaType();
        }
        JsonNode node = Json.parse(bytes);
        if (!node.isObject()) {
            throw ValidationException.of("body", "must be a JSON object");
        }
        return node;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private static byte[] read(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(chunk)) != -1) {
                total += n;
                if (total > MAX_BODY_BYTES) {
                    discardRest(in, total);
                    throw RequestRejectedException.payloadTooLarge();
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ValidationException.of("body", "could not be read");
        }
    }

    private static void discard(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            discardRest(in, 0);
        } catch (IOException ignored) {
            // the connection is closed after the answer anyway
        }
    }

    private static void discardRest(InputStream in, long alreadyRead) throws IOException {
        byte[] chunk = new byte[8192];
        long total = alreadyRead;
        int n;
        while (total < MAX_DISCARD_BYTES && (n = in.read(chunk)) != -1) {
            total += n;
        }
    }

    static SessionId pathId(Context ctx) {
        return SessionId.parse(ctx.pathParam("id"));
    }

    /**
     * @return the version an {@code If-Match} header asks for; empty when absent or {@code *}
     * @throws ValidationException (path {@code If-Match}) when malformed
     */
    static OptionalLong ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.trim().equals("*")) {
            return OptionalLong.empty();
        }
        var matcher = ENTITY_TAG.matcher(header.trim());
        if (!matcher.matches()) {
            throw ValidationException.of("If-Match", "must be an entity tag such as \"4\"");
        }
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
    }

    /** @return whether an {@code If-None-Match} header names this version (or {@code *}) */
    static boolean ifNoneMatch(Context ctx, long version) {
        String header = ctx.header("If-None-Match");
        if (header == null) {
            return false;
        }
        for (String tag : header.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*")) {
                return true;
            }
            var matcher = ENTITY_TAG.matcher(trimmed);
            if (matcher.matches() && Long.parseLong(matcher.group(1)) == version) {
                return true;
            }
        }
        return false;
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * @return the integer query parameter, or the default when absent
     * @throws ValidationException (path = name) when not an integer within the bounds
     */
    static long longParam(Context ctx, String name, long min, long max, long defaultValue) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return defaultValue;
        }
        return parseLong(name, text, min, max);
    }

    static long parseLong(String name, String text, long min, long max) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ValidationException.of(name, "must be an integer between " + min + " and " + max);
    }

    /** @return the non-blank items of a comma list parameter, in order; empty when absent */
    static Set<String> commaList(Context ctx, String name) {
        String text = ctx.queryParam(name);
        Set<String> items = new LinkedHashSet<>();
        if (text != null) {
            for (String item : text.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    /**
     * The point a stream resumes after: the {@code Last-Event-ID} header, else the {@code after} parameter, else 0.
     */
    static long resumePoint(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return parseLong("Last-Event-ID", header, 0, Long.MAX_VALUE);
        }
        return longParam(ctx, "after", 0, Long.MAX_VALUE, 0);
    }

    // ---- command bodies -------------------------------------------------------------------------------------

    static CreateSession createSession(JsonNode body) {
        Fields fields = new Fields(body);
        String workflow = fields.string("workflow", false);
        String title = fields.string("title", false);
        JsonValue.JsonObject input = fields.object("input");
        fields.check();
        return new CreateSession(workflow, title, input);
    }

    static SessionCommand.Pause pause(JsonNode body) {
        Fields fields = new Fields(body);
        String reason = fields.string("reason", false);
        fields.check();
        return new SessionCommand.Pause(reason);
    }

    static SessionCommand.Kill kill(JsonNode body) {
        Fields fields = new Fields(body);
        String reason = fields.string("reason", false);
        fields.check();
        return new SessionCommand.Kill(reason);
    }

    static SessionCommand.ChangePhase phase(JsonNode body) {
        Fields fields = new Fields(body);
        String phase = fields.string("phase", true);
        fields.check();
        return new SessionCommand.ChangePhase(new Phase(phase));
    }

    static SessionCommand.RecordProgress progress(JsonNode body) {
        Fields fields = new Fields(body);
        Integer round = fields.integer("round");
        Integer percent = fields.integer("percent");
        BigDecimal cost = fields.decimal("costUsdDelta");
        fields.check();
        return new SessionCommand.RecordProgress(round, percent, cost);
    }

    static SessionCommand.RequestClarification clarificationRequest(JsonNode body) {
        Fields fields = new Fields(body);
        JsonNode array = fields.array("questions", true);
        fields.check();
        List<ValidationException.FieldError> errors = new ArrayList<>();
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String prefix = "questions[" + i + "]";
            JsonNode item = array.get(i);
            if (!item.isObject()) {
                errors.add(new ValidationException.FieldError(prefix, "must be an object"));
                continue;
            }
            Fields question = new Fields(item, prefix + ".");
            String id = question.string("id", true);
            String text = question.string("text", true);
            Boolean required = question.bool("required");
            if (!question.errors.isEmpty()) {
                errors.addAll(question.errors);
                continue;
            }
            try {
                questions.add(new Question(id, text, required == null || required));
            } catch (ValidationException e) {
                e.errors().forEach(error -> errors.add(
                        new ValidationException.FieldError(prefix + "." + error.path(), error.message())));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors, List.of());
        }
        return new SessionCommand.RequestClarification(questions);
    }

    static SessionCommand.AnswerClarification answers(JsonNode body) {
        Fields fields = new Fields(body);
        JsonNode answers = fields.objectNode("answers", true);
        fields.check();
        Map<String, String> values = new LinkedHashMap<>();
        List<ValidationException.FieldError> errors = new ArrayList<>();
        answers.fields().forEachRemaining(entry -> {
            if (entry.getValue().isTextual()) {
                values.put(entry.getKey(), entry.getValue().textValue());
            } else {
                errors.add(new ValidationException.FieldError("answers." + entry.getKey(), "must be a string"));
            }
        });
        if (!errors.isEmpty()) {
            throw new ValidationException(errors, List.of());
        }
        return new SessionCommand.AnswerClarification(values);
    }

    static SessionCommand.AppendEvent appendEvent(JsonNode body) {
        Fields fields = new Fields(body);
        String type = fields.string("type", true);
        JsonValue.JsonObject data = fields.object("data");
        fields.check();
        return new SessionCommand.AppendEvent(type, data);
    }

    static SessionCommand.Complete complete(JsonNode body) {
        Fields fields = new Fields(body);
        JsonValue.JsonObject result = fields.object("result");
        fields.check();
        return new SessionCommand.Complete(result);
    }

    static SessionCommand.Fail fail(JsonNode body) {
        Fields fields = new Fields(body);
        String code = fields.string("code", true);
        String message = fields.string("message", false);
        fields.check();
        return new SessionCommand.Fail(code, message);
    }

    /** Typed access to the members of a body object; collects every wrong member before refusing. */
    private static final class Fields {
        private final JsonNode node;
        private final String prefix;
        private final List<ValidationException.FieldError> errors = new ArrayList<>();

        Fields(JsonNode node) {
            this(node, "");
        }

        Fields(JsonNode node, String prefix) {
            this.node = node;
            this.prefix = prefix;
        }

        private JsonNode member(String name, boolean required) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (required) {
                    errors.add(new ValidationException.FieldError(prefix + name, "is required"));
                }
                return null;
            }
            return value;
        }

        String string(String name, boolean required) {
            JsonNode value = member(name, required);
            if (value == null) {
                return null;
            }
            if (!value.isTextual()) {
                errors.add(new ValidationException.FieldError(prefix + name, "must be a string"));
                return null;
            }
            String text = value.textValue();
            if (text.indexOf('\0') >= 0) {
                errors.add(new ValidationException.FieldError(prefix + name, "must not contain NUL"));
                return null;
            }
            return text;
        }

        Boolean bool(String name) {
            JsonNode value = member(name, false);
            if (value == null) {
                return null;
            }
            if (!value.isBoolean()) {
                errors.add(new ValidationException.FieldError(prefix + name, "must be a boolean"));
                return null;
            }
            return value.booleanValue();
        }

        Integer integer(String name) {
            JsonNode value = member(name, false);
            if (value == null) {
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                errors.add(new ValidationException.FieldError(prefix + name, "must be an integer"));
                return null;
            }
            return value.intValue();
        }

        BigDecimal decimal(String name) {
            JsonNode value = member(name, false);
            if (value == null) {
                return null;
            }
            if (!value.isNumber()) {
                errors.add(new ValidationException.FieldError(prefix + name, "must be a number"));
                return null;
            }
            BigDecimal decimal = value.decimalValue();
            if (Math.abs(decimal.scale()) > 100) {
                errors.add(new ValidationException.FieldError(prefix + name, "is out of range"));
                return null;
            }
            return decimal;
        }

        JsonNode array(String name, boolean required) {
            JsonNode value = member(name, required);
            if (value == null) {
                return null;
            }
            if (!value.isArray()) {
                errors.add(new ValidationException.FieldError(prefix + name, "must be an array"));
                return null;
            }
            return value;
        }

        JsonNode objectNode(String name, boolean required) {
            JsonNode value = member(name, required);
            if (value == null) {
                return null;
            }
            if (!value.isObject()) {
                errors.add(new ValidationException.FieldError(prefix + name, "must be an object"));
                return null;
            }
            return value;
        }

        JsonValue.JsonObject object(String name) {
            JsonNode value = objectNode(name, false);
            if (value == null) {
                return null;
            }
            try {
                return Json.toObject(value, prefix + name);
            } catch (ValidationException e) {
                errors.addAll(e.errors());
                return null;
            }
        }

        void check() {
            if (!errors.isEmpty()) {
                throw new ValidationException(errors, List.of());
            }
        }
    }
}
