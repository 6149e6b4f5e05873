package dev.phaseline.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8LengthTest {

    @Test
    void counts_one_to_four_bytes_per_character_like_the_jdk_encoder() {
        List<String> samples = List.of(
                "", "phase", "é", "日本", "€\u2028", "😀", "a😀b", "\u007f\u0080\u07ff\u0800\uffff");

        assertThat(samples).allSatisfy(text -> assertThat(Text.utf8Length(text)).isEqualTo(jdkLength(text)));
    }

    @Test
    void counts_an_unpaired_surrogate_as_the_one_byte_replacement_like_the_jdk_encoder() {
        List<String> samples = List.of("\ud83d", "x\ud83d", "\ud83dx", "\ude00", "\ude00\ud83d", "\ud83d\ud83d\ude00");

        assertThat(samples).allSatisfy(text -> assertThat(Text.utf8Length(text)).isEqualTo(jdkLength(text)));
    }

    @Test
    void agrees_with_the_jdk_encoder_on_random_text() {
        long seed = 20261122L;
        Random random = new Random(seed);
        for (int run = 0; run < 2_000; run++) {
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
            }
            String text = new String(chars);

            assertThat(Text.utf8Length(text)).as("seed %d, run %d", seed, run).isEqualTo(jdkLength(text));
        }
    }

    @Test
    void json_size_is_measured_in_utf8_bytes_of_the_compact_text() {
        JsonValue value = JsonValue.of("é😀");

        assertThat(value.encodedSize()).isEqualTo(2 + 2 + 4);
    }

    private static int jdkLength(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
