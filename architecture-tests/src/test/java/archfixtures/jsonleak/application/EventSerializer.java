package archfixtures.jsonleak.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

public final class EventSerializer {

    private final ObjectMapper mapper = new ObjectMapper();

    public String serialize(Map<String, Object> event) throws JsonProcessingException {
        return mapper.writeValueAsString(event);
    }
}
