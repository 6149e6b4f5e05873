package dev.phaseline.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Builds the data objects of lifecycle events. */
final class EventData {

    static final Pattern CUSTOM_TYPE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

    private EventData() {
    }

    /** @param pairs alternating member names and {@link JsonValue}s */
    static JsonValue.JsonObject of(Object... pairs) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            members.put((String) pairs[i], (JsonValue) pairs[i + 1]);
        }
        return JsonValue.object(members);
    }
}
