package dev.phaseline.bootstrap;

import dev.phaseline.adapters.http.TokenIssuer;
import dev.phaseline.application.Role;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Phaseline server.
 *
 * <ul>
 *   <li>{@code java -jar phaseline.jar} or {@code ... serve}: runs the server, configured by {@code PHASELINE_*}
 *       environment variables; stops gracefully on SIGTERM.</li>
 *   <li>{@code java -jar phaseline.jar token --sub alice --tenant acme [--roles user,admin] [--ttl PT24H]}: prints a
 *       token the server accepts.</li>
 *   <li>{@code java -XX:ArchiveClassesAtExit=phaseline.jsa -jar phaseline.jar training-run}: what the build runs to
 *       record the server's class archive (see {@link TrainingRun}).</li>
 * </ul>
 *
 * <p>Exit codes: 0 done (and after a graceful stop), 1 bad configuration or failed startup (one line on stderr that
 * names the variable), 2 bad command line.
 */
public final class Main {

    /** {@link #run} returns it when the server runs on. */
    static final int SERVING = -1;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    private static final Duration STARTUP_TOKEN_TTL = Duration.ofHours(24);
    private static final String USAGE = "usage: phaseline [serve] | phaseline token --sub <user> --tenant <tenant> "
            + "[--roles user,support,worker,admin] [--ttl PT24H]";

    private Main() {
    }

