package dev.phaseline.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a killed Phaseline leaves in the embedded PostgreSQL data directory before a new start.
 *
 * <p>{@code pg_ctl} detaches the postmaster from the JVM that started it, so when that JVM is killed with SIGKILL
 * its postmaster keeps running and keeps {@code postmaster.pid}; a new start would then fail. The caller holds the
 * data directory's lock, so a live postmaster of this directory belongs to no running Phaseline: it is an orphan.
 * This class reads {@code postmaster.pid}; if its process is alive and is a PostgreSQL server whose data directory is
 * this one, it is stopped (SIGTERM, a smart shutdown that completes at once since its clients died with the JVM;
 * after the grace period SIGKILL of it and its children, which is safe because commits are synchronous). A pid file
 * of a process that is gone, or that is some other program, is stale and removed. A process that cannot be
 * identified is left alone and startup stops.
 */
final class OrphanedPostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostmaster.class);

    private OrphanedPostmaster() {
    }

    /**
     * @param pgData the PostgreSQL data directory
     * @param grace  how long the orphan may take to shut down before it is killed
     * @return the pid of the orphan that was stopped, if there was one
     * @throws StartupException if an orphan cannot be stopped or identified
     */
    static Optional<Long> clear(Path pgData, Duration grace) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        Optional<Long> pid = readPid(pidFile);
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            LOG.info("Removing the stale {} (its process is gone)", pidFile);
            deleteQuietly(pidFile);
            return Optional.empty();
        }
        ProcessHandle postmaster = process.get();
        switch (identify(postmaster, pgData)) {
            case OTHER_PROGRAM -> {
                LOG.info("Removing the stale {} (pid {} is now another program)", pidFile, postmaster.pid());
                deleteQuietly(pidFile);
                return Optional.empty();
            }
            case UNKNOWN -> throw new StartupException(StartupException.Setting.DATA_DIRECTORY,
                    pidFile.toAbsolutePath() + " names the running process " + postmaster.pid()
                            + ", which cannot be identified as this directory's PostgreSQL; stop it and start again",
                    null);
            default -> {
                // ours: stop it below
            }
        }
        LOG.warn("Stopping the PostgreSQL server (pid {}) left running in {} by a previous process that was killed",
                postmaster.pid(), pgData);
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroy();
        if (!waitForExit(postmaster, grace)) {
            LOG.warn("PostgreSQL (pid {}) did not stop within {}; killing it", postmaster.pid(), grace);
            children.forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
            if (!waitForExit(postmaster, Duration.ofSeconds(5))) {
                throw new StartupException(StartupException.Setting.DATA_DIRECTORY, "cannot stop the PostgreSQL "
                        + "server (pid " + postmaster.pid() + ") still running in " + pgData.toAbsolutePath(), null);
            }
        }
        for (ProcessHandle child : children) {
            waitForExit(child, Duration.ofSeconds(5));
        }
        return Optional.of(postmaster.pid());
    }

    /** What a live pid from {@code postmaster.pid} turned out to be. */
    enum Identity {
        /** A PostgreSQL server of this data directory. */
        POSTMASTER_OF_THIS_DIRECTORY,
        /** Another program, or PostgreSQL of another directory: the pid was reused. */
        OTHER_PROGRAM,
        /** The operating system does not tell. */
        UNKNOWN
    }

    static Identity identify(ProcessHandle process, Path pgData) {
        Optional<String> command = process.info().command();
        if (command.isEmpty()) {
            return Identity.UNKNOWN;
        }
        String name = Path.of(command.get()).getFileName().toString();
        if (!name.equals("postgres") && !name.equals("postmaster")) {
            return Identity.OTHER_PROGRAM;
        }
        Path wanted = pgData.toAbsolutePath().normalize();
        // The postmaster runs with its data directory as working directory, and pg_ctl passes it as -D.
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        try {
            if (Files.exists(cwd)) {
                return Files.isSameFile(cwd, wanted) ? Identity.POSTMASTER_OF_THIS_DIRECTORY : Identity.OTHER_PROGRAM;
            }
        } catch (IOException | SecurityException e) {
            LOG.debug("cannot read the working directory of {}", process.pid(), e);
        }
        Optional<String[]> arguments = process.info().arguments();
        if (arguments.isPresent()) {
            for (String argument : arguments.get()) {
                if (Path.of(argument).toAbsolutePath().normalize().equals(wanted)) {
                    return Identity.POSTMASTER_OF_THIS_DIRECTORY;
                }
            }
            return Identity.OTHER_PROGRAM;
        }
        return Identity.UNKNOWN;
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            LOG.debug("unreadable {}", pidFile, e);
            return Optional.empty();
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("cannot delete {}", file, e);
        }
    }
}
