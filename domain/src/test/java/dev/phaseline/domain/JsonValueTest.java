package dev.phaseline.domain;

import static dev.phaseline.domain.SessionFixtures.rejectedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The domain's own JSON value: parsing, writing, equality and size. */
class JsonValueTest {

    private static final String LINE_BREAKS = "\n\r\u2028\u2029";

    private static void assertOneLine(String json) {
        for (char c : json.toCharArray()) {
            assertThat(c < 0x20 || LINE_BREAKS.indexOf(c) >= 0)
                    .as("raw character U+%04X in %s", (int) c, json).isFalse();
        }
    }

    @Test
    void compact_json_survives_a_parse_and_write_round_trip() {
        String json = "{\"title\":\"Market report\",\"rounds\":3,\"ratio\":0.75,\"tags\":[\"a\",\"b\"],"
                + "\"nested\":{\"ok\":true,\"off\":false,\"none\":null},\"empty\":{},\"list\":[]}";

        assertThat(JsonValue.parse(json).toJson()).isEqualTo(json);
    }

    @Test
    void whitespace_is_dropped_and_member_order_kept_when_writing() {
        JsonValue parsed = JsonValue.parse(" {\n \"b\" : [ 1 , 2 ] ,\t\"a\" : \"x\" \r\n} ");

        assertThat(parsed.toJson()).isEqualTo("{\"b\":[1,2],\"a\":\"x\"}");
    }

    @Test
    void parsing_reads_every_kind_of_value() {
        JsonValue.JsonObject parsed = (JsonValue.JsonObject) JsonValue.parse(
                "{\"s\":\"text\",\"n\":-12.5e1,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,\"two\"]}");

        assertThat(parsed.get("s")).isEqualTo(JsonValue.of("text"));
        assertThat(parsed.get("n")).isEqualTo(JsonValue.of(-125));
        assertThat(parsed.get("t")).isEqualTo(JsonValue.of(true));
        assertThat(parsed.get("f")).isEqualTo(JsonValue.of(false));
        assertThat(parsed.get("z")).isEqualTo(JsonValue.NULL);
        assertThat(parsed.get("a")).isEqualTo(new JsonValue.JsonArray(List.of(JsonValue.of(1), JsonValue.of("two"))));
        assertThat(parsed.get("missing")).isNull();
    }

    @Test
    void escape_sequences_are_decoded() {
        JsonValue parsed = JsonValue.parse("\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\fu\\u00e9\\ud83d\\ude00\"");

        assertThat(parsed).isEqualTo(JsonValue.of("q\"b\\s/n\nr\rt\tb\bf\fu\u00e9\ud83d\ude00"));
    }

    @Test
    void newlines_quotes_and_control_characters_are_escaped_on_one_line() {
        JsonValue value = JsonValue.of("line1\nline2\r\"quoted\"\t\\ \u0001\u001f \u2028\u2029 event: end\n\ndata: x");

        String json = value.toJson();

        assertThat(json).isEqualTo("\"line1\\nline2\\r\\\"quoted\\\"\\t\\\\ \\u0001\\u001f \\u2028\\u2029"
                + " event: end\\n\\ndata: x\"");
        assertOneLine(json);
        assertThat(JsonValue.parse(json)).isEqualTo(value);
    }

    @Test
    void member_names_are_escaped_like_strings() {
        JsonValue value = JsonValue.object(Map.of("a\nb", JsonValue.of(1)));

        assertThat(value.toJson()).isEqualTo("{\"a\\nb\":1}");
    }

    @Test
    void random_values_survive_a_write_and_parse_round_trip_on_one_line() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            JsonValue value = randomValue(random, 0);

            String json = value.toJson();

