package io.skychat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store thread's statement cache over a real in-memory SQLite connection, counting what it prepares. */
class StatementCacheTests {

    private final AtomicInteger prepared = new AtomicInteger();
    private Connection real;
    private Connection cached;

    @BeforeEach
    void open() throws SQLException {
        real = DriverManager.getConnection("jdbc:sqlite::memory:");
        Connection counting = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")) {
                        prepared.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        cached = StatementCache.wrap(counting);
        try (Statement s = cached.createStatement()) {
            s.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        cached.close();
    }

    private void insert(int n, String v) throws SQLException {
        try (PreparedStatement ps = cached.prepareStatement("INSERT INTO t (n, v) VALUES (?, ?)")) {
            ps.setInt(1, n);
            ps.setString(2, v);
            ps.executeUpdate();
        }
    }

    private List<String> values(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = cached.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aStatementIsPreparedOnceAndReused() throws SQLException {
        for (int i = 0; i < 100; i++) {
            insert(i, "v" + i);
        }
        assertThat(values("SELECT v FROM t WHERE n < 3 ORDER BY n")).containsExactly("v0", "v1", "v2");
        assertThat(values("SELECT v FROM t WHERE n < 3 ORDER BY n")).containsExactly("v0", "v1", "v2");
        assertThat(prepared).hasValue(2);
    }

    @Test
    void parametersDoNotCarryOverToTheNextUser() throws SQLException {
        insert(1, "one");
        try (PreparedStatement ps = cached.prepareStatement("INSERT INTO t (n, v) VALUES (?, ?)")) {
            ps.setInt(1, 2); // v left unset: NULL, not the previous user's "one"
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class).hasMessageContaining("NOT NULL");
        }
        assertThat(values("SELECT v FROM t ORDER BY n")).containsExactly("one");
    }

    @Test
    void theSameTextInUseIsPreparedAfreshForANestedCaller() throws SQLException {
        insert(1, "a");
        insert(2, "b");
        String sql = "SELECT v FROM t WHERE n >= ? ORDER BY n";
        List<String> pairs = new ArrayList<>();
        try (PreparedStatement outer = cached.prepareStatement(sql)) {
            outer.setInt(1, 1);
            try (ResultSet rs = outer.executeQuery()) {
                while (rs.next()) {
                    try (PreparedStatement inner = cached.prepareStatement(sql)) {
                        assertThat(inner).isNotSameAs(outer);
                        inner.setInt(1, 2);
                        try (ResultSet in = inner.executeQuery()) {
                            in.next();
                            pairs.add(rs.getString(1) + in.getString(1));
                        }
                    }
                }
            }
        }
        assertThat(pairs).containsExactly("ab", "bb");
        assertThat(values(sql.replace("?", "0"))).containsExactly("a", "b");
    }

    @Test
    void aResultSetLeftOpenIsClosedWhenItsStatementIsGivenBack() throws SQLException {
        insert(1, "a");
        insert(2, "b");
        ResultSet left;
        try (PreparedStatement ps = cached.prepareStatement("SELECT v FROM t ORDER BY n")) {
            left = ps.executeQuery();
            left.next(); // one row read, the cursor still open
        }
        assertThat(left.isClosed()).isTrue();
        assertThat(values("SELECT v FROM t ORDER BY n")).containsExactly("a", "b");
    }
}
