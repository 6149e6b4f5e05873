package archfixtures.jsonleak.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public final class JsonBodies {

    private final ObjectMapper mapper = new ObjectMapper();

    public JsonNode parse(String body) throws JsonProcessingException {
        return mapper.readTree(body);
    }
}