            assertThat(JsonValue.parse(json)).as("seed %d: %s", seed, json).isEqualTo(value);
            assertThat(JsonValue.parse(json).toJson()).as("seed %d", seed).isEqualTo(json);
            assertOneLine(json);
        }
    }

    private static JsonValue randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 4 : 6);
        return switch (kind) {
            case 0 -> JsonValue.of(randomText(random));
            case 1 -> JsonValue.of(new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(8)));
            case 2 -> JsonValue.of(random.nextBoolean());
            case 3 -> JsonValue.NULL;
            case 4 -> {
                List<JsonValue> elements = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    elements.add(randomValue(random, depth + 1));
                }
                yield new JsonValue.JsonArray(elements);
            }
            default -> {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    members.put(randomText(random), randomValue(random, depth + 1));
                }
                yield JsonValue.object(members);
            }
        };
    }

    private static String randomText(Random random) {
        String alphabet = "ab \"\\/\n\r\t\b\f\u0001\u001f\u007f\u00e9\u20ac\u2028\u2029\ud83d\ude00";
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            text.append(c);
            if (Character.isHighSurrogate(c)) {
                text.append(alphabet.charAt(at + 1));
            }
        }
        return text.toString().replace("\ude00\ude00", "\ude00").replaceAll("^\ude00", "");
    }

    @Test
    void objects_are_equal_whatever_their_member_order() {
        JsonValue ab = JsonValue.parse("{\"a\":1,\"b\":[true,null]}");
        JsonValue ba = JsonValue.parse("{\"b\":[true,null],\"a\":1}");

        assertThat(ab).isEqualTo(ba);
        assertThat(ab.hashCode()).isEqualTo(ba.hashCode());
        assertThat(ab.toJson()).isNotEqualTo(ba.toJson());
    }

    @Test
    void objects_with_different_values_or_members_differ() {
        assertThat(JsonValue.parse("{\"a\":1}")).isNotEqualTo(JsonValue.parse("{\"a\":2}"));
        assertThat(JsonValue.parse("{\"a\":1}")).isNotEqualTo(JsonValue.parse("{\"a\":1,\"b\":1}"));
        assertThat(JsonValue.parse("{\"a\":1}")).isNotEqualTo(JsonValue.parse("{\"A\":1}"));
    }

    @Test
    void array_order_matters() {
        assertThat(JsonValue.parse("[1,2]")).isNotEqualTo(JsonValue.parse("[2,1]"));
    }

    @Test
    void numbers_are_equal_by_value_whatever_their_scale_with_consistent_hash_codes() {
        List<List<String>> sameValues = List.of(
                List.of("1", "1.0", "1.000", "1e0", "10e-1", "0.1E1"),
                List.of("0", "0.0", "-0", "0e5", "-0.00"),
                List.of("100", "1e2", "1E+2", "100.00"),
                List.of("-2.5", "-25e-1", "-2.50"));

        for (List<String> group : sameValues) {
            JsonValue first = JsonValue.parse(group.get(0));
            for (String text : group) {
                JsonValue other = JsonValue.parse(text);
                assertThat(other).as("%s equals %s", text, group.get(0)).isEqualTo(first);
                assertThat(other.hashCode()).as("hash of %s", text).isEqualTo(first.hashCode());
            }
        }
        assertThat(JsonValue.parse("1.0")).isNotEqualTo(JsonValue.parse("1.01"));
        assertThat(JsonValue.parse("{\"n\":1.0}")).isEqualTo(JsonValue.parse("{\"n\":1}"));
    }

    @Test
    void numbers_are_written_as_valid_json_without_exponents_for_integers() {
        assertThat(JsonValue.parse("1E+2").toJson()).isEqualTo("100");
        assertThat(JsonValue.parse("-0").toJson()).isEqualTo("0");
        assertThat(JsonValue.parse("1.50").toJson()).isEqualTo("1.50");
        assertThat(JsonValue.parse("[0.0000001]").toJson()).isEqualTo("[1E-7]");
        assertThat(JsonValue.parse(JsonValue.parse("1E-7").toJson())).isEqualTo(JsonValue.parse("0.0000001"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[1,2,]",                   // trailing comma in an array
        "{\"a\":1,}",               // trailing comma in an object
        "01",                       // leading zero
        "-01",                      // leading zero after a sign
        "[00]",                     // leading zero inside an array
        "\"unterminated",           // unterminated string
        "{\"a\":\"b}",              // unterminated string inside an object
        "\"tab\there\"",            // bare control character
        "\"line\nbreak\"",          // bare newline
        "1e999999",                 // exponent out of range
        "1e-999999",                // negative exponent out of range
        "1e1234567",                // exponent with too many digits
        "\"\\u0000\"",              // escaped NUL
        "{\"\\u0000\":1}",          // escaped NUL in a member name
        "",                         // nothing
        "   ",                      // only whitespace
        "{} {}",                    // two values
        "[1] x",                    // text after the value
        "{'a':1}",                  // single quotes
        "{a:1}",                    // unquoted member name
        "NaN",                      // not a JSON number
        "Infinity",
        "+1",
        ".5",
        "1.",
        "1e",
        "-",
        "tru",
        "nulls",
        "\"\\x41\"",                // unknown escape
        "\"\\u12\"",                // short \\u escape
        "\"\\u12g4\"",              // non-hex digit in \\u escape
        "\"\\u\u0661\u0661\u0661\u0661\"", // Arabic-Indic digits are not hex digits
        "\"\\u\uff10\uff10\uff14\uff21\"", // neither are fullwidth digits and letters
        "[1 2]",                    // missing comma
        "{\"a\" 1}",                // missing colon
        "{\"a\":1 \"b\":2}",        // missing comma between members
        "[",
        "{",
        "\"\\"
    })
    void invalid_json_is_rejected_with_path_json(String text) {
        rejectedAt("json", () -> JsonValue.parse(text));
    }

    @Test
    void nesting_of_256_levels_is_accepted_and_257_rejected() {
        String deepest = "[".repeat(256) + "]".repeat(256);
        String tooDeep = "[".repeat(257) + "]".repeat(257);
        String deepObject = "{\"a\":".repeat(257) + "1" + "}".repeat(257);

        assertThatCode(() -> JsonValue.parse(deepest)).doesNotThrowAnyException();
        rejectedAt("json", () -> JsonValue.parse(tooDeep));
        rejectedAt("json", () -> JsonValue.parse(deepObject));
    }

    @Test
    void hostile_nesting_is_rejected_without_exhausting_the_stack() {
        rejectedAt("json", () -> JsonValue.parse("[".repeat(1_000_000)));
    }

    @Test
    void an_exponent_within_range_is_accepted() {
        assertThat(JsonValue.parse("1e5")).isEqualTo(JsonValue.of(100_000));
        assertThat(JsonValue.parse("25E-2")).isEqualTo(JsonValue.of(new BigDecimal("0.25")));
    }

    @Test
    void a_number_too_long_to_write_out_is_refused_however_it_was_built() {
        rejectedAt("json", () -> JsonValue.of(new BigDecimal("1e999999999")));
        rejectedAt("json", () -> JsonValue.of(new BigDecimal("1e-1001")));
        rejectedAt("json", () -> JsonValue.parse("1e1001"));
        assertThat(JsonValue.of(new BigDecimal("1e999")).toJson()).hasSize(1_000);
        JsonValue tiny = JsonValue.of(new BigDecimal("1e-1000"));
        assertThat(JsonValue.parse(tiny.toJson())).isEqualTo(tiny);
    }

    @Test
    void a_nul_character_cannot_be_held_in_a_string_or_member_name() {
        rejectedAt("json", () -> JsonValue.of("a\0b"));
        rejectedAt("json", () -> JsonValue.object(Map.of("a\0b", JsonValue.NULL)));
    }

    @Test
    void encoded_size_counts_utf8_bytes_of_the_compact_form() {
        assertThat(JsonValue.parse("{ \"a\" : \"b\" }").encodedSize()).isEqualTo(9);
        assertThat(JsonValue.of("é").encodedSize()).as("two-byte character").isEqualTo(4);
        assertThat(JsonValue.of("€").encodedSize()).as("three-byte character").isEqualTo(5);
        assertThat(JsonValue.of("\ud83d\ude00").encodedSize()).as("four-byte character").isEqualTo(6);
        assertThat(JsonValue.of("\n").encodedSize()).as("escaped newline").isEqualTo(4);
        assertThat(JsonValue.of("\u0001").encodedSize()).as("escaped control character").isEqualTo(8);
        assertThat(JsonValue.EMPTY_OBJECT.encodedSize()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "quote \" and \\ backslash", "line\nbreak\r\t", "\u2028 and \u2029", "\u0001"})
    void a_string_appended_directly_reads_exactly_as_its_json_string_value(String text) {
        StringBuilder out = new StringBuilder("[");

        JsonValue.appendString(text, out);

        assertThat(out.substring(1)).isEqualTo(new JsonValue.JsonString(text).toJson());
        // Both share the writer, so also read it back: an escaping fault in that writer shows here.
        assertThat(JsonValue.parse(out.substring(1))).isEqualTo(new JsonValue.JsonString(text));
    }

    @Test
    void a_string_with_nul_is_refused_when_appended_directly() {
        rejectedAt("json", () -> JsonValue.appendString("a\0b", new StringBuilder()));
    }
}