    /**
     * @param args {@code serve} (the default) or {@code token ...}
     */
    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != SERVING) {
            System.out.flush();
            System.err.flush();
            System.exit(code);
        }
        try {
            new CountDownLatch(1).await(); // the shutdown hook ends the process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return an exit code, or {@link #SERVING} when the server was started and runs on
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "serve" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        switch (command) {
            case "serve":
                if (!rest.isEmpty()) {
                    err.println("serve takes no arguments; it is configured by PHASELINE_* variables");
                    return 2;
                }
                return serve(env, out, err);
            case "token":
                return token(rest, env, out, err);
            case "training-run":
                if (!rest.isEmpty()) {
                    err.println("training-run takes no arguments");
                    return 2;
                }
                return TrainingRun.run(out, err);
            case "help", "--help", "-h":
                out.println(USAGE);
                return 0;
            default:
                err.println("unknown command '" + command + "'; " + USAGE);
                return 2;
        }
    }

    /**
     * Starts the server, or explains in one line why not.
     *
     * @return {@link #SERVING}, or 1 if it did not start
     */
    static int serve(Map<String, String> env, PrintStream out, PrintStream err) {
        HeapFootprint.apply();
        Optional<Phaseline> started = start(env, err);
        if (started.isEmpty()) {
            return 1;
        }
        Phaseline phaseline = started.get();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            phaseline.close();
            out.flush();
            stopLogging();
            // SIGTERM is the normal way to stop the server: a graceful stop exits 0, not the JVM's 143.
            Runtime.getRuntime().halt(0);
        }, "phaseline-shutdown"));
        printWelcome(phaseline, out);
        return SERVING;
    }

    /**
     * Builds the server from the environment through {@link Phaseline#builder()}.
     *
     * @return the running server, or empty after one line on {@code err}
     */
    static Optional<Phaseline> start(Map<String, String> env, PrintStream err) {
        return start(env, err, UnaryOperator.identity());
    }

    /**
     * @param adjust changes to the builder configured from the environment, applied last
     * @return the running server, or empty after one line on {@code err}
     */
    static Optional<Phaseline> start(Map<String, String> env, PrintStream err,
            UnaryOperator<Phaseline.Builder> adjust) {
        try {
            Config config = Config.fromEnvironment(env);
            Phaseline.Builder builder = Phaseline.builder()
                    .dataDirectory(config.dataDir())
                    .poolSize(config.dbPoolSize())
                    .http(config.httpPort())
                    .corsOrigins(config.corsOrigins())
                    .sseHeartbeat(config.sseHeartbeat())
                    .sseBuffer(config.sseBuffer())
                    .heartbeatTimeout(config.heartbeatTimeout())
                    .cacheTtl(config.cacheTtl());
            config.redisUrl().ifPresent(url -> builder.redisUrl(url.toString()));
            config.jwtSecret().ifPresent(builder::jwtSecret);
            if (config.dbUrl().isPresent()) {
                builder.jdbcUrl(config.dbUrl().get(), config.dbUser().orElse(null),
                        config.dbPassword().orElse(null));
            } else {
                builder.embeddedPostgres();
            }
            if (config.demoWorker()) {
                Optional<InProcessWorker> demo = DemoWorkers.demo();
                if (demo.isPresent()) {
                    builder.worker("demo", demo.get());
                } else {
                    LOG.info("PHASELINE_DEMO_WORKER is true, but this build has no demo worker");
                }
            }
            return Optional.of(adjust.apply(builder).build());
        } catch (ConfigException e) {
            err.println(e.getMessage());
        } catch (StartupException e) {
            err.println(e.setting().variable() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.debug("startup failed", e);
            err.println("Phaseline did not start: " + e);
        }
        err.flush();
        return Optional.empty();
    }

    private static void printWelcome(Phaseline phaseline, PrintStream out) {
        String url = "http://localhost:" + phaseline.httpPort();
        TokenIssuer tokens = phaseline.tokenIssuer();
        String user = tokens.issue("alice", "demo", List.of("user"), STARTUP_TOKEN_TTL);
        String admin = tokens.issue("admin", "demo", List.of("admin"), STARTUP_TOKEN_TTL);
        out.println();
        out.println("Phaseline " + version() + " is ready at " + url + " (" + phaseline.databaseDescription() + ")");
        out.println("Tokens for tenant demo, valid 24 h (more: java -jar phaseline.jar token --help):");
        out.println("  export USER_TOKEN=" + user + "    # alice, role user");
        out.println("  export ADMIN_TOKEN=" + admin + "    # admin, role admin");
        out.println("Try:");
        out.println("  curl -s " + url + "/ready");
        out.println("  curl -s -H \"Authorization: Bearer $USER_TOKEN\" -H 'Content-Type: application/json' "
                + "-d '{\"workflow\":\"demo\",\"title\":\"First\"}' " + url + "/api/v1/sessions");
        out.println("  curl -N -H \"Authorization: Bearer $USER_TOKEN\" " + url
                + "/api/v1/sessions/<id>/events");
        out.println();
        out.flush();
    }

    /**
     * {@code token --sub alice --tenant acme --roles user,admin --ttl PT24H}: prints a signed token.
     *
     * @return 0, 1 on bad configuration, 2 on bad flags
     */
    static int token(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> flags;
        try {
            flags = flags(args, List.of("--sub", "--tenant", "--roles", "--ttl"));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (flags.containsKey("--help")) {
            out.println(USAGE);
            return 0;
        }
        String sub = flags.get("--sub");
        String tenant = flags.get("--tenant");
        if (sub == null || sub.isBlank() || tenant == null || tenant.isBlank()) {
            err.println("token needs --sub and --tenant; " + USAGE);
            return 2;
        }
        List<String> roles = new ArrayList<>();
        for (String role : flags.getOrDefault("--roles", "user").split(",")) {
            String name = role.trim().toLowerCase(Locale.ROOT);
            if (Role.fromWireName(name).isEmpty()) {
                err.println("--roles: unknown role '" + role.trim() + "'; use user, support, worker or admin");
                return 2;
            }
            roles.add(name);
        }
        Duration ttl;
        try {
            ttl = Duration.parse(flags.getOrDefault("--ttl", "PT24H"));
        } catch (DateTimeParseException e) {
            err.println("--ttl: '" + flags.get("--ttl") + "' is not an ISO-8601 duration such as PT24H");
            return 2;
        }
        if (ttl.isNegative() || ttl.isZero()) {
            err.println("--ttl: must be positive");
            return 2;
        }
        byte[] secret;
        try {
            Config config = Config.fromEnvironment(env);
            secret = config.jwtSecret().orElseGet(() -> JwtSecrets.loadOrCreate(config.dataDir()));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        } catch (StartupException e) {
            err.println(e.setting().variable() + ": " + e.getMessage());
            return 1;
        }
        out.println(new TokenIssuer(secret).issue(sub, tenant, roles, ttl));
        out.flush();
        return 0;
    }

    private static Map<String, String> flags(List<String> args, List<String> known) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                flags.put("--help", "");
                continue;
            }
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                value = null;
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "'; " + USAGE);
            }
            if (value == null || value.startsWith("--")) {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            if (flags.put(name, value) != null) {
                throw new IllegalArgumentException(name + " is given twice");
            }
        }
        return flags;
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }
}
