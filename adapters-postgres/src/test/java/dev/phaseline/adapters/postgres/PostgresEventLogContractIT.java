package dev.phaseline.adapters.postgres;

import dev.phaseline.application.contract.EventLogContract;
import dev.phaseline.application.contract.StorageUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The application's EventLog contract, unchanged, against PostgreSQL: a database per class, emptied per test. */
class PostgresEventLogContractIT extends EventLogContract {

    private static TestDatabases.TestDatabase database;
    private static PostgresAdapter adapter;

    @BeforeAll
    static void startAdapter() {
        database = TestDatabases.create();
        adapter = PostgresAdapter.start(database.settings());
    }

    @AfterAll
    static void closeAdapter() {
        adapter.close();
    }

    @Override
    protected StorageUnderTest newStorage() {
        database.execute("TRUNCATE session_events, sessions");
        return new StorageUnderTest(adapter.sessionStore(), adapter.eventLog());
    }
}
