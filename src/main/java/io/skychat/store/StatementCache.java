package io.skychat.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the store thread's prepared statements: {@code prepareStatement(sql)} on the wrapped connection hands
 * back the statement prepared for that text before, so a message's half-dozen statements are compiled once per
 * process instead of once per message. Closing a handed-out statement clears its parameters and keeps it.
 * A statement still in use when the same text is asked for again (a query inside a loop over its own
 * results) is not shared: the caller gets a fresh one, closed as usual. Not thread-safe: the store thread
 * is its only user.
 */
final class StatementCache {

    /** Distinct statement texts kept at most; past it statements are prepared and closed as usual. */
    static final int MAX_STATEMENTS = 256;

    private final Connection connection;
    private final Map<String, Entry> statements = new HashMap<>();

    private StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** {@code connection} with its one-argument {@code prepareStatement} cached; everything else passes through. */
    static Connection wrap(Connection connection) {
        StatementCache cache = new StatementCache(connection);
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[] {Connection.class}, cache.connectionHandler());
    }

    private InvocationHandler connectionHandler() {
        return (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("prepareStatement") && args != null && args.length == 1) {
                return prepared((String) args[0]);
            }
            if (name.equals("close")) {
                closeAll();
            }
            return forward(connection, method, args);
        };
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        Entry entry = statements.get(sql);
        if (entry == null) {
            if (statements.size() >= MAX_STATEMENTS) {
                return connection.prepareStatement(sql);
            }
            entry = new Entry(connection.prepareStatement(sql));
            statements.put(sql, entry);
        }
        if (entry.inUse) {
            return connection.prepareStatement(sql);
        }
        entry.inUse = true;
        return entry.handedOut;
    }

    private void closeAll() {
        for (Entry e : statements.values()) {
            try {
                e.statement.close();
            } catch (SQLException ignored) {
                // the connection is closing anyway
            }
        }
        statements.clear();
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * One kept statement and the handle callers get, whose {@code close} gives it back. Giving it back also
     * closes the result set a caller left open, so no kept statement holds a read snapshot of the database
     * (which would keep checkpoints from finishing).
     */
    private static final class Entry {
        final PreparedStatement statement;
        final PreparedStatement handedOut;
        boolean inUse;
        ResultSet results;

        Entry(PreparedStatement statement) {
            this.statement = statement;
            this.handedOut = (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "close" -> {
                                if (inUse) {
                                    inUse = false;
                                    if (results != null) {
                                        results.close();
                                        results = null;
                                    }
                                    statement.clearParameters();
                                    statement.clearBatch();
                                }
                                return null;
                            }
                            case "executeQuery" -> {
                                results = (ResultSet) forward(statement, method, args);
                                return results;
                            }
                            case "isClosed" -> {
                                return !inUse || statement.isClosed();
                            }
                            default -> {
                                return forward(statement, method, args);
                            }
                        }
                    });
        }
    }
}
