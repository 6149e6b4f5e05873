package dev.phaseline.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON value held by the domain without any JSON library: session input and result, and event data.
 *
 * <p>The domain never interprets these values; it only checks their shape and size. Values are immutable and
 * compare structurally: object member order does not matter, and numbers compare by value ({@code 1.0} equals
 * {@code 1}), because stores such as PostgreSQL {@code jsonb} keep neither member order nor number text.
 * Strings may not contain U+0000, which no PostgreSQL text type can keep.
 */
public sealed interface JsonValue
        permits JsonValue.JsonObject, JsonValue.JsonArray, JsonValue.JsonString, JsonValue.JsonNumber,
        JsonValue.JsonBoolean, JsonValue.JsonNull {

    /** The JSON literal {@code null}. */
    JsonNull NULL = new JsonNull();

    /** The empty object {@code {}}. */
    JsonObject EMPTY_OBJECT = new JsonObject(Map.of());

    /**
     * Parses JSON text (RFC 8259).
     *
     * @param text the JSON text, never {@code null}
     * @return the parsed value
     * @throws ValidationException (path {@code json}) if the text is not valid JSON, nests deeper than
     *                             {@value JsonParser#MAX_DEPTH} levels or holds U+0000 in a string
     */
    static JsonValue parse(String text) {
        return new JsonParser(Objects.requireNonNull(text, "text")).parseDocument();
    }

    /**
     * @param members the members, in the order they should be written; never {@code null}
     * @return an object value
     */
    static JsonObject object(Map<String, ? extends JsonValue> members) {
        return new JsonObject(JsonObject.copy(members));
    }

    /**
     * @param value a string, never {@code null}
     * @return a string value
     */
    static JsonString of(String value) {
        return new JsonString(value);
    }

    /**
     * @param value a number
     * @return a number value
     */
    static JsonNumber of(long value) {
        return new JsonNumber(BigDecimal.valueOf(value));
    }

    /**
     * @param value a number, never {@code null}
     * @return a number value
     */
    static JsonNumber of(BigDecimal value) {
        return new JsonNumber(value);
    }

    /**
     * @param value a boolean
     * @return a boolean value
     */
    static JsonBoolean of(boolean value) {
        return value ? JsonBoolean.TRUE : JsonBoolean.FALSE;
    }

    /**
     * @param text a string, or {@code null}
     * @return a string value, or {@link #NULL} for {@code null}
     */
    static JsonValue ofNullable(String text) {
        return text == null ? NULL : new JsonString(text);
    }

    /** @return this value as compact JSON text */
    default String toJson() {
        StringBuilder out = new StringBuilder();
        appendJson(out);
        return out.toString();
    }

    /** @param out receives this value as compact JSON text, for writers that build a larger document */
    default void appendJson(StringBuilder out) {
        JsonWriter.write(this, out);
    }

    /**
     * Appends text as a JSON string exactly as a {@link JsonString} of it would be written, without building one.
     *
     * @param text the text, which must be storable (no NUL character)
     * @param out  receives the quoted, escaped string
     */
    static void appendString(String text, StringBuilder out) {
        JsonString.check(Objects.requireNonNull(text, "text"));
        JsonWriter.string(text, out);
    }

    /** @return the size of {@link #toJson()} in UTF-8 bytes, the measure the documented size limits use */
    default int encodedSize() {
        return Text.utf8Length(toJson());
    }

    /**
     * A JSON object. Members keep their insertion order when written; equality ignores order.
     *
     * @param members the members, copied; never {@code null}, no {@code null} keys or values
     */
    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        /** Copies the members into an unmodifiable, order-keeping map. */
        public JsonObject {
            members = copy(members);
        }

        private static Map<String, JsonValue> copy(Map<String, ? extends JsonValue> members) {
            Objects.requireNonNull(members, "members");
            Map<String, JsonValue> copy = new LinkedHashMap<>();
            members.forEach((key, value) -> {
                JsonString.check(Objects.requireNonNull(key, "member name"));
                copy.put(key, Objects.requireNonNull(value, "member value"));
            });
            return Collections.unmodifiableMap(copy);
        }

        /**
         * @param name a member name
         * @return the member, or {@code null} when absent
         */
        public JsonValue get(String name) {
            return members.get(name);
        }
    }

    /**
     * A JSON array.
     *
     * @param elements the elements, copied; never {@code null}, no {@code null} elements
     */
    record JsonArray(List<JsonValue> elements) implements JsonValue {
        /** Copies the elements into an unmodifiable list. */
        public JsonArray {
            elements = List.copyOf(elements);
        }
    }

    /**
     * A JSON string.
     *
     * @param value the text, never {@code null}, without U+0000
     */
    record JsonString(String value) implements JsonValue {
        /** Checks that the text is present and storable. */
        public JsonString {
            check(Objects.requireNonNull(value, "value"));
        }

        static void check(String text) {
            if (text.indexOf('\0') >= 0) {
                throw ValidationException.of("json", "strings must not contain the NUL character");
            }
        }
    }

    /**
     * A JSON number. Two numbers are equal when their values are, whatever their scale.
     *
     * @param value the number, never {@code null}
     */
    record JsonNumber(BigDecimal value) implements JsonValue {

        /** Most digits a number may have before or after its decimal point. */
        public static final int MAX_DIGITS = 1_000;

        /**
         * Checks that the number is present and can be written out: {@code 1e999999999} would otherwise expand to a
         * billion digits when written as JSON.
         *
         * @throws ValidationException (path {@code json}) if it has more than {@value #MAX_DIGITS} digits before or
         *                             after its decimal point
         */
        public JsonNumber {
            Objects.requireNonNull(value, "value");
            long integerDigits = (long) value.precision() - value.scale();
            if (integerDigits > MAX_DIGITS || value.scale() > MAX_DIGITS) {
                throw ValidationException.of("json", "numbers may have at most " + MAX_DIGITS
                        + " digits before and after the decimal point");
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof JsonNumber number && value.compareTo(number.value) == 0;
        }

        @Override
        public int hashCode() {
            return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
        }

        /** @return the number as JSON text, without exponent for integers */
        String text() {
            if (value.scale() <= 0) {
                BigInteger whole = value.toBigInteger();
                return whole.toString();
            }
            return value.toString();
        }
    }

    /**
     * A JSON boolean.
     *
     * @param value the boolean
     */
    record JsonBoolean(boolean value) implements JsonValue {
        static final JsonBoolean TRUE = new JsonBoolean(true);
        static final JsonBoolean FALSE = new JsonBoolean(false);
    }

    /** The JSON literal {@code null}; use {@link JsonValue#NULL}. */
    record JsonNull() implements JsonValue {
    }
}
