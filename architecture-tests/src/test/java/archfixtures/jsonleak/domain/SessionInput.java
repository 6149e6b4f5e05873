package archfixtures.jsonleak.domain;

import com.fasterxml.jackson.databind.JsonNode;

public record SessionInput(JsonNode json) {

    public boolean clarify() {
        return json.path("clarify").asBoolean(false);
    }
}
