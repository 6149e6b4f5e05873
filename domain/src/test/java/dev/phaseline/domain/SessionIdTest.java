package dev.phaseline.domain;

import static dev.phaseline.domain.SessionFixtures.rejectedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and printing of session ids. */
class SessionIdTest {

    private static final String LOWER = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    private static final String UPPER = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
    private static final String MIXED = "3f2504E0-4f89-11D3-9a0C-0305e82C3301";

    @Test
    void upper_lower_and_mixed_case_forms_parse_to_the_same_id() {
        SessionId lower = SessionId.parse(LOWER);
        SessionId upper = SessionId.parse(UPPER);
        SessionId mixed = SessionId.parse(MIXED);

        assertThat(upper).isEqualTo(lower).isEqualTo(mixed);
        assertThat(upper.hashCode()).isEqualTo(lower.hashCode()).isEqualTo(mixed.hashCode());
        assertThat(upper.value()).isEqualTo(UUID.fromString(LOWER));
    }

    @Test
    void an_id_prints_in_lowercase_whatever_case_it_was_parsed_from() {
        assertThat(SessionId.parse(UPPER)).hasToString(LOWER);
        assertThat(SessionId.parse(MIXED)).hasToString(LOWER);
    }

    @Test
    void a_printed_id_parses_back_to_the_same_id() {
        SessionId id = new SessionId(UUID.fromString("00000000-0000-0000-0000-00000000000a"));

        assertThat(SessionId.parse(id.toString())).isEqualTo(id);
        assertThat(id).hasToString("00000000-0000-0000-0000-00000000000a");
    }

    @Test
    void different_uuids_are_different_ids() {
        assertThat(SessionId.parse(LOWER)).isNotEqualTo(SessionId.parse("3f2504e0-4f89-11d3-9a0c-0305e82c3302"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "1-2-3-4-5",                                  // short form UUID.fromString would accept
        "0-0-0-0-0",
        "3f2504e0-4f89-11d3-9a0c-305e82c3301",        // one digit short in the last group
        "3f2504e0-4f89-11d3-9a0c-00305e82c3301",      // one digit too many
        "3f2504e04f8911d39a0c0305e82c3301",           // no hyphens
        "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}",     // braces
        "urn:uuid:3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        " 3f2504e0-4f89-11d3-9a0c-0305e82c3301",      // leading blank
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301 ",      // trailing blank
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301\n",     // trailing newline
        "3g2504e0-4f89-11d3-9a0c-0305e82c3301",       // not hex
        "3f2504e0_4f89_11d3_9a0c_0305e82c3301",       // wrong separators
        "\u0663f2504e0-4f89-11d3-9a0c-0305e82c3301",  // an Arabic-Indic digit
        "   ",
        "not-a-uuid",
        "null"
    })
    void anything_but_the_canonical_form_is_rejected_with_path_id(String text) {
        ValidationException error = rejectedAt("id", () -> SessionId.parse(text));

        assertThat(error.code()).isEqualTo("validation_failed");
    }

    @Test
    void an_id_needs_a_uuid() {
        assertThatNullPointerException().isThrownBy(() -> new SessionId(null));
    }
}
