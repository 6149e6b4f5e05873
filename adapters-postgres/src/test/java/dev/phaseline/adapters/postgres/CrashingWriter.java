package dev.phaseline.adapters.postgres;

import dev.phaseline.application.CreateSession;
import dev.phaseline.application.PhaselineCore;
import dev.phaseline.application.Principal;
import dev.phaseline.application.Role;
import dev.phaseline.application.SessionCommand;
import dev.phaseline.domain.Session;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The child JVM of the crash test (F16): applies commands through the application over the PostgreSQL store from a
 * few threads, and prints {@code ACK <session id> <version>} for each command once it is acknowledged. It runs until
 * it is killed.
 *
 * <p>Arguments: JDBC URL, user, password.
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    /**
     * @param args JDBC URL, user, password
     * @throws InterruptedException never in practice: the process is killed
     */
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        PostgresAdapter adapter = PostgresAdapter.start(PostgresSettings.of(args[0], args[1],
                args.length > 2 ? args[2] : null).withPoolSize(4));
        PhaselineCore core = PhaselineCore.builder().store(adapter.sessionStore()).eventLog(adapter.eventLog())
                .sweepInterval(Duration.ZERO).build();
        Principal alice = Principal.of("alice", "t1", Role.USER);
        Principal worker = Principal.of("w", "t1", Role.WORKER);
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    Session s = core.commands().create(alice, new CreateSession(null, "crash", null)).session();
                    ack(out, s);
                    ack(out, core.commands().execute(alice, s.id(), new SessionCommand.Start()).session());
                    int steps = random.nextInt(1, 8);
                    for (int i = 0; i < steps; i++) {
                        ack(out, core.commands().execute(worker, s.id(),
                                new SessionCommand.AppendEvent("agent_thinking", null)).session());
                    }
                    if (random.nextBoolean()) {
                        ack(out, core.commands().execute(alice, s.id(), new SessionCommand.Delete()).session());
                    } else {
                        ack(out, core.commands().execute(worker, s.id(), new SessionCommand.Complete(null))
                                .session());
                    }
                }
            }, "writer-" + t);
            thread.start();
        }
        Thread.currentThread().join();
    }

    private static void ack(PrintStream out, Session session) {
        synchronized (out) {
            out.println("ACK " + session.id() + " " + session.version());
            out.flush();
        }
    }
}
