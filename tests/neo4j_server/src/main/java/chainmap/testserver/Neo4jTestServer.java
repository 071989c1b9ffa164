package chainmap.testserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.FileUtils;

/**
 * Test-only embedded Neo4j Community server: Bolt on 127.0.0.1, no auth, no HTTP, no usage reporting.
 *
 * <p>Usage: {@code Neo4jTestServer [PORT] [DATA_DIR]}; or {@code -Dneo4j.test.port}, {@code -Dneo4j.test.dataDir},
 * {@code -Dneo4j.test.pagecacheMb} (default 512), {@code -Dneo4j.test.auth=true} (auth on, user neo4j/neo4j). Prints {@code READY bolt://127.0.0.1:PORT} once the default
 * database is available; SIGTERM shuts it down cleanly (and deletes the data dir if it made it itself).
 */
public final class Neo4jTestServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getProperty("neo4j.test.port", "7687"));
        String dir = args.length > 1 ? args[1] : System.getProperty("neo4j.test.dataDir");
        Path home = dir != null ? Files.createDirectories(Path.of(dir)) : Files.createTempDirectory("chainmap-neo4j-");
        long pageCacheMb = Long.getLong("neo4j.test.pagecacheMb", 512);
        boolean auth = Boolean.getBoolean("neo4j.test.auth"); // for the login-refused test

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.tx_state_memory_allocation,
                        GraphDatabaseSettings.TransactionStateMemoryAllocation.ON_HEAP)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0) // default 5 s x2
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            if (dir == null) { // we made the temp dir, so we remove it
                try { FileUtils.deleteDirectory(home); } catch (IOException e) { System.err.println("cleanup: " + e); }
            }
        }, "neo4j-test-server-shutdown"));

        if (!dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(Duration.ofMinutes(2).toMillis())) {
            System.err.println("FAILED default database not available");
            System.exit(1);
        }
        System.out.println("READY bolt://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join(); // run until SIGTERM/SIGINT; the hook stops the DBMS
    }
}
