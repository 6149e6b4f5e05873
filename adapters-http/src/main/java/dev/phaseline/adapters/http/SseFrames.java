package dev.phaseline.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes SSE frames. {@code data:} is one line of JSON: the JSON encoder escapes every newline inside a value, so
 * no payload can start a new field or event. The {@code id} and {@code event} values are numbers and validated
 * event type names, which hold no line breaks either.
 */
final class SseFrames {

    private SseFrames() {
    }

    /**
     * @param event the event
     * @param feed  whether the stream is the tenant feed ({@code id} = global position, data carries it)
     * @return the frame, encoded once
     */
    static byte[] event(StoredEvent event, boolean feed) {
        long id = feed ? event.position() : event.seq();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(("id: " + id + "\nevent: " + singleLine(event.type()) + "\ndata: ")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(Json.bytes(Json.event(event, feed)));
        out.writeBytes(new byte[] {'\n', '\n'});
        return out.toByteArray();
    }

    /** @return the {@code end} frame after a terminal event: no id */
    static byte[] end(SessionStatus status) {
        ObjectNode data = Json.NODES.objectNode();
        data.put("status", status.wireName());
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes("event: end\ndata: ".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(Json.bytes(data));
        out.writeBytes(new byte[] {'\n', '\n'});
        return out.toByteArray();
    }

    private static String singleLine(String text) {
        return text.replace("\r", "").replace("\n", "");
    }
}
