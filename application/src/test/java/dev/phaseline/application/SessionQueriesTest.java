package dev.phaseline.application;

import static dev.phaseline.application.CoreFixture.ADMIN;
import static dev.phaseline.application.CoreFixture.support;
import static dev.phaseline.application.CoreFixture.user;
import static dev.phaseline.application.CoreFixture.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.phaseline.application.port.StoredEvent;
import dev.phaseline.domain.Session;
import dev.phaseline.domain.SessionId;
import dev.phaseline.domain.SessionStatus;
import dev.phaseline.domain.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Listing by keyset pages, history pages and operator stats. */
class SessionQueriesTest {

    private static final Principal ALICE = user("alice", "acme");
    private static final Principal BOB = user("bob", "acme");
    private static final Principal DAVE = user("dave", "globex");

    /** Newest first, ties by id text descending; written out here, not borrowed from the code under test. */
    private static final Comparator<Session> NEWEST_FIRST = Comparator.comparing(Session::createdAt).reversed()
            .thenComparing(Comparator.comparing((Session s) -> s.id().toString()).reversed());

    private final CoreFixture fixture = CoreFixture.create();
    private final List<SessionId> alices = new ArrayList<>();
    private final List<SessionId> bobs = new ArrayList<>();
    private final List<SessionId> daves = new ArrayList<>();

    @AfterEach
    void closeCore() {
        fixture.close();
    }

    @BeforeEach
    void createSessions() {
        for (int i = 0; i < 12; i++) {
            // Groups of three share a creation time, so the id must break ties across page boundaries.
            if (i % 3 == 0) {
                fixture.clock.advance(Duration.ofSeconds(1));
            }
            alices.add(fixture.created(ALICE, i % 2 == 0 ? "demo" : null));
            bobs.add(fixture.created(BOB));
            daves.add(fixture.created(DAVE));
        }
    }

    @Test
    void keyset_pages_cover_every_visible_session_exactly_once_newest_first() {
        for (int limit : List.of(1, 2, 5, 7, 12, 200)) {
            assertThat(ids(allPages(ALICE, limit, Set.of()))).as("alice, pages of %d", limit)
                    .containsExactlyElementsOf(expected(alices));
        }
    }

    @Test
    void a_user_lists_its_own_support_and_workers_their_tenant_and_an_admin_every_tenant() {
        List<SessionId> acme = new ArrayList<>(alices);
        acme.addAll(bobs);
        List<SessionId> everyone = new ArrayList<>(acme);
        everyone.addAll(daves);

        assertThat(ids(allPages(ALICE, 5, Set.of()))).containsExactlyElementsOf(expected(alices));
        assertThat(ids(allPages(BOB, 5, Set.of()))).containsExactlyElementsOf(expected(bobs));
        assertThat(ids(allPages(support("acme"), 5, Set.of()))).containsExactlyElementsOf(expected(acme));
        assertThat(ids(allPages(worker("acme"), 5, Set.of()))).containsExactlyElementsOf(expected(acme));
        assertThat(ids(allPages(ADMIN, 5, Set.of()))).containsExactlyElementsOf(expected(everyone));
    }

    @Test
    void a_user_asking_for_another_owner_gets_nothing_while_support_may_filter_by_owner() {
        assertThat(fixture.queries().list(ALICE, new ListSessions(Set.of(), null, "bob", 50, null)).items())
                .isEmpty();
        assertThat(ids(fixture.queries().list(support("acme"),
                new ListSessions(Set.of(), null, "bob", 50, null)).items())).containsExactlyElementsOf(expected(bobs));
        assertThat(fixture.queries().list(support("acme"), new ListSessions(Set.of(), null, "dave", 50, null))
                .items()).isEmpty();
    }

    @Test
    void deleted_sessions_are_listed_only_when_the_statuses_ask_for_them() {
        SessionId deleted = alices.get(4);
        SessionId running = alices.get(7);
        fixture.commands().execute(ALICE, deleted, new SessionCommand.Delete());
        fixture.commands().execute(ALICE, running, new SessionCommand.Start());

        assertThat(ids(allPages(ALICE, 5, Set.of()))).hasSize(11).doesNotContain(deleted);
        assertThat(ids(allPages(ALICE, 5, Set.of(SessionStatus.DELETED)))).containsExactly(deleted);
        assertThat(ids(allPages(ALICE, 5, Set.of(SessionStatus.DELETED, SessionStatus.RUNNING))))
                .containsExactlyElementsOf(expected(List.of(deleted, running)));
        assertThat(fixture.queries().get(ALICE, deleted).status()).isEqualTo(SessionStatus.DELETED);
    }

    @Test
    void a_workflow_filter_lists_only_that_workflow() {
        List<Session> demo = allPages(ALICE, 4, Set.of(), "demo");

        assertThat(demo).hasSize(6).allSatisfy(session -> assertThat(session.workflow()).isEqualTo("demo"));
    }

