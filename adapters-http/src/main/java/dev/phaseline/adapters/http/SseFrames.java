package dev.phaseline.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.SessionStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Encodes SSE frames. {@code data:} is one line of JSON: the JSON encoder escapes every newline inside a value, so
 * no payload can start a new field or event. The {@code id} and {@code event} values are numbers and validated
 * event type names, which hold no line breaks either.
 *
 * <p>An event is encoded once, not once per stream: a live event reaches every subscriber of its session (and every
 * matching feed) as the same {@link StoredEvent} instance, so a small identity-keyed memo of the frames encoded last
 * lets thousands of streams share one {@code byte[]}. The memo has a few slots picked by identity hash, so events of
 * different sessions fanned out at the same time rarely evict each other; a miss only costs an encoding. Frames are
 * never modified once built.
 */
final class SseFrames {

    private static final int SLOTS = 64;
    private static final AtomicReferenceArray<Encoded> RECENT = new AtomicReferenceArray<>(SLOTS);

    /** A frame encoded for one event instance and one kind of stream. */
    private record Encoded(StoredEvent event, boolean feed, byte[] frame) {
    }

    private SseFrames() {
    }

    /**
     * @param event the event
     * @param feed  whether the stream is the tenant feed ({@code id} = global position, data carries it)
     * @return the frame; the same array for every stream of the same kind that gets this event instance (never
     *         modify it)
     */
    static byte[] event(StoredEvent event, boolean feed) {
        int slot = (System.identityHashCode(event) * 2 + (feed ? 1 : 0)) & (SLOTS - 1);
        Encoded recent = RECENT.getAcquire(slot);
        if (recent != null && recent.event() == event && recent.feed() == feed) {
            return recent.frame();
        }
        byte[] frame = encode(event, feed);
        RECENT.setRelease(slot, new Encoded(event, feed, frame));
        return frame;
    }

    private static byte[] encode(StoredEvent event, boolean feed) {
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
