package dev.phaseline.adapters.redis;

import static dev.phaseline.adapters.redis.Sessions.at;
import static dev.phaseline.adapters.redis.Sessions.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.JsonValue;
import dev.phaseline.domain.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisJsonTest {

    @Test
    void a_rich_session_survives_the_round_trip_exactly() {
        Session rich = Sessions.rich();

        Session read = RedisJson.sessionFromJson(RedisJson.sessionToJson(rich));

        assertThat(read).isEqualTo(rich);
        assertThat(read.progress().costUsd()).hasToString(rich.progress().costUsd().toString());
        assertThat(read.updatedAt()).isEqualTo(rich.updatedAt()).hasToString(rich.updatedAt().toString());
    }

    @Test
    void completed_failed_and_deleted_sessions_survive_the_round_trip() {
        Session completed = Session.create(newId(), "t", "o", null, null, null, at(0)).session().start(at(1))
                .session().complete(Sessions.richJson(), at(2)).session();
        Session failed = Session.create(newId(), "t", "o", null, "title", null, at(0)).session()
                .fail("boom", "it\nbroke", at(1)).session();
        Session deleted = failed.delete("owner", at(3)).session();

        for (Session session : List.of(completed, failed, deleted)) {
            assertThat(RedisJson.sessionFromJson(RedisJson.sessionToJson(session))).isEqualTo(session);
        }
    }

    @Test
    void events_survive_the_bus_message_round_trip_with_the_node_id() {
        List<StoredEvent> events = List.of(
                new StoredEvent(7, newId(), "tenant-1", 1, "session.created", at(1), JsonValue.EMPTY_OBJECT),
                new StoredEvent(9, newId(), "tenant-2", 42, "agent_thinking", at(2), Sessions.richJson()));

        RedisJson.Message message = RedisJson.messageFromJson(
                RedisJson.messageToJson(RedisJson.messagePrefix("node-a"), events));

        assertThat(message.node()).isEqualTo("node-a");
        assertThat(message.events()).containsExactlyElementsOf(events);
    }

    @Test
    void text_with_quotes_backslashes_and_control_characters_is_escaped_onto_one_line_and_read_back() {
        String title = "a \"quoted\" \\ path\nnext\u2028line\u0001\ttab";
        Session session = Session.create(newId(), "t", "o", null, title, null, at(0)).session();

        String json = RedisJson.sessionToJson(session);

        assertThat(json).doesNotContain("\n", "\u2028", "\u0001");
        assertThat(JsonValue.parse(json)).isInstanceOf(JsonValue.JsonObject.class);
        assertThat(RedisJson.sessionFromJson(json)).isEqualTo(session);
    }

    @Test
    void a_message_begins_with_its_node_so_the_node_knows_its_own_without_decoding() {
        List<StoredEvent> events = List.of(
                new StoredEvent(7, newId(), "tenant-1", 1, "session.created", at(1), JsonValue.EMPTY_OBJECT));

        String json = RedisJson.messageToJson(RedisJson.messagePrefix("node-a"), events);

        assertThat(json).startsWith(RedisJson.messagePrefix("node-a"));
        assertThat(json).doesNotStartWith(RedisJson.messagePrefix("node-b"));
        assertThat(RedisJson.messageToJson(RedisJson.messagePrefix("node-ab"), events))
                .doesNotStartWith(RedisJson.messagePrefix("node-a"));
    }

    @Test
    void malformed_entries_are_refused_with_an_exception() {
        String valid = RedisJson.sessionToJson(Sessions.rich());

        assertThatThrownBy(() -> RedisJson.sessionFromJson("not json")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> RedisJson.sessionFromJson("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisJson.sessionFromJson(valid.replace("\"version\"", "\"versio\"")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisJson.sessionFromJson(valid.replace("\"status\":\"paused\"",
                "\"status\":\"running\""))).isInstanceOf(IllegalArgumentException.class);
    }
}