    @Test
    void a_page_without_more_after_it_has_no_next_cursor() {
        SessionPage page = fixture.queries().list(ALICE, new ListSessions(Set.of(), null, null, 12, null));

        assertThat(page.items()).hasSize(12);
        assertThat(page.nextCursor()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a cursor", "", "YzE6MToy", "eyJpZCI6MX0", "%%%"})
    void a_malformed_cursor_is_a_validation_error_on_the_cursor(String cursor) {
        assertThatThrownBy(() -> fixture.queries().list(ALICE, new ListSessions(Set.of(), null, null, 5, cursor)))
                .asInstanceOf(type(ValidationException.class))
                .satisfies(e -> assertThat(e.errors()).extracting(ValidationException.FieldError::path)
                        .containsExactly("cursor"));
    }

    @Test
    void a_cursor_with_a_forged_id_or_time_is_a_validation_error() {
        for (String text : List.of("c1:1:2:not-a-uuid", "c2:1:2:" + alices.get(0), "c1:1:-5:" + alices.get(0),
                "c1:x:2:" + alices.get(0), "c1:1:2:" + alices.get(0) + ":extra")) {
            String cursor = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(text.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> fixture.queries().list(ALICE, new ListSessions(Set.of(), null, null, 5, cursor)))
                    .as(text).isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 201, Integer.MAX_VALUE})
    void a_limit_out_of_range_is_a_validation_error_on_the_limit(int limit) {
        assertThatThrownBy(() -> new ListSessions(Set.of(), null, null, limit, null))
                .asInstanceOf(type(ValidationException.class))
                .satisfies(e -> assertThat(e.errors()).extracting(ValidationException.FieldError::path)
                        .containsExactly("limit"));
    }

    @Test
    void history_pages_through_every_event_with_next_after() {
        SessionId id = alices.get(0);
        fixture.admin(id, new SessionCommand.Start());
        fixture.appendEvents(id, 23);

        List<StoredEvent> seen = new ArrayList<>();
        List<Long> nextAfters = new ArrayList<>();
        long after = 0;
        while (true) {
            EventPage page = fixture.queries().history(ALICE, id, after, 10);
            seen.addAll(page.items());
            nextAfters.add(page.nextAfter());
            if (page.nextAfter() == null) {
                break;
            }
            after = page.nextAfter();
        }

        assertThat(seen).isEqualTo(fixture.log(id));
        assertThat(seen).extracting(StoredEvent::seq).containsExactlyElementsOf(RecordingListener.seqsBetween(1, 25));
        assertThat(nextAfters).containsExactly(10L, 20L, null);
    }

    @Test
    void a_history_page_that_ends_exactly_at_the_last_event_has_no_next_after() {
        SessionId id = alices.get(0);
        fixture.admin(id, new SessionCommand.Start());
        fixture.appendEvents(id, 18);

        EventPage first = fixture.queries().history(ALICE, id, 0, 10);
        EventPage last = fixture.queries().history(ALICE, id, first.nextAfter(), 10);

        assertThat(first.nextAfter()).isEqualTo(10L);
        assertThat(last.items()).extracting(StoredEvent::seq)
                .containsExactlyElementsOf(RecordingListener.seqsBetween(11, 20));
        assertThat(last.nextAfter()).isNull();
    }

    @Test
    void history_refuses_a_negative_after_and_a_limit_out_of_range() {
        SessionId id = alices.get(0);

        assertThatThrownBy(() -> fixture.queries().history(ALICE, id, -1, 10)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> fixture.queries().history(ALICE, id, 0, 0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> fixture.queries().history(ALICE, id, 0, EventPage.MAX_LIMIT + 1))
                .isInstanceOf(ValidationException.class);
        assertThat(fixture.queries().history(ALICE, id, 0, EventPage.MAX_LIMIT).items()).hasSize(1);
    }

    @Test
    void stats_count_sessions_by_tenant_and_status() {
        fixture.admin(alices.get(0), new SessionCommand.Start());
        fixture.admin(daves.get(0), new SessionCommand.Kill(null));

        Map<String, Map<SessionStatus, Long>> counts = fixture.queries().stats(ADMIN).countsByTenant();

        assertThat(counts.get("acme")).containsEntry(SessionStatus.CREATED, 23L)
                .containsEntry(SessionStatus.RUNNING, 1L);
        assertThat(counts.get("globex")).containsEntry(SessionStatus.CREATED, 11L)
                .containsEntry(SessionStatus.KILLED, 1L);
    }

    private List<Session> allPages(Principal principal, int limit, Set<SessionStatus> statuses) {
        return allPages(principal, limit, statuses, null);
    }

    private List<Session> allPages(Principal principal, int limit, Set<SessionStatus> statuses, String workflow) {
        List<Session> all = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            SessionPage page = fixture.queries().list(principal,
                    new ListSessions(statuses, workflow, null, limit, cursor));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            all.addAll(page.items());
            cursor = page.nextCursor();
            assertThat(cursor == null || cursors.add(cursor)).as("a cursor never repeats").isTrue();
        } while (cursor != null);
        return all;
    }

    private List<SessionId> expected(List<SessionId> ids) {
        return ids.stream().map(fixture::stored).sorted(NEWEST_FIRST).map(Session::id).toList();
    }

    private static List<SessionId> ids(List<Session> sessions) {
        return sessions.stream().map(Session::id).toList();
    }
}
