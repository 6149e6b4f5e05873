package dev.phaseline.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Pause;
import dev.phaseline.domain.Question;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.ValidationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out: Jackson trees on the wire, the domain's {@link JsonValue} inside. The wire shapes of sessions,
 * statuses and events are written here and nowhere else.
 */
final class Json {

    /** Numbers whose decimal exponent is beyond this are refused: expanding them would cost unbounded memory. */
    private static final int MAX_NUMBER_SCALE = 1000;

    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(NODES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {
    }

    /**
     * @param body request bytes, UTF-8
     * @return the parsed tree
     * @throws ValidationException (path {@code body}) if it is not JSON
     */
    static JsonNode parse(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ValidationException.of("body", "must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ValidationException.of("body", "is not valid JSON");
        } catch (IOException e) {
            throw ValidationException.of("body", "could not be read as JSON");
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    /**
     * @param node a JSON object node
     * @param path where it was found, for errors
     * @return the domain value
     * @throws ValidationException if it holds a value the domain cannot keep
     */
    static JsonValue.JsonObject toObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw ValidationException.of(path, "must be a JSON object");
        }
        return (JsonValue.JsonObject) toValue(node, path);
    }

    private static JsonValue toValue(JsonNode node, String path) {
        switch (node.getNodeType()) {
            case OBJECT: {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                var fields = node.fields();
                while (fields.hasNext()) {
                    var field = fields.next();
                    members.put(field.getKey(), toValue(field.getValue(), path + "." + field.getKey()));
                }
                return JsonValue.object(members);
            }
            case ARRAY: {
                List<JsonValue> elements = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    elements.add(toValue(node.get(i), path + "[" + i + "]"));
                }
                return new JsonValue.JsonArray(elements);
            }
            case STRING:
                try {
                    return JsonValue.of(node.textValue());
                } catch (ValidationException e) {
                    throw ValidationException.of(path, "strings must not contain the NUL character");
                }
            case NUMBER: {
                BigDecimal value = node.decimalValue();
                if (Math.abs(value.scale()) > MAX_NUMBER_SCALE) {
                    throw ValidationException.of(path, "number is out of range");
                }
                return JsonValue.of(value);
            }
            case BOOLEAN:
                return JsonValue.of(node.booleanValue());
            case NULL:
                return JsonValue.NULL;
            default:
                throw ValidationException.of(path, "unsupported JSON value");
        }
    }

    static JsonNode toNode(JsonValue value) {
        if (value instanceof JsonValue.JsonObject object) {
            ObjectNode node = NODES.objectNode();
            object.members().forEach((name, member) -> node.set(name, toNode(member)));
            return node;
        }
        if (value instanceof JsonValue.JsonArray array) {
            ArrayNode node = NODES.arrayNode();
            array.elements().forEach(element -> node.add(toNode(element)));
            return node;
        }
        if (value instanceof JsonValue.JsonString string) {
            return NODES.textNode(string.value());
        }
        if (value instanceof JsonValue.JsonNumber number) {
            return NODES.numberNode(number.value());
        }
        if (value instanceof JsonValue.JsonBoolean bool) {
            return NODES.booleanNode(bool.value());
        }
        return NODES.nullNode();
    }

    /** @return the contract's session JSON */
    static ObjectNode session(Session session) {
        ObjectNode node = NODES.objectNode();
        node.put("id", session.id().toString());
        node.put("tenantId", session.tenantId());
        node.put("ownerId", session.ownerId());
        node.put("workflow", session.workflow());
        node.put("title", session.title());
        node.put("status", session.status().wireName());
        node.put("phase", session.phase() == null ? null : session.phase().name());
        node.set("pause", pause(session.pause()));
        node.set("progress", progress(session));
        node.set("input", toNode(session.input()));
        node.set("result", session.result() == null ? NODES.nullNode() : toNode(session.result()));
        if (session.failure() == null) {
            node.putNull("failure");
        } else {
            ObjectNode failure = node.putObject("failure");
            failure.put("code", session.failure().code());
            failure.put("message", session.failure().message());
        }
        node.put("version", session.version());
        node.put("lastEventSeq", session.lastEventSeq());
        node.put("createdAt", time(session.createdAt()));
        node.put("updatedAt", time(session.updatedAt()));
        node.put("startedAt", time(session.startedAt()));
        node.put("endedAt", time(session.endedAt()));
        return node;
    }

    /** @return the contract's status JSON */
    static ObjectNode status(Session session) {
        ObjectNode node = NODES.objectNode();
        node.put("id", session.id().toString());
        node.put("status", session.status().wireName());
        node.put("phase", session.phase() == null ? null : session.phase().name());
        node.set("pause", pause(session.pause()));
        node.set("progress", progress(session));
        node.put("version", session.version());
        node.put("lastEventSeq", session.lastEventSeq());
        node.put("updatedAt", time(session.updatedAt()));
        return node;
    }

    /**
     * @param event        a stored event
     * @param withPosition whether to include the global position (tenant feed)
     * @return the contract's event JSON
     */
    static ObjectNode event(StoredEvent event, boolean withPosition) {
        ObjectNode node = NODES.objectNode();
        node.put("sessionId", event.sessionId().toString());
        node.put("seq", event.seq());
        node.put("type", event.type());
        node.put("at", time(event.at()));
        node.set("data", toNode(event.data()));
        if (withPosition) {
            node.put("position", event.position());
        }
        return node;
    }

    private static JsonNode pause(Pause pause) {
        if (pause == null) {
            return NODES.nullNode();
        }
        ObjectNode node = NODES.objectNode();
        node.put("reason", pause.reason().wireName());
        node.put("since", time(pause.since()));
        ArrayNode questions = node.putArray("questions");
        for (Question question : pause.questions()) {
            ObjectNode q = questions.addObject();
            q.put("id", question.id());
            q.put("text", question.text());
            q.put("required", question.required());
        }
        return node;
    }

    private static ObjectNode progress(Session session) {
        ObjectNode node = NODES.objectNode();
        node.put("round", session.progress().round());
        if (session.progress().percent() == null) {
            node.putNull("percent");
        } else {
            node.put("percent", session.progress().percent());
        }
        node.put("costUsd", session.progress().costUsd());
        return node;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
