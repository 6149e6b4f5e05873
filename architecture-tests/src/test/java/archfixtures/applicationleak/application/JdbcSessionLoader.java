package archfixtures.applicationleak.application;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

public final class JdbcSessionLoader {

    private final DataSource dataSource;

    public JdbcSessionLoader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean reachable() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        }
    }
}
